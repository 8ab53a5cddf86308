/* SPDX-License-Identifier: MIT */
/*
 * The heap of the musl-linked programs (see the Makefile): berth-jobsup
 * and bin/sbatch.  Size classes with free lists, carved from a static
 * arena.  A supervisor allocates some tens of KB to start its job (the
 * decoded spec, the environment, paths) and little afterwards; an sbatch
 * lives a millisecond and allocates a few hundred KB at most.  musl's
 * allocator mapped, unmapped and re-mapped a page at a time for that: in
 * the supervisor 5 mmap, 4 munmap and 2 brk per job, a TLB shootdown to
 * the other CPU with most munmaps once the job's child had run there, and
 * two faults per new page (one read, one write), about a fifth of its CPU
 * time; in sbatch 17 of the 40 system calls of an `sbatch --wrap`
 * (docs/performance.md, "Supervisor CPU per job" and the start path).
 *
 * Blocks are 32 << k bytes, a 16-byte header included, for k up to
 * CLASSES - 1 (256 KB: a client's 128 KB reply buffer fits, from the
 * arena); a freed block goes on its class's list and is reused first,
 * so a supervisor that lives for weeks (sampling its job's usage every
 * 30 s, forwarding signals) stays at the footprint of its largest round
 * of allocations.  New blocks come from the .bss arena
 * (zero pages, faulted in as touched: an idle supervisor forked by the
 * zygote shares nothing of it that it must copy), then from 1 MB
 * mappings, which are never returned.  Larger blocks are mappings of
 * their own, unmapped by free().  realloc() grows a block in place within
 * its class, or the most recent block in place while the bump region has
 * room (sbatch's request buffer grows so).
 *
 * Only in the musl builds: glibc builds (the `berth` CLI, whose large
 * listings want glibc's allocator, berthd, a supervisor built without
 * musl-tools) and the sanitizer builds keep their C library's allocator.
 * Single-threaded (the zygote, a supervisor, sbatch; the vforked child of
 * spawn.c allocates nothing).
 */
#include <stdlib.h>	/* first: it says whether this is glibc */

#if !defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)

#include <sys/mman.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HDR		16		/* keeps blocks 16-byte aligned */
#define MIN_BLOCK	32		/* class 0, header included */
#define CLASSES		14		/* 32 B .. 256 KB */
#define LARGE		0xffffffffu	/* a block mapped on its own */
#define ARENA_SIZE	(512u << 10)
#define CHUNK_SIZE	(1u << 20)

struct hdr {
	uint32_t	 cls;		/* class, or LARGE */
	uint32_t	 unused;
	size_t		 size;		/* bytes asked for; LARGE: mapped */
};

struct free_block {
	struct free_block *next;
};

/*
 * On x86-64 the arena goes to .lbss, which the linker places after .bss:
 * the few variables a supervisor writes (its own, the allocator's, the C
 * library's thread block and errno) then share one page, copied once
 * after the zygote's fork, instead of lying on both sides of the arena.
 * (GCC knows .lbss as a zero-filled section; it takes no room in the
 * file.)
 */
#if defined(__x86_64__) && defined(__GNUC__)
#define ARENA_SECTION	__attribute__((section(".lbss")))
#else
#define ARENA_SECTION
#endif

static _Alignas(16) char arena[ARENA_SIZE] ARENA_SECTION;
static char	*cur = arena;		/* bump region: never used yet, */
static char	*end = arena + ARENA_SIZE;	/* so still zero */
static char	*last;			/* the most recent bumped block */
static struct free_block *lists[CLASSES];

void	*malloc(size_t);
void	 free(void *);
void	*calloc(size_t, size_t);
void	*realloc(void *, size_t);

/* The smallest class whose blocks hold n bytes, or -1: a large block. */
static int
class_of(size_t n)
{
	size_t size = MIN_BLOCK;
	int k;

	for (k = 0; k < CLASSES; k++, size <<= 1) {
		if (n <= size - HDR)
			return k;
	}
	return -1;
}

/* Fresh zero pages, or NULL with errno ENOMEM. */
static void *
map_anon(size_t len)
{
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

static void *
large(size_t n)
{
	struct hdr *h;
	size_t len;
	void *p;

	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	len = (n + HDR + 4095) & ~(size_t)4095;
	if ((p = map_anon(len)) == NULL)
		return NULL;
	h = p;
	h->cls = LARGE;
	h->size = len;
	return (char *)p + HDR;
}

/*
 * A block of class k; *fresh says whether it is unused memory (zero).
 * Not named malloc: GCC turns malloc() then memset(0) into calloc().
 */
static void *
alloc_class(int k, size_t n, int *fresh)
{
	struct free_block *f;
	struct hdr *h;
	size_t size = (size_t)MIN_BLOCK << k;
	char *p;

	if ((f = lists[k]) != NULL) {
		lists[k] = f->next;
		h = (struct hdr *)((char *)f - HDR);
		h->size = n;
		*fresh = 0;
		return f;
	}
	if ((size_t)(end - cur) < size) {
		/* The rest of the region is left unused. */
		if ((p = map_anon(CHUNK_SIZE)) == NULL)
			return NULL;
		cur = p;
		end = p + CHUNK_SIZE;
	}
	h = (struct hdr *)(void *)cur;
	h->cls = (uint32_t)k;
	h->size = n;
	last = cur;
	cur += size;
	*fresh = 1;
	return (char *)h + HDR;
}

void *
malloc(size_t n)
{
	int k, fresh;

	if ((k = class_of(n)) == -1)
		return large(n);
	return alloc_class(k, n, &fresh);
}

void
free(void *p)
{
	struct free_block *f = p;
	struct hdr *h;

	if (p == NULL)
		return;
	h = (struct hdr *)((char *)p - HDR);
	if (h->cls == LARGE) {
		(void)munmap(h, h->size);
		return;
	}
	f->next = lists[h->cls];
	lists[h->cls] = f;
}

void *
calloc(size_t n, size_t m)
{
	void *p;
	int k, fresh;

	if (m != 0 && n > SIZE_MAX / m) {
		errno = ENOMEM;
		return NULL;
	}
	if ((k = class_of(n * m)) == -1)
		return large(n * m);	/* a new mapping: zero */
	/* Memory never used before is zero already. */
	if ((p = alloc_class(k, n * m, &fresh)) != NULL && !fresh)
		memset(p, 0, n * m);
	return p;
}

void *
realloc(void *p, size_t n)
{
	struct hdr *h;
	size_t have, grow;
	void *q;
	int k;

	if (p == NULL)
		return malloc(n);
	h = (struct hdr *)((char *)p - HDR);
	have = h->cls == LARGE ? h->size - HDR :
	    ((size_t)MIN_BLOCK << h->cls) - HDR;
	if (n <= have) {
		if (h->cls != LARGE)
			h->size = n;
		return p;
	}
	/* The most recent block moves up a class in place while the bump
	 * region has room. */
	if ((char *)h == last && (k = class_of(n)) != -1) {
		grow = ((size_t)MIN_BLOCK << k) - ((size_t)MIN_BLOCK << h->cls);
		if ((size_t)(end - cur) >= grow) {
			h->cls = (uint32_t)k;
			h->size = n;
			cur += grow;
			return p;
		}
	}
	if ((q = malloc(n)) == NULL)
		return NULL;
	memcpy(q, p, h->cls == LARGE ? have : h->size);
	free(p);
	return q;
}

#else
/* ISO C wants something in a translation unit. */
typedef int musl_alloc_unused;
#endif
