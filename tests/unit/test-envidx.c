// links:
/* SPDX-License-Identifier: MIT */
/*
 * The environment index: finding names among many (past several
 * growths), names that are prefixes of others, entries without '=',
 * a rebuild after removals, and the first of two equal names; adding
 * with envidx_put (the position of an earlier entry of the name, or the
 * new one indexed), across growths and after envidx_reserve.
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
	struct envidx x = { NULL, 0 }, y = { NULL, 0 };
	char *v[N + 4] = { NULL }, *w[301] = { NULL };
	size_t n = 0, k;
	int bad = 0;

	ok(envidx_find(&x, v, "A", 1) == -1, "empty index finds nothing");
	for (int i = 0; i < N; i++) {
		xasprintf(&v[n], "VAR_%d=value %d", i, i);
		v[++n] = NULL;
		if (envidx_put(&x, v, n, strcspn(v[n - 1], "=")) !=
		    (ssize_t)n - 1)
			bad++;
	}
	is_int(bad, 0, "each of 1000 new names indexed where appended");
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
	is_int((int)envidx_put(&x, v, n, 7), N, "a name without '=' added");
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

	/* envidx_put: as sbatch adds variables, a repeated name replaces. */
	n = 0;
	bad = 0;
	for (int i = 0; i < N; i++) {
		ssize_t at;

		xasprintf(&v[n], "PUT_%d=%d", i % 300, i);
		at = envidx_put(&x, v, n + 1,
		    (size_t)(strchr(v[n], '=') - v[n]));
		if (i < 300 ? at != (ssize_t)n : at != i % 300)
			bad++;
		if (at == (ssize_t)n)
			n++;
		else {
			free(v[at]);
			v[at] = v[n];
		}
		v[n] = NULL;
	}
	is_int(bad, 0, "envidx_put: new names at the end, repeated ones found");
	is_int((int)n, 300, "300 names for 1000 puts");
	ok(envidx_find(&x, v, "PUT_7", 5) == 7 &&
	    strcmp(v[7], "PUT_7=907") == 0,
	    "the last value of a repeated name, at its first position");
	ok(x.cap > 2 * n, "still at most half full");

	/* envidx_reserve: room for 600 in all, no growth on the way. */
	envidx_reserve(&x, v, n, 600);
	k = x.cap;
	ok(k > 2 * 600, "envidx_reserve makes room for 600");
	is_int((int)envidx_find(&x, v, "PUT_299", 7), 299,
	    "entries indexed anew by envidx_reserve");
	bad = 0;
	for (int i = 0; i < 300; i++) {
		xasprintf(&w[i], "W_%d=", i);
		w[i + 1] = NULL;
		if (envidx_put(&y, w, (size_t)i + 1, strlen(w[i]) - 1) != i)
			bad++;
	}
	is_int(bad, 0, "a second index: 300 names put");
	for (int i = 0; i < 300; i++) {
		v[n] = w[i];
		v[++n] = NULL;
		if (envidx_put(&x, v, n, strlen(w[i]) - 1) != (ssize_t)n - 1)
			bad++;
	}
	is_int(bad, 0, "300 more names put after the reserve");
	ok(x.cap == k, "no growth up to the reserved size");
	is_int((int)envidx_find(&x, v, "W_150", 5), 450, "found after");
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	envidx_free(&x);
	envidx_free(&y);
	return done_testing();
}
