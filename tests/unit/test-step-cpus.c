// links: sched/step.c sched/bitmap.c
/* Step CPU selection (sched_step_cpus). */
#include <string.h>

#include "../../src/sched/sched.h"
#include "t.h"

static const char *
fmt(const struct bitmap *b)
{
	static char buf[256];

	bitmap_format(b, buf, sizeof buf);
	return buf;
}

int
main(void)
{
	struct bitmap job, used, out;

	bitmap_parse(&job, "2-5");
	bitmap_clear(&used);
	is_int(sched_step_cpus(&job, &used, 2, false, &out), 1, "fits");
	is_str(fmt(&out), "2-3", "lowest CPUs of the job");
	bitmap_parse(&used, "2-3");
	is_int(sched_step_cpus(&job, &used, 2, false, &out), 1, "next two");
	is_str(fmt(&out), "4-5", "skips held CPUs");
	bitmap_parse(&used, "2-4");
	is_int(sched_step_cpus(&job, &used, 2, false, &out), 0, "must wait");
	is_int(sched_step_cpus(&job, &used, 2, true, &out), 1, "overlap fits");
	is_str(fmt(&out), "2-3", "overlap shares held CPUs");
	is_int(sched_step_cpus(&job, &used, 5, true, &out), -1, "never fits");
	is_int(sched_step_cpus(&job, &used, 0, false, &out), 1, "0 means 1");
	is_str(fmt(&out), "5", "the free one");
	return done_testing();
}
