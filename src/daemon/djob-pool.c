/* SPDX-License-Identifier: MIT */
/*
 * Where struct djob records live: 64 KB slabs of their own, mapped from
 * the kernel and unmapped when their last job is forgotten.  With malloc
 * a long queue's jobs sat among the small, short-lived allocations of
 * the jobs that ran before them (step and allocation parts, strings,
 * reply buffers); those left holes between the pending jobs that pinned
 * whole pages, about 0.25 MB with 10,000 pending after the bench's
 * workloads, and every record carried malloc's 8-byte header in a
 * 16-byte-rounded chunk (W5, docs/performance.md).
 *
 * A slab is SLAB_SIZE bytes aligned to SLAB_SIZE, so a record's slab is
 * found by masking its address.  Free slots are chained through their
 * first bytes; slabs with free slots are on `partial`.  Allocation takes
 * the first partial slab's first free slot, so a queue refills the slabs
 * of the jobs it forgot before new ones are mapped; a slab whose last job
 * is forgotten is unmapped (but for one spare).
 *
 * Under AddressSanitizer records come from calloc, so use after
 * job_forget() is still caught.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "daemon.h"

#define SLAB_SIZE	(64 * 1024)

struct slot {
	struct slot	*next;
};

struct slab {
	struct slab	*next;		/* on partial */
	struct slab	*prev;
	struct slot	*free;
	uint32_t	 used;
	bool		 listed;	/* on partial */
};

#define SLAB_FIRST	((sizeof(struct slab) + 15) & ~(size_t)15)
#define SLAB_SLOTS	((SLAB_SIZE - SLAB_FIRST) / sizeof(struct djob))

#if defined(__SANITIZE_ADDRESS__)

struct djob *
djob_alloc(void)
{
	return xcalloc(1, sizeof(struct djob));
}

void
djob_release(struct djob *dj)
{
	free(dj);
}

#else

static struct slab *partial;
/* One emptied slab is kept (on partial) so that a queue going between
 * empty and one job does not map and unmap a slab each time. */
static struct slab *spare;

static void
unlist(struct slab *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		partial = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
	s->listed = false;
}

static void
list(struct slab *s)
{
	s->prev = NULL;
	s->next = partial;
	if (partial != NULL)
		partial->prev = s;
	partial = s;
	s->listed = true;
}

/* A new slab, SLAB_SIZE-aligned: map twice the size, unmap the rest. */
static struct slab *
slab_new(void)
{
	struct slab *s;
	struct slot **tail;
	char *p, *a;
	size_t lead;

	p = mmap(NULL, 2 * SLAB_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatal("mmap job slab");
	a = (char *)(((uintptr_t)p + SLAB_SIZE - 1) &
	    ~(uintptr_t)(SLAB_SIZE - 1));
	lead = (size_t)(a - p);
	if (lead > 0 && munmap(p, lead) == -1)
		fatal("munmap job slab");
	if (munmap(a + SLAB_SIZE, SLAB_SIZE - lead) == -1)
		fatal("munmap job slab");
	s = (struct slab *)a;
	memset(s, 0, sizeof *s);
	tail = &s->free;
	for (size_t i = 0; i < SLAB_SLOTS; i++) {
		struct slot *sl = (struct slot *)(a + SLAB_FIRST +
		    i * sizeof(struct djob));

		*tail = sl;
		tail = &sl->next;
	}
	*tail = NULL;
	list(s);
	return s;
}

struct djob *
djob_alloc(void)
{
	struct slab *s = partial != NULL ? partial : slab_new();
	struct slot *sl = s->free;

	if (s == spare)
		spare = NULL;
	s->free = sl->next;
	s->used++;
	if (s->free == NULL)
		unlist(s);
	memset(sl, 0, sizeof(struct djob));
	return (struct djob *)sl;
}

void
djob_release(struct djob *dj)
{
	struct slab *s = (struct slab *)((uintptr_t)dj &
	    ~(uintptr_t)(SLAB_SIZE - 1));
	struct slot *sl = (struct slot *)dj;

	sl->next = s->free;
	s->free = sl;
	if (!s->listed)
		list(s);
	if (--s->used > 0)
		return;
	if (spare == NULL) {
		spare = s;
		return;
	}
	unlist(s);
	if (munmap(s, SLAB_SIZE) == -1)
		log_warn("munmap job slab");
}

#endif
