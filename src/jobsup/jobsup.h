/* SPDX-License-Identifier: MIT */
/*
 * berth-jobsup, the per-job supervisor: the pure pieces (environment,
 * output file names, CPU lists) that unit tests link on their own, and the
 * launch interface between main.c and spawn.c.
 *
 * The contract with the daemon (job directory files, fd layout, control
 * signals, result format) is in proto/spec.h.  Exit status of the
 * supervisor itself: 0 when a result file was written (whatever happened
 * to the job), 100 for a usage error, 111 for a system failure before a
 * result could be written.
 */
#ifndef BERTH_JOBSUP_H
#define BERTH_JOBSUP_H

#include <sys/types.h>
#include <sys/resource.h>
#include <pwd.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>

#include "../proto/spec.h"

#define JOBSUP_EXIT_USAGE	100
#define JOBSUP_EXIT_SYSTEM	111

/*
 * Raw wait(2) status recorded when the job cannot be started before exec
 * (working directory, output files, credentials).  Slurm shows such a job
 * as FAILED with ExitCode 0:53 (17_sbatch_chdir), i.e. "signal 53".
 */
#define JOBSUP_LAUNCH_STATUS	53

/*
 * env.c: the batch job's environment, as slurmstepd builds it: spec->env
 * (the submitter's exported environment), minus stale job-specific SLURM_*
 * variables, plus the SLURM_* set of 20_env_plain/21_env_array/
 * 22_env_ntasks/24_env_gpu, ENVIRONMENT=BATCH, HOSTNAME, TMPDIR and PWD.
 * pw may be NULL; with JOB_F_EXPORT_NONE it supplies the login variables
 * (HOME, USER, LOGNAME, SHELL, MAIL, PATH) that --export=NONE jobs get.
 * pid is SLURM_TASK_PID.  login, when not NULL, is the user's login
 * environment (launch_login_env): the base that spec->env overrides, as
 * Slurm merges --get-user-env.  Returns a NULL-terminated "K=V" vector in
 * insertion order; free with strv_free.
 *
 * Array tasks: SLURM_ARRAY_JOB_ID and SLURM_ARRAY_TASK_ID come from the job
 * record; SLURM_ARRAY_TASK_COUNT/MIN/MAX/STEP are not in struct job, so they
 * are taken from spec->env when the daemon put them there.
 */
char	**jobsup_env_build(const struct job_spec *, pid_t pid,
	    const struct passwd *pw, char *const *login);
/*
 * The environment of a job step's tasks (srun), as slurmstepd builds it
 * for a step (60_srun, 23_env_srun_step): the batch set above computed
 * from the job record and spec->env (srun's environment after --export),
 * then the step's own values: SLURM_NTASKS/SLURM_NPROCS,
 * SLURM_TASKS_PER_NODE and SLURM_STEP_* of the step, SLURM_STEPID,
 * SLURM_GTIDS (every task id on the node), SLURM_CPU_BIND*, SLURM_UMASK,
 * the launcher's SLURM_SRUN_COMM_* and SLURM_LAUNCH_NODE_IPADDR, and GPU
 * variables for the step's devices.  ENVIRONMENT=BATCH,
 * SLURM_NODE_ALIASES and SLURM_MEM_PER_* stay only when spec->env has them
 * (a step inside a batch job).  SLURM_PROCID, SLURM_LOCALID and
 * SLURM_TASK_PID are per task: jobsup_env_task.  Returns a vector for
 * strv_free.
 */
struct jobsup_step_env {
	uint32_t	 step_id;
	uint32_t	 ntasks;
	uint32_t	 cpus_per_task;
	bool		 cpt_set;	/* -c given to srun */
	bool		 in_alloc;	/* srun inside an existing allocation */
	const char	*gpu_ids;	/* the step's GPUs, or NULL */
	const char	*cpu_bind;	/* SLURM_CPU_BIND, or NULL: none */
	const char	*cpu_bind_type;	/* SLURM_CPU_BIND_TYPE */
	const char	*cpu_bind_list;	/* SLURM_CPU_BIND_LIST */
	const char	*cpu_bind_verbose; /* "quiet" or "verbose" */
	unsigned	 umask;
};
char	**jobsup_env_step(const struct job_spec *,
	    const struct jobsup_step_env *);
/*
 * One task's copy of a step environment with SLURM_PROCID and
 * SLURM_LOCALID set, and a SLURM_TASK_PID entry with room for any pid,
 * whose address goes to *pid_slot (fill it in the child with
 * jobsup_env_task_pid).
 */
char	**jobsup_env_task(char *const *step_env, uint32_t procid,
	    char **pid_slot);
void	 jobsup_env_task_pid(char *pid_slot, pid_t pid);
/* Value of name in a "K=V" vector, or NULL. */
const char *jobsup_env_get(char *const *env, const char *name);

/*
 * sbatch hands its resource limits to the job as SLURM_RLIMIT_<NAME>=
 * [U]<soft limit> (Slurm's PropagateResourceLimits=ALL default); the
 * supervisor applies them in the job and drops the variables (env build
 * removes them).  Fills out[] (at most max entries) from env; returns the
 * count.  Malformed values are skipped.
 */
struct jobsup_rlimit {
	int		resource;	/* RLIMIT_* */
	rlim_t		soft;
};
#define JOBSUP_RLIMITS_MAX	16
int	 jobsup_rlimits(char *const *env, struct jobsup_rlimit *out, int max);

/*
 * io.c: Slurm's batch file name patterns (sbatch -o/-e/-i): %% %A %a %J %j
 * %N %n %s %t %u %x, an optional zero-padding width (%5j, at most 10), and
 * a pattern containing a backslash is taken literally with the backslashes
 * removed.  Unknown %-sequences are kept as written.  Relative results are
 * made absolute against job->workdir.  Caller frees.
 */
struct jobsup_names {
	const char	*user;		/* %u */
	const char	*node;		/* %N */
};
char	*jobsup_expand_path(const char *pattern, const struct job *,
	    const struct jobsup_names *);
/*
 * The three standard stream paths of a batch job, expanded and absolute.
 * err_path is NULL when stderr shares stdout's file (no -e, or -e naming
 * the same file).
 */
struct jobsup_paths {
	char		*in_path;
	char		*out_path;
	char		*err_path;
};
void	 jobsup_paths_build(const struct job *, const struct jobsup_names *,
	    struct jobsup_paths *);
void	 jobsup_paths_free(struct jobsup_paths *);

/*
 * cpuset.c: parse a CPU list "0-3,8,10-11" into a set allocated with
 * CPU_ALLOC (free with CPU_FREE); *sizep gets the CPU_ALLOC_SIZE.  Returns
 * NULL with *cause (caller frees) on a malformed list.
 */
cpu_set_t *jobsup_cpulist_parse(const char *, size_t *sizep, char **cause);

/*
 * zygote.c: berth-jobsup -w, the supervisor zygote.  zygote_run() returns
 * only in a forked idle supervisor (own session, a socket to the daemon,
 * fd 3 free), which readies itself and then calls zygote_wait_job() for
 * the job file's path (fd 3 is then the job file; *gofdp the socket).
 * The job is prepared, but runs only after zygote_wait_go() has read the
 * daemon's "go", sent once the job's RUNNING state is committed; end of
 * file instead (the daemon died, or its commit failed) makes it exit at
 * once, the job file untouched: "never started" for recovery.  After the
 * job, zygote_job_done() tells the daemon, and the supervisor waits in
 * zygote_idle() for the next job: a forked supervisor runs one job after
 * another.  Its signals stay blocked while idle (zygote_idle()).
 */
void	 zygote_run(void);
char	*zygote_wait_job(int argc, char **argv, int *gofdp);
void	 zygote_wait_go(int *gofdp);
void	 zygote_idle(void);
int	 fd_above_jobfile(int);
bool	 zygote_job_done(void);

/*
 * spawn.c: the one fork/exec site.  Everything the child needs is prepared
 * before fork; the child only makes system calls.  It is vforked, so
 * launch_start() returns once it has exec'd or exited, with l->recorded
 * set if it had recorded its pid and ours in the job file (pid_fd).  It
 * talks to the supervisor over a SOCK_SEQPACKET pair that closes on exec:
 * either a struct launch_report with stage LAUNCH_OK carrying (SCM_RIGHTS)
 * its stderr file, or one with the failed stage and errno.  End of file
 * after LAUNCH_OK means exec succeeded.
 */
enum launch_stage {
	LAUNCH_OK = 0,
	LAUNCH_CREDS,		/* setgroups/setgid/setuid */
	LAUNCH_STDIN,
	LAUNCH_STDOUT,
	LAUNCH_STDERR,
	LAUNCH_CHDIR,
	LAUNCH_EXEC,
	LAUNCH_SETUP		/* dup2 and other plumbing */
};
/* A child's message after "ready". */
struct launch_report {
	int32_t		stage;		/* enum launch_stage */
	int32_t		err;		/* errno */
};

struct launch {
	const char	*script;	/* absolute path to exec */
	char		**argv;
	char		**env;		/* its SLURM_TASK_PID entry is
					   replaced by launch_start */
	struct jobsup_paths paths;
	const char	*workdir;
	bool		 append;	/* JOB_F_OPEN_APPEND */
	bool		 drop;		/* switch to uid/gid/groups */
	uid_t		 uid;
	gid_t		 gid;
	gid_t		*groups;
	int		 ngroups;
	cpu_set_t	*cpus;		/* NULL: inherit affinity */
	size_t		 cpus_size;
	bool		 cpus_ours;	/* already the supervisor's own */
	int		 umask;		/* -1: inherit */
	struct jobsup_rlimit rlimits[JOBSUP_RLIMITS_MAX];
	int		 nrlimits;	/* soft limits, capped at hard */
	int		 pid_fd;	/* job file for jobfile_set_pids, or -1 */

	pid_t		 pid;		/* out: the job (session leader) */
	bool		 recorded;	/* out: it recorded the pids */
	int		 sock;		/* out: our end of the socket pair */
	char		*pid_slot;	/* private: SLURM_TASK_PID=... entry */
};

/*
 * Fork the job.  The child becomes a session leader, records the pids
 * (so the job never runs before they are on disk), then drops
 * privileges, opens its files, changes directory and execs.  Returns -1
 * (errno set) if fork or the socket pair fail.  On success the child has
 * exec'd or died, after setsid() (or dying).
 */
int	 launch_start(struct launch *);
/*
 * Every signal's disposition back to SIG_DFL.  A supervisor does this
 * first (the zygote once for all its supervisors), so that a job's child
 * has only to undo what the supervisor itself changed (SIGPIPE).
 */
void	 jobsup_signals_default(void);
/*
 * Read one message from the child: 1 with *rep filled (and *fdp the stderr
 * file for LAUNCH_OK, else -1), 0 at end of file (closes l->sock and sets
 * it to -1), -1 when nothing is ready (EAGAIN) or on error.
 */
int	 launch_read(struct launch *, struct launch_report *rep, int *fdp);
/* Text for a failed stage, as slurmstepd would log it ("couldn't chdir to
 * `/x'"); caller frees. */
char	*launch_error(const struct launch *, const struct launch_report *);
/*
 * The user's login environment, for sbatch --get-user-env and --export=NONE
 * (the client then puts SLURM_GET_USER_ENV=1 in the job's environment):
 * run the user's login shell as the user (credentials from l) in a clean
 * environment, in the home directory, and collect `env -0` after a marker,
 * within timeout_ms (Slurm's default is 8 s).  "_", SHLVL and OLDPWD are
 * dropped.  Returns a "K=V" vector (strv_free), or NULL with *cause.
 */
char	**launch_login_env(const struct launch *l, const struct passwd *pw,
	    int timeout_ms, char **cause);

/*
 * tree.c: the job's processes are the supervisor's descendants (it is a
 * child subreaper, so orphans stay below it).  Found by walking
 * /proc/<pid>/task/<tid>/children from the supervisor down.
 */
/* Send sig to every descendant, except those in process group skip (0:
 * none), which the caller signals with kill(-skip) so that each process
 * gets the signal once.  Returns how many were signalled. */
int	 jobsup_tree_signal(int sig, pid_t skip);
/* Sum of resident and virtual size over all descendants, in KB. */
void	 jobsup_tree_usage(uint64_t *rss_kb, uint64_t *vsize_kb);

#endif
