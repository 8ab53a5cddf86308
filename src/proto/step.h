/* SPDX-License-Identifier: MIT */
/*
 * Job steps and interactive allocations (srun, salloc): the step record,
 * its wire encoding, and the control values the daemon sends to a step's
 * srun.  The design and the conversations are in docs/steps.md.
 *
 * A step is launched and supervised by the srun process that asked for it
 * (the "step holder"); the daemon grants its resources inside the job's
 * allocation, records it, watches the srun by pidfd and accounts the step.
 * An interactive allocation (salloc, or srun outside any job) is a job
 * with JOB_F_INTERACTIVE: no batch script and no berth-jobsup; its holder
 * is the salloc/srun process that asked for it, or none (salloc
 * --no-shell).
 */
#ifndef BERTH_STEP_H
#define BERTH_STEP_H

#include <signal.h>
#include <stdint.h>

#include "job.h"
#include "msg.h"

/* job.flags: an allocation without a batch script (salloc/srun). */
#define JOB_F_INTERACTIVE	0x100000

/* step.flags */
#define STEP_F_EXCLUSIVE	0x01	/* srun --exclusive/--exact */
#define STEP_F_OVERLAP		0x02	/* srun --overlap: shares CPUs */
#define STEP_F_NTASKS_SET	0x04	/* -n given */
#define STEP_F_CPT_SET		0x08	/* -c given */
#define STEP_F_MEM_SET		0x10	/* --mem given */
#define STEP_F_GPUS_SET		0x20	/* a GPU option given */
#define STEP_F_PTY		0x40	/* --pty */
#define STEP_F_OVERCOMMIT	0x80	/* -O: tasks share one task's CPUs */

/*
 * MSG_STEP_QUERY (job_filter.flags, a bit job.h's FILTER_F_* leave free):
 * after the steps the reply carries "u32 m, m x (job record, u32 pid)":
 * each listed job the daemon still holds (pending, running, or ended
 * less than MinJobAge ago), with the pid of its batch script while it
 * runs (the process group of ID.batch), else 0.  For sstat.
 */
#define FILTER_F_STEP_JOBS	0x80000000u

/* MSG_ALLOC flags (after the job_desc). */
#define ALLOC_F_IMMEDIATE	0x01	/* -I: fail unless it starts now */
#define ALLOC_F_NO_HOLDER	0x02	/* salloc --no-shell: nobody holds it */
#define ALLOC_F_STEP		0x04	/* srun: a step request follows; the
					 * grant creates step 0 */
/* MSG_ALLOC_RELEASE flags */
#define RELEASE_F_STEP		0x01	/* a final step record follows */

/*
 * Control values, daemon -> srun/salloc, as the value of a SPEC_CTL_SIG
 * sigqueue to the holder's pid (the scheme of supervisors, spec.h, on
 * another signal: SIGRTMIN is taken in the clients):
 *   v & 0xff, no flag: forward signal (v & 0xff) to all tasks of the step
 *   STEP_CTL_CANCEL:   the step or allocation is cancelled (scancel):
 *                      TERM to the tasks, KILL after KillWait, report the
 *                      step CANCELLED
 *   STEP_CTL_TIMEOUT:  the job's time limit was reached: as CANCEL, but
 *                      the step/allocation ends TIMEOUT
 */
#define SPEC_CTL_SIG		(SIGRTMAX - 1)
#define STEP_CTL_CANCEL		0x800
#define STEP_CTL_TIMEOUT	0x1000

/*
 * The step record.  As a request (MSG_STEP_CREATE, or after MSG_ALLOC
 * with ALLOC_F_STEP) srun fills job_id, ntasks, cpus_per_task, mem_mb,
 * gpus, flags, name, command; the daemon fills the rest.  As a final
 * record (MSG_STEP_COMPLETE) srun fills state, exit_status, end_time and
 * the usage fields.  Strings may be NULL.
 */
struct step {
	uint32_t	 job_id;
	uint32_t	 step_id;	/* 0, 1, ... */
	uint32_t	 uid;
	uint32_t	 state;		/* enum job_state */
	uint32_t	 flags;		/* STEP_F_* */
	uint32_t	 ntasks;
	uint32_t	 cpus_per_task;
	uint32_t	 ncpus;		/* CPUs granted (cpu_ids) */
	uint64_t	 mem_mb;	/* per node; 0: the job's */
	uint32_t	 gpus;
	int32_t		 exit_status;	/* wait(2) status, Slurm's choice of
					 * task (highest exit code) */
	int32_t		 srun_pid;	/* the step's holder */
	int32_t		 pgid;		/* process group of the tasks, 0 until
					 * launched */
	uint64_t	 srun_start;	/* holder's start time, /proc/PID/stat
					 * field 22, against pid reuse */
	uint32_t	 kill_uid;	/* who cancelled it; NO_VAL if nobody */
	int64_t		 start_time;
	int64_t		 end_time;
	uint64_t	 max_rss_kb;
	uint64_t	 user_usec;
	uint64_t	 sys_usec;
	char		*name;		/* -J, else the command's basename */
	char		*command;	/* the command line, for SubmitLine */
	char		*cpu_ids;	/* granted core ids "0-1" */
	char		*gpu_ids;	/* granted GPU indices, or NULL */
};

void	 step_free(struct step *);
void	 proto_step_put(struct msg *, const struct step *);
int	 proto_step_get(struct msg *, struct step *);

#endif
