// links:
/* SPDX-License-Identifier: MIT */
/*
 * The environment index: finding names among many (past several
 * growths), names that are prefixes of others, entries without '=',
 * a rebuild after removals, and the first of two equal names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/envidx.h"
#include "common/xmalloc.h"
#include "t.h"

#define N	1000

int
main(void)
{
	struct envidx x = { NULL, 0 };
	char *v[N + 4] = { NULL };
	size_t n = 0, k;
	int bad = 0;

	ok(envidx_find(&x, v, "A", 1) == -1, "empty index finds nothing");
	for (int i = 0; i < N; i++) {
		xasprintf(&v[n], "VAR_%d=value %d", i, i);
		v[++n] = NULL;
		envidx_added(&x, v, n);
	}
	for (int i = 0; i < N; i++) {
		char name[32];

		snprintf(name, sizeof name, "VAR_%d", i);
		if (envidx_find(&x, v, name, strlen(name)) != i)
			bad++;
	}
	is_int(bad, 0, "each of 1000 names found at its position");
	ok(x.cap > 2 * N && (x.cap & (x.cap - 1)) == 0,
	    "at most half full, a power of two");
	ok(envidx_find(&x, v, "VAR_1", 4) == -1, "a name's prefix is no name");
	ok(envidx_find(&x, v, "VAR_10000", 9) == -1, "longer name not found");
	ok(envidx_find(&x, v, "VAR_12=x", 6) == 12,
	    "only the given length of the name counts");

	v[n] = xstrdup("NOVALUE");
	v[++n] = NULL;
	envidx_added(&x, v, n);
	is_int((int)envidx_find(&x, v, "NOVALUE", 7), N,
	    "an entry without '=' is all name");

	/* Drop the even VAR_s, as an unset would, and rebuild. */
	for (size_t i = k = 0; i < n; i++) {
		int num;

		if (sscanf(v[i], "VAR_%d=", &num) == 1 && num % 2 == 0)
			free(v[i]);
		else
			v[k++] = v[i];
	}
	n = k;
	v[n] = NULL;
	envidx_rebuild(&x, v, n);
	ok(envidx_find(&x, v, "VAR_2", 5) == -1, "removed name gone");
	is_int((int)envidx_find(&x, v, "VAR_3", 5), 1, "VAR_3 moved to 1");
	is_int((int)envidx_find(&x, v, "NOVALUE", 7), (int)n - 1,
	    "last entry found after the rebuild");

	/* Two entries of one name: the first is found. */
	v[n] = xstrdup("VAR_3=again");
	v[++n] = NULL;
	envidx_rebuild(&x, v, n);
	is_int((int)envidx_find(&x, v, "VAR_3", 5), 1,
	    "the first of two equal names");

	envidx_free(&x);
	ok(x.slot == NULL && x.cap == 0, "freed");
	ok(envidx_find(&x, v, "VAR_3", 5) == -1, "freed index finds nothing");
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	return done_testing();
}
