// links: daemon/djob-pool.c
/* SPDX-License-Identifier: MIT */
/*
 * djob_alloc/djob_release: records are zeroed, distinct and writable
 * whole; slots of released records are used again; a queue that grows,
 * shrinks in any order and grows again keeps every live record intact.
 */
#include <stdint.h>
#include <stdlib.h>

#include "daemon/daemon.h"
#include "t.h"

struct daemon *D;

#define N	5000

static bool
zeroed(const struct djob *dj)
{
	const unsigned char *p = (const unsigned char *)dj;

	for (size_t i = 0; i < sizeof *dj; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static void
fill(struct djob *dj, uint32_t id)
{
	memset(dj, 0xa5, sizeof *dj);
	dj->j.id = id;
}

int
main(void)
{
	static struct djob *live[N];
	struct djob *dj, *again;
	uint32_t i, bad = 0, nz = 0;

	dj = djob_alloc();
	ok(dj != NULL && zeroed(dj), "a record comes zeroed");
	ok(((uintptr_t)dj & 7) == 0, "aligned for its pointers");
	fill(dj, 1);
	djob_release(dj);
	again = djob_alloc();
#if defined(__SANITIZE_ADDRESS__)
	ok(zeroed(again), "a new record is zeroed (calloc under ASan)");
#else
	ok(again == dj && zeroed(again), "a released slot is used again, "
	    "zeroed");
#endif
	djob_release(again);

	for (i = 0; i < N; i++) {
		live[i] = djob_alloc();
		if (!zeroed(live[i]))
			nz++;
		fill(live[i], i);
	}
	ok(nz == 0, "%u records, all zeroed", N);
	/* Release every other one, then the rest in reverse. */
	for (i = 0; i < N; i += 2)
		djob_release(live[i]);
	for (i = 1; i < N; i += 2)
		if (live[i]->j.id != i)
			bad++;
	ok(bad == 0, "the survivors are intact");
	for (i = 0; i < N; i += 2) {
		live[i] = djob_alloc();
		if (!zeroed(live[i]))
			nz++;
		fill(live[i], i);
	}
	ok(nz == 0, "refilled slots are zeroed");
	bad = 0;
	for (i = 0; i < N; i++)
		if (live[i]->j.id != i)
			bad++;
	for (i = 0; i < N; i++)
		for (uint32_t k = i + 1; k < N && k < i + 200; k++)
			if (live[i] == live[k])
				bad++;
	ok(bad == 0, "every record intact and distinct");
	for (i = N; i-- > 0;)
		djob_release(live[i]);
	/* Everything went back (slabs unmapped): allocate again. */
	dj = djob_alloc();
	ok(dj != NULL && zeroed(dj), "after releasing all, allocation works");
	djob_release(dj);
	return done_testing();
}
