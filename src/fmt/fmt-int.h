/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the field tables of src/fmt/ (not for other modules).
 */
#ifndef BERTH_FMT_INT_H
#define BERTH_FMT_INT_H

#include "fmt.h"

/* Slurm prints a NULL string as glibc does: "(null)". */
void	 fmt_str0(struct buf *, const char *);
/* Total memory of a job in MB (per-CPU memory times CPUs). */
uint64_t fmt_job_mem_total(const struct job *);
/*
 * A job's TRES string.  Slurm orders it by TRES id in squeue/scontrol
 * ("cpu=2,mem=2000M,node=1,billing=2,gres/gpu=1") and by name in sacct
 * ("billing=2,cpu=2,gres/gpu=1,mem=2000M,node=1").
 */
#define FMT_TRES_BY_NAME	0x1
#define FMT_TRES_BILLING	0x2
void	 fmt_job_tres(struct buf *, const struct job *, int flags);

#endif
