/* SPDX-License-Identifier: MIT */
/*
 * What the daemon gives back when it goes idle (nothing staged, nothing
 * to wait for): the scheduler's scratch arrays, SQLite's page cache and
 * the heap pages freed by a burst of work.  A daemon holding a long queue
 * otherwise keeps the high-water mark of its last listing or purge
 * resident for good (W5, docs/performance.md).
 *
 * Work that leaves freed memory behind says so with idle_trim_due(): a
 * reply of 128 KB or more, a purge of many jobs, the scratch of a long
 * pass.  Only then, at the next idle moment, SQLite releases its cache
 * and malloc_trim() hands the free heap pages to the kernel: trimming
 * after every request would make the next one fault its pages in again
 * (about 2 us a page on this VM), and the pages of a small request are
 * few anyway.
 */
#include <malloc.h>

#include "daemon.h"

static bool trim_due;

void
idle_trim_due(void)
{
	trim_due = true;
}

void
daemon_idle(void)
{
	schedule_release();
	if (!trim_due)
		return;
	trim_due = false;
	store_release_memory(D->store);
	malloc_trim(0);
}
