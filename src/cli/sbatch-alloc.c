/* SPDX-License-Identifier: MIT */
/*
 * The heap of the musl-linked bin/sbatch (see the Makefile): a bump
 * allocator.  An `sbatch` lives a millisecond and allocates a few hundred
 * KB at most, but musl's allocator maps and unmaps a page at a time as its
 * small groups fill and empty: 17 of the 40 system calls of an `sbatch
 * --wrap` and about a fifth of its CPU time (munmap's TLB flushes, page
 * faults on each new mapping; docs/performance.md).  Here memory comes
 * from a static arena (zero-filled .bss pages, faulted in as touched),
 * then from 1 MB mappings; free() only takes back the most recent block,
 * realloc() grows the most recent block in place.  Memory is returned to
 * the system when the process exits.
 *
 * Only in the musl build of the CLI: the glibc `berth` (squeue, sacct,
 * ...) keeps glibc's allocator, which its large listings need, and the
 * sanitizer builds keep theirs.  The CLI is single-threaded.
 */
#include <stdlib.h>	/* first: it says whether this is glibc */

#if !defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)

#include <sys/mman.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HDR		16		/* keeps blocks 16-byte aligned */
#define ARENA_SIZE	(256u << 10)
#define CHUNK_SIZE	(1u << 20)

struct hdr {
	size_t		 size;		/* bytes asked for */
	size_t		 room;		/* bytes usable after the header */
};

static _Alignas(16) char arena[ARENA_SIZE];
static char	*cur = arena;
static char	*end = arena + ARENA_SIZE;
static char	*last;			/* the most recent block */

static size_t
round16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

void	*malloc(size_t);
void	 free(void *);
void	*calloc(size_t, size_t);
void	*realloc(void *, size_t);

/* Not named malloc: GCC turns malloc() then memset(0) into calloc(). */
static void *
bump(size_t n)
{
	struct hdr *h;
	size_t need, len;
	char *p;

	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	need = HDR + round16(n == 0 ? 1 : n);
	if ((size_t)(end - cur) < need) {
		len = need > CHUNK_SIZE ? round16(need) : CHUNK_SIZE;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			errno = ENOMEM;
			return NULL;
		}
		cur = p;
		end = p + len;
	}
	h = (struct hdr *)(void *)cur;
	h->size = n;
	h->room = need - HDR;
	last = cur;
	cur += need;
	return (char *)h + HDR;
}

void *
malloc(size_t n)
{
	return bump(n);
}

void
free(void *p)
{
	char *b;

	if (p == NULL)
		return;
	b = (char *)p - HDR;
	if (b == last) {
		cur = b;
		last = NULL;
	}
}

void *
calloc(size_t n, size_t m)
{
	void *p;

	if (m != 0 && n > SIZE_MAX / m) {
		errno = ENOMEM;
		return NULL;
	}
	if ((p = bump(n * m)) != NULL)
		memset(p, 0, n * m);	/* a freed block may be reused */
	return p;
}

void *
realloc(void *p, size_t n)
{
	struct hdr *h;
	char *b;
	void *q;
	size_t need;

	if (p == NULL)
		return bump(n);
	b = (char *)p - HDR;
	h = (struct hdr *)(void *)b;
	if (n <= h->room) {
		h->size = n;
		return p;
	}
	/* The most recent block grows in place while there is room. */
	if (b == last && n <= SIZE_MAX / 2) {
		need = round16(n);
		if ((size_t)(end - (char *)p) >= need) {
			h->size = n;
			h->room = need;
			cur = (char *)p + need;
			return p;
		}
	}
	if ((q = bump(n)) == NULL)
		return NULL;
	memcpy(q, p, h->size);
	return q;
}

#else
/* ISO C wants something in a translation unit. */
typedef int sbatch_alloc_unused;
#endif
