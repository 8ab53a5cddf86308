/* SPDX-License-Identifier: MIT */
/*
 * Machine resource detection.  Each function returns -1 (with *cause,
 * caller frees) when the source is unreadable; absence of GPUs is 0 GPUs,
 * not an error.
 */
#ifndef BERTH_RESOURCE_H
#define BERTH_RESOURCE_H

#include <stdint.h>

/* Usable core ids as a list string "0-3,6" (sched_getaffinity). */
int	 detect_cpus(char **ids, uint32_t *count, char **cause);
/* Sockets, cores per socket, threads per core from sysfs topology. */
void	 detect_topology(uint32_t ncpus, uint32_t *sockets,
	    uint32_t *cores_per_socket, uint32_t *threads_per_core);
/* MemTotal from /proc/meminfo, in MB; free = MemAvailable in MB. */
int	 detect_memory(uint64_t *total_mb, uint64_t *avail_mb, char **cause);
/*
 * NVIDIA GPUs: `nvidia-smi --query-gpu=index --format=csv,noheader` when
 * nvidia-smi is on PATH (run with a 5 s limit), else the entries of
 * /proc/driver/nvidia/gpus.  *count = 0 when there are none.
 */
int	 detect_gpus(uint32_t *count, char **cause);
/* The entries of dir (the driver's /proc/driver/nvidia/gpus): 1 and
 * *count, 0 when dir does not exist, -1 when it cannot be read. */
int	 gpu_proc_count(const char *dir, uint32_t *count, char **cause);
/* 1-minute load average * 100 from /proc/loadavg. */
uint32_t detect_load_x100(void);

#endif
