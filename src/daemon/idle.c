/* SPDX-License-Identifier: MIT */
/*
 * What the daemon gives back when it goes idle: the scheduler's scratch
 * arrays, SQLite's page cache and the heap pages freed by a burst of
 * work.  A daemon holding a long queue otherwise keeps the high-water mark
 * of its last listing or purge resident for good (W5, docs/performance.md).
 *
 * Work that leaves freed memory behind says so with idle_trim_due(): a
 * reply of 128 KB or more, a purge of many jobs, the scratch of a long
 * pass.  The memory goes back once the daemon has been quiet for
 * IDLE_QUIET_MS: SQLite releases its cache and malloc_trim() hands the
 * free heap pages to the kernel.  Trimming between the requests of a
 * burst would make each one fault its pages in again (about 2 us a page
 * on this VM: a quarter of a millisecond for a 10,000-job squeue); a
 * script's queries come 1-3 ms apart here, so they find their pages still
 * mapped.  Small requests never ask for a trim.
 */
#include <malloc.h>

#include "daemon.h"

#define IDLE_QUIET_MS	5

static bool trim_due;

void
idle_trim_due(void)
{
	trim_due = true;
}

int
daemon_idle(bool quiet)
{
	schedule_release();
	if (!trim_due)
		return -1;
	if (!quiet)
		return IDLE_QUIET_MS;
	trim_due = false;
	store_release_memory(D->store);
	malloc_trim(0);
	return -1;
}
