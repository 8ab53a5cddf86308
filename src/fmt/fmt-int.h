/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the field tables of src/fmt/ (not for other modules).
 */
#ifndef BERTH_FMT_INT_H
#define BERTH_FMT_INT_H

#include <string.h>

#include "fmt.h"

/*
 * Appends for the hot path: a listing of 10,000 jobs appends a few
 * hundred thousand short pieces, so the common case (room left) is inline
 * and buf_reserve is called only to grow.  Same result as buf_add,
 * buf_adds and buf_addc.
 */
static inline void
fmt_add(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
fmt_adds(struct buf *b, const char *s)
{
	fmt_add(b, s, strlen(s));
}

static inline void
fmt_addc(struct buf *b, char c)
{
	if (b->cap - b->len <= 1)
		buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

/*
 * Number formats without printf (the getters run once per cell):
 * fmt_u64/fmt_i64 "%llu"/"%lld"; fmt_2d "%02d" for 0..99; fmt_clock
 * "HH:MM:SS" with each part 0..99.
 */
/* The long strings of a job record that listings may leave out. */
uint64_t fmt_job_heavy_mask(void);
void	 fmt_u64(struct buf *, uint64_t);
void	 fmt_i64(struct buf *, int64_t);
void	 fmt_2d(struct buf *, int);
void	 fmt_clock(struct buf *, int, int, int);
/* Slurm's convert_num_unit2() (time-fmt.c): modes for fmt_num_unit. */
#define FMT_UNIT_EXACT	0	/* convert while no precision is lost */
#define FMT_UNIT_ALL	1	/* convert while >= one unit */
#define FMT_UNIT_NONE	2	/* --noconvert */
void	 fmt_num_unit(struct buf *, double, int unit, int divisor, int mode);
/* Slurm prints a NULL string as glibc does: "(null)". */
void	 fmt_str0(struct buf *, const char *);
/* Total memory of a job in MB (per-CPU memory times CPUs). */
/*
 * A job's TRES string.  Slurm orders it by TRES id in squeue/scontrol
 * ("cpu=2,mem=2000M,node=1,billing=2,gres/gpu=1") and by name in sacct
 * ("billing=2,cpu=2,gres/gpu=1,mem=2000M,node=1").
 */
#define FMT_TRES_BY_NAME	0x1
#define FMT_TRES_BILLING	0x2
void	 fmt_job_tres(struct buf *, const struct job *, int flags);

#endif
