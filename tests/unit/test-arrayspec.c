// links:
/* SPDX-License-Identifier: MIT */
/*
 * Job array index sets: --array values Slurm 22.05 accepts and refuses
 * (02_sbatch_errors: abc, 5-1, over MaxArraySize), the stored form, the
 * display form (12_sbatch_array: "1,3,5,7,9"), and take/remove/count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/arrayspec.h"
#include "t.h"

static char *
stored(const char *in, uint32_t max, uint32_t *thr)
{
	struct arrayspec a;
	char *s;

	if (arrayspec_parse(in, max, &a, thr, NULL) == -1)
		return NULL;
	s = arrayspec_format(&a);
	arrayspec_free(&a);
	return s;
}

static void
check(const char *in, const char *want)
{
	char *s = stored(in, 1001, NULL);

	is_str(s, want, "parse %s", in);
	free(s);
}

int
main(void)
{
	struct arrayspec a;
	uint32_t thr = 99;
	char *s;

	check("0-3", "0-3");
	check("1,3,5-9:2", "1-9:2");
	check("0,1,2,3", "0-3");
	check("0,1,2,7", "0-2,7");
	check("0-15:2", "0-14:2");
	check("7", "7");
	check("5,1,3", "1-5:2");
	check("1,2,4", "1-2,4");
	check("0-3,2", "0-3");
	check("0-3,2-5", "0-5");
	check("abc", NULL);
	check("5-1", NULL);
	check("0-1001", NULL);
	check("0-1000", "0-1000");
	check("1-3:0", NULL);
	check("", NULL);
	check("1,", NULL);
	check("-1", NULL);
	check("1-2x", NULL);
	check("0-3%2", NULL);	/* no throttle pointer: refused */
	s = stored("0-4000000000,0-4000000000", UINT32_MAX, NULL);
	is_str(s, NULL, "huge overlapping ranges are refused, not expanded");
	s = stored("0-4000000000", UINT32_MAX, NULL);
	is_str(s, "0-4000000000", "a huge range alone is one range");
	free(s);

	s = stored("0-3%2", 1001, &thr);
	is_str(s, "0-3", "throttle stripped");
	is_int(thr, 2, "throttle");
	free(s);
	/* slurmctld's atoi() (checked on 22.05.8) */
	s = stored("0-3%", 1001, &thr);
	is_str(s, "0-3", "empty throttle accepted");
	is_int(thr, 0, "... as none");
	free(s);
	s = stored("0-3%4294967298", 1001, &thr);
	is_int(thr, 2, "throttle 4294967298 is the int 2");
	free(s);
	s = stored("0-3%2147483649", 1001, &thr);
	is_int(thr, 0, "throttle 2147483649 is a negative int: none");
	free(s);
	s = stored("0-3%99999999999999999999", 1001, &thr);
	is_int(thr, 0, "a throttle past LONG_MAX: none");
	free(s);
	s = stored("0-3%2x", 1001, &thr);
	is_int(thr, 2, "throttle 2x: 2");
	free(s);
	s = stored("0-3%abc", 1001, &thr);
	is_str(s, "0-3", "throttle abc accepted");
	is_int(thr, 0, "... as none");
	free(s);
	s = stored("0-99999", 100000, &thr);
	is_str(s, "0-99999", "big range is one range");
	is_int(thr, 0, "no throttle");
	free(s);

	arrayspec_parse("1,3,5-9:2", 1001, &a, NULL, NULL);
	is_int(arrayspec_count(&a), 5, "count");
	is_int(arrayspec_min(&a), 1, "min");
	is_int(arrayspec_max(&a), 9, "max");
	is_int(arrayspec_step(&a), 2, "step of 1,3,5-9:2");
	s = arrayspec_display(&a);
	is_str(s, "1,3,5,7,9", "display expands steps");
	free(s);
	ok(arrayspec_has(&a, 7) && !arrayspec_has(&a, 6), "has");
	ok(arrayspec_has(&a, 1) && arrayspec_has(&a, 9) &&
	    !arrayspec_has(&a, 0) && !arrayspec_has(&a, 10) &&
	    !arrayspec_has(&a, 2) && !arrayspec_has(&a, 4), "has, edges");
	is_int(arrayspec_take(&a), 1, "take lowest");
	ok(arrayspec_remove(&a, 7), "remove 7");
	ok(!arrayspec_remove(&a, 7), "remove 7 again");
	s = arrayspec_format(&a);
	is_str(s, "3-5:2,9", "after take and remove");
	free(s);
	is_int(arrayspec_step(&a), 1, "uneven gaps: step 1");
	arrayspec_free(&a);

	arrayspec_parse("3-4", 1001, &a, NULL, NULL);
	is_int(arrayspec_step(&a), 1, "3-4 step");
	is_int(arrayspec_count(&a), 2, "3-4 count");
	arrayspec_free(&a);

	arrayspec_parse("0-10", 1001, &a, NULL, NULL);
	arrayspec_remove(&a, 4);
	arrayspec_remove(&a, 0);
	arrayspec_remove(&a, 10);
	s = arrayspec_format(&a);
	is_str(s, "1-3,5-9", "split by removal");
	free(s);
	s = arrayspec_display(&a);
	is_str(s, "1-3,5-9", "display runs");
	free(s);
	while (!arrayspec_empty(&a))
		arrayspec_take(&a);
	is_int(arrayspec_count(&a), 0, "emptied");
	s = arrayspec_format(&a);
	is_str(s, "", "empty format");
	free(s);
	arrayspec_free(&a);

	memset(&a, 0, sizeof a);
	ok(arrayspec_append(&a, 4) == 0 && arrayspec_append(&a, 5) == 0 &&
	    arrayspec_append(&a, 6) == 0 && arrayspec_append(&a, 9) == 0 &&
	    arrayspec_append(&a, 20) == 0, "append");
	is_int(arrayspec_append(&a, 20), -1, "append refuses a lower index");
	s = arrayspec_format(&a);
	is_str(s, "4-6,9-20:11", "appended set");
	free(s);
	s = arrayspec_display(&a);
	is_str(s, "4-6,9,20", "appended set displayed");
	free(s);
	arrayspec_free(&a);
	return done_testing();
}
