/* SPDX-License-Identifier: MIT */
/*
 * Fixed-size bitmaps of core ids (and GPU indices) and their list form,
 * "0-3,8,10-11", as Slurm prints CPU_IDs and GPU IDX.  A bitmap holds ids
 * 0..SCHED_MAX_CPUS-1; setting or testing an id beyond that is ignored (the
 * scheduler never allocates ids the node does not have).  Pure: no
 * allocation, no I/O.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sched.h"

static int	bitmap_next_set(const struct bitmap *, uint32_t);
static int	bitmap_next_clear(const struct bitmap *, uint32_t);

void
bitmap_clear(struct bitmap *b)
{
	memset(b, 0, sizeof *b);
}

void
bitmap_set(struct bitmap *b, uint32_t i)
{
	if (i < SCHED_MAX_CPUS)
		b->w[i / 64] |= UINT64_C(1) << (i % 64);
}

void
bitmap_unset(struct bitmap *b, uint32_t i)
{
	if (i < SCHED_MAX_CPUS)
		b->w[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

bool
bitmap_test(const struct bitmap *b, uint32_t i)
{
	if (i >= SCHED_MAX_CPUS)
		return false;
	return (b->w[i / 64] >> (i % 64)) & 1;
}

uint32_t
bitmap_count(const struct bitmap *b)
{
	uint32_t	n = 0;
	size_t		i;

	for (i = 0; i < SCHED_WORDS; i++)
		n += (uint32_t)__builtin_popcountll(b->w[i]);
	return n;
}

/* First set bit at or after from, or -1. */
static int
bitmap_next_set(const struct bitmap *b, uint32_t from)
{
	uint32_t	i;
	uint64_t	w;

	if (from >= SCHED_MAX_CPUS)
		return -1;
	i = from / 64;
	w = b->w[i] & (~UINT64_C(0) << (from % 64));
	for (;;) {
		if (w != 0)
			return (int)(i * 64 + (uint32_t)__builtin_ctzll(w));
		if (++i == SCHED_WORDS)
			return -1;
		w = b->w[i];
	}
}

/* First clear bit at or after from, or SCHED_MAX_CPUS. */
static int
bitmap_next_clear(const struct bitmap *b, uint32_t from)
{
	uint32_t	i;
	uint64_t	w;

	if (from >= SCHED_MAX_CPUS)
		return SCHED_MAX_CPUS;
	i = from / 64;
	w = ~b->w[i] & (~UINT64_C(0) << (from % 64));
	for (;;) {
		if (w != 0)
			return (int)(i * 64 + (uint32_t)__builtin_ctzll(w));
		if (++i == SCHED_WORDS)
			return SCHED_MAX_CPUS;
		w = ~b->w[i];
	}
}

/*
 * Reads one id: decimal digits only, below SCHED_MAX_CPUS.  Advances *sp.
 */
static int
bitmap_parse_id(const char **sp, uint32_t *out)
{
	const char	*s = *sp;
	uint32_t	 v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (uint32_t)(*s - '0');
		if (v >= SCHED_MAX_CPUS)
			return -1;
		s++;
	}
	*sp = s;
	*out = v;
	return 0;
}

/*
 * "" is the empty set.  Elements are "N" or "N-M" (N <= M) separated by
 * single commas; no spaces, signs or empty elements.  On error the bitmap
 * is left empty.
 */
int
bitmap_parse(struct bitmap *b, const char *s)
{
	uint32_t	lo, hi, i;

	bitmap_clear(b);
	if (*s == '\0')
		return 0;
	for (;;) {
		if (bitmap_parse_id(&s, &lo) != 0)
			goto fail;
		hi = lo;
		if (*s == '-') {
			s++;
			if (bitmap_parse_id(&s, &hi) != 0 || hi < lo)
				goto fail;
		}
		for (i = lo; i <= hi; i++)
			bitmap_set(b, i);
		if (*s == '\0')
			return 0;
		if (*s != ',')
			goto fail;
		s++;
	}
fail:
	bitmap_clear(b);
	return -1;
}

/*
 * Runs of two or more ids print as "a-b" (Slurm prints "0-1", not "0,1").
 * If buf is too small the text is cut short, still NUL-terminated.
 */
void
bitmap_format(const struct bitmap *b, char *buf, size_t len)
{
	size_t	off = 0;
	int	lo, hi, n;

	if (len == 0)
		return;
	buf[0] = '\0';
	lo = bitmap_next_set(b, 0);
	while (lo >= 0) {
		hi = bitmap_next_clear(b, (uint32_t)lo) - 1;
		if (hi > lo)
			n = snprintf(buf + off, len - off, "%s%d-%d",
			    off ? "," : "", lo, hi);
		else
			n = snprintf(buf + off, len - off, "%s%d",
			    off ? "," : "", lo);
		if (n < 0 || (size_t)n >= len - off)
			return;		/* truncated; snprintf terminated it */
		off += (size_t)n;
		lo = bitmap_next_set(b, (uint32_t)hi + 1);
	}
}
