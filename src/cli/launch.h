/* SPDX-License-Identifier: MIT */
/*
 * The task launcher of srun: what slurmstepd does for a step on a cluster,
 * done by srun itself on this one machine (docs/steps.md).  It forks the
 * step's tasks into one new process group, binds them to CPUs, gives each
 * its environment, pumps their standard streams through pipes (or a
 * pseudo-terminal for task 0 with --pty), forwards signals, obeys the
 * daemon's control values (STEP_CTL_*), waits for every task with wait4
 * and reports the step's result.
 *
 * The pure parts (CPU binding plan, file name patterns, exit code rules)
 * are separate functions so that unit tests link them without forking.
 */
#ifndef BERTH_LAUNCH_H
#define BERTH_LAUNCH_H

#include <sys/types.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * -i/-o/-e: srun's I/O modes ("all" is the default: srun's own stream;
 * "none"; a task number: only that task, the others /dev/null; else a
 * file name pattern).
 */
enum io_kind { IO_ALL, IO_NONE, IO_TASK, IO_FILE };
struct io_mode {
	enum io_kind	 kind;
	uint32_t	 task;		/* IO_TASK */
	const char	*pattern;	/* IO_FILE */
};
void	 launch_io_mode(const char *value, struct io_mode *);

/* What file name patterns expand (%j %J %s %t %n %N %u %x %A %a %%). */
struct launch_names {
	uint32_t	 job_id;
	uint32_t	 step_id;
	uint32_t	 array_job_id;	/* 0: not an array task */
	uint32_t	 array_task_id;
	const char	*node;
	const char	*user;
	const char	*job_name;
	const char	*workdir;	/* relative names are against it */
};
/* Expand an srun file pattern for task (Slurm's fname.c); caller frees. */
char	*launch_expand(const char *pattern, const struct launch_names *,
	    uint32_t task);
/* Does the pattern differ between tasks (%t)? */
bool	 launch_pattern_per_task(const char *pattern);

/*
 * --cpu-bind: each task's CPU set as a list ("0-1"), or NULL for no
 * binding, and the SLURM_CPU_BIND* values the tasks see.  Default (no
 * --cpu-bind): every task bound to all of the step's CPUs, shown as
 * "quiet,mask_cpu:0x3" (60_srun, 23_env_srun_step).  Returns -1 with
 * *cause for a map/mask that names CPUs outside the step.
 */
struct bind_plan {
	char		**task_cpus;	/* ntasks lists, or NULL: unbound */
	char		*env_bind;	/* SLURM_CPU_BIND */
	char		*env_type;	/* SLURM_CPU_BIND_TYPE */
	char		*env_list;	/* SLURM_CPU_BIND_LIST */
	bool		 verbose;
};
int	 launch_bind_plan(const char *cpu_bind, const char *step_cpus,
	    uint32_t ntasks, uint32_t cpus_per_task, struct bind_plan *,
	    char **cause);
void	 launch_bind_free(struct bind_plan *, uint32_t ntasks);

/* The step, as srun asks the launcher to run it. */
struct step_launch {
	char		**argv;		/* the command */
	char		***task_argv;	/* --multi-prog: each task's, or NULL */
	char		**task_env0;	/* step environment (jobsup_env_step) */
	uint32_t	 ntasks;
	struct bind_plan bind;
	const char	*workdir;	/* -D, else srun's cwd */
	const char	*node;		/* "srun: error: vm: ..." */
	struct launch_names names;
	struct io_mode	 in, out, err;
	bool		 label;
	bool		 unbuffered;
	bool		 pty;		/* task 0 on a pseudo-terminal */
	bool		 append;	/* --open-mode=append */
	bool		 kill_on_bad_exit;
	bool		 disable_status;	/* -X */
	int		 quiet;
	int		 verbose;	/* -v: the launch and each exit */
	uint32_t	 kill_wait;	/* seconds between TERM and KILL */
	/* Called once every task is forked; returns -1 to abort the step. */
	int		(*launched)(void *arg, pid_t pgid);
	void		*arg;
};

/* The step's end. */
struct launch_result {
	int		 status;	/* wait status of Slurm's chosen task */
	int		 exit_code;	/* srun's exit code */
	uint32_t	 state;		/* enum job_state of the step */
	pid_t		 pgid;
	int64_t		 start_time, end_time;
	uint64_t	 max_rss_kb;
	uint64_t	 user_usec, sys_usec;
};

/*
 * Run the step to its end.  Returns 0 with *res filled, or -1 when the
 * tasks could not be started at all (message printed).
 */
int	 launch_run(struct step_launch *, struct launch_result *res);

/*
 * The exit code srun returns for task wait statuses: the highest exit
 * code; a task killed by a signal counts as 128+signal.  *chosen gets the
 * index of the task that decided it.
 */
int	 launch_exit_code(const int *statuses, uint32_t n, uint32_t *chosen);

/* pty.c: the local terminal in raw mode for --pty, restored at exit. */
int	 pty_raw_begin(int fd);
void	 pty_raw_end(void);
/* Open a pseudo-terminal pair (master non-blocking, close-on-exec). */
int	 pty_open(int *master, char **slave_name);
/* Copy the window size of fd to the pty master. */
void	 pty_winsize(int from, int master);

#endif
