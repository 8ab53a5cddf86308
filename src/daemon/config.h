/* SPDX-License-Identifier: MIT */
/*
 * The daemon's configuration: detected machine resources, overridden by
 * berth.conf, which uses slurm.conf syntax for the parts that apply:
 *
 *   ClusterName=berth
 *   NodeName=mybox CPUs=16 RealMemory=64000 Gres=gpu:2 Feature=a100,ib
 *   PartitionName=cpu Default=YES MaxTime=INFINITE State=UP
 *   PartitionName=debug MaxTime=30:00 DefaultTime=10:00
 *   DefMemPerCPU=1000  KillWait=30  MinJobAge=300  MaxArraySize=1001
 *   PriorityType=priority/multifactor PriorityWeightAge=1000 ...
 *
 * Unknown keys are logged and ignored (slurm.conf has hundreds); malformed
 * values of known keys are errors.  With no file (or no PartitionName
 * line) there is one partition named "cpu", Default=YES.
 */
#ifndef BERTH_CONFIG_H
#define BERTH_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

enum part_state { PART_UP = 1, PART_DOWN = 0, PART_DRAIN = 2, PART_INACTIVE = 3 };

struct part_conf {
	char		*name;
	bool		 is_default;
	uint32_t	 state;		/* enum part_state */
	uint32_t	 max_time;	/* minutes or INFINITE */
	uint32_t	 default_time;	/* minutes or NO_VAL */
	uint32_t	 max_nodes;	/* INFINITE */
	uint32_t	 max_cpus_per_node; /* INFINITE */
	uint64_t	 max_mem_per_node;  /* MB, 0 = unlimited */
	uint32_t	 priority_tier;
	uint32_t	 priority_job_factor;	/* default 1 */
	char		*allow_groups;	/* NULL = ALL */
	char		*allow_accounts;
};

struct berth_conf {
	char		*cluster_name;	/* default "berth" */
	char		*node_name;	/* default: short host name */
	uint32_t	 cpus;		/* count of usable CPUs */
	char		*cpu_ids;	/* usable core ids "0-15" (affinity) */
	uint32_t	 sockets;
	uint32_t	 cores_per_socket;
	uint32_t	 threads_per_core;
	uint64_t	 real_mem_mb;
	uint32_t	 gpus;
	char		*gpu_type;	/* from Gres=gpu:TYPE:N, or NULL */
	char		*features;	/* Feature= */
	uint64_t	 def_mem_per_cpu;	/* MB; default RealMemory/CPUs */
	uint32_t	 kill_wait;	/* seconds, default 30 */
	uint32_t	 min_job_age;	/* seconds, default 300 */
	uint32_t	 job_requeue;	/* JobRequeue: default of --requeue */
	uint32_t	 max_array_size;	/* default 1001 */
	uint32_t	 max_job_count;	/* default 10000000 */
	uint32_t	 first_job_id;	/* default 1 */
	uint32_t	 max_script_size;	/* bytes, default 4 MiB */
	uint32_t	 kill_invalid_depend;	/* DependencyParameters=
						 * kill_invalid_depend */
	uint32_t	 enforce_part_limits;	/* EnforcePartLimits: 0 NO,
						 * 1 ANY, 2 ALL */
	/* priority/multifactor (daemon/priority.c); times in minutes */
	uint32_t	 prio_multifactor;	/* PriorityType */
	uint32_t	 prio_w_age;		/* PriorityWeight* */
	uint32_t	 prio_w_fs;
	uint32_t	 prio_w_js;
	uint32_t	 prio_w_part;
	uint32_t	 prio_w_qos;
	uint32_t	 prio_max_age;		/* PriorityMaxAge, 7-0 */
	uint32_t	 prio_half_life;	/* PriorityDecayHalfLife, 7-0 */
	uint32_t	 prio_calc_period;	/* PriorityCalcPeriod, 5 */
	bool		 prio_favor_small;	/* PriorityFavorSmall */
	struct part_conf *parts;
	uint32_t	 nparts;
	uint32_t	 default_part;	/* index into parts */
	char		*path;		/* file read, or NULL */
};

/*
 * Detect the machine (cores from sched_getaffinity/sysfs, memory from
 * /proc/meminfo, GPUs from nvidia-smi on PATH or /proc/driver/nvidia/gpus),
 * then apply the file at path if it exists.  Returns -1 with *cause set
 * (caller frees) on a malformed file.
 */
int	 conf_load(const char *path, struct berth_conf *, char **cause);
void	 conf_free(struct berth_conf *);
/* Index of partition name, or -1. */
int	 conf_find_part(const struct berth_conf *, const char *name);

#endif
