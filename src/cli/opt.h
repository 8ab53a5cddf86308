/* SPDX-License-Identifier: MIT */
/*
 * The one option table of sbatch (and later srun and salloc), after
 * Slurm's slurm_opt.c: every option is one row {long name, short letter,
 * getopt has_arg, tools, input environment variable per tool, type, field
 * or setter, --help text}.  argv (getopt_long built from the rows), the
 * SBATCH_* environment and #SBATCH lines all go through opt_set(), which
 * keeps Slurm's precedence: command line > environment > script.  Each
 * option remembers the source that set it (o->src[id]; OPT_SRC_NONE means
 * "not given"), so "was -n given" is o->src[OPT_ID_NTASKS] != 0.
 *
 * Errors come back as struct opt_err: the exit status Slurm uses (255 for
 * option parsing errors, which Slurm raises with exit(-1); 1 where Slurm
 * calls exit(1), e.g. bad numbers and GRES) and the complete text still to
 * be written to stderr ("sbatch: error: ...\n" lines, already prefixed).
 * getopt itself prints its messages ("sbatch: unrecognized option ...").
 *
 * opt.c does no other I/O and exits nowhere; it can be unit-tested.
 */
#ifndef BERTH_OPT_H
#define BERTH_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../proto/job.h"

/* What --version prints: tools parse Slurm's version line. */

/* The tools a row belongs to (struct opt_def.tools, opt_init). */
#define OPT_SBATCH	0x1
#define OPT_SRUN	0x2
#define OPT_SALLOC	0x4
#define OPT_ALLTOOLS	0x7

/* Where a value came from, in increasing precedence. */
enum opt_src {
	OPT_SRC_NONE = 0,	/* not given */
	OPT_SRC_SCRIPT,		/* #SBATCH line */
	OPT_SRC_ENV,		/* SBATCH_* variable */
	OPT_SRC_ARGV		/* command line */
};

/*
 * argv is parsed twice, as Slurm does: OPT_PASS_EARLY silently applies
 * only the early rows (--help, --usage, --version, --quiet, --verbose,
 * --wrap) and finds the script's position; OPT_PASS_MAIN applies every
 * other row and lets getopt report errors.  #SBATCH arguments get
 * OPT_PASS_MAIN (so "#SBATCH --wrap" is ignored, as in Slurm).
 */
enum opt_pass { OPT_PASS_EARLY, OPT_PASS_MAIN };

enum opt_id {
	OPT_ID_ACCOUNT, OPT_ID_ACCTG_FREQ, OPT_ID_ARRAY, OPT_ID_BEGIN,
	OPT_ID_CHDIR, OPT_ID_COMMENT, OPT_ID_CONSTRAINT, OPT_ID_CONTIGUOUS,
	OPT_ID_CORES_PER_SOCKET, OPT_ID_CPU_BIND, OPT_ID_CPU_FREQ,
	OPT_ID_CPUS_PER_GPU, OPT_ID_CPUS_PER_TASK, OPT_ID_DEADLINE,
	OPT_ID_DEPENDENCY, OPT_ID_DISABLE_STATUS, OPT_ID_DISTRIBUTION,
	OPT_ID_ERROR, OPT_ID_EXCLUDE, OPT_ID_EXACT, OPT_ID_EXCLUSIVE,
	OPT_ID_EXPORT, OPT_ID_EXTRA_NODE_INFO, OPT_ID_GET_USER_ENV,
	OPT_ID_GPU_BIND, OPT_ID_GPU_FREQ, OPT_ID_GPUS, OPT_ID_GPUS_PER_NODE,
	OPT_ID_GPUS_PER_TASK, OPT_ID_GRES, OPT_ID_GRES_FLAGS, OPT_ID_HELP,
	OPT_ID_HINT, OPT_ID_HOLD, OPT_ID_IGNORE_PBS, OPT_ID_IMMEDIATE,
	OPT_ID_INPUT, OPT_ID_JOBID, OPT_ID_JOB_NAME, OPT_ID_KILL_ON_BAD_EXIT,
	OPT_ID_KILL_ON_INVALID_DEP, OPT_ID_LABEL, OPT_ID_LICENSES,
	OPT_ID_MAIL_TYPE, OPT_ID_MAIL_USER, OPT_ID_MEM, OPT_ID_MEM_BIND,
	OPT_ID_MEM_PER_CPU, OPT_ID_MEM_PER_GPU, OPT_ID_MINCPUS, OPT_ID_MPI,
	OPT_ID_MULTI_PROG,
	OPT_ID_NETWORK, OPT_ID_NICE, OPT_ID_NO_KILL, OPT_ID_NO_REQUEUE,
	OPT_ID_NO_SHELL, OPT_ID_NODELIST, OPT_ID_NODES, OPT_ID_NTASKS,
	OPT_ID_NTASKS_PER_CORE, OPT_ID_NTASKS_PER_NODE,
	OPT_ID_NTASKS_PER_SOCKET, OPT_ID_OPEN_MODE, OPT_ID_OUTPUT,
	OPT_ID_OVERCOMMIT, OPT_ID_OVERLAP, OPT_ID_OVERSUBSCRIBE,
	OPT_ID_PARSABLE, OPT_ID_PARTITION, OPT_ID_PRIORITY, OPT_ID_PROFILE,
	OPT_ID_PROPAGATE, OPT_ID_PTY, OPT_ID_QOS, OPT_ID_QUIET,
	OPT_ID_REQUEUE, OPT_ID_RESERVATION, OPT_ID_SIGNAL,
	OPT_ID_SOCKETS_PER_NODE, OPT_ID_SPREAD_JOB, OPT_ID_TEST_ONLY,
	OPT_ID_THREADS_PER_CORE, OPT_ID_TIME, OPT_ID_TIME_MIN, OPT_ID_TMP,
	OPT_ID_UNBUFFERED, OPT_ID_USAGE, OPT_ID_USE_MIN_NODES, OPT_ID_VERBOSE,
	OPT_ID_VERSION, OPT_ID_WAIT, OPT_ID_WAIT_ALL_NODES, OPT_ID_WCKEY,
	OPT_ID_WRAP,
	/* Options of scripts written for a cluster (opt.c's second block). */
	OPT_ID_BATCH, OPT_ID_BB, OPT_ID_BBF, OPT_ID_BELL, OPT_ID_CLUSTER,
	OPT_ID_CLUSTER_CONSTRAINT, OPT_ID_CLUSTERS, OPT_ID_CONTAINER,
	OPT_ID_CONTEXT, OPT_ID_CORE_SPEC, OPT_ID_DELAY_BOOT,
	OPT_ID_EXPORT_FILE, OPT_ID_GID, OPT_ID_GPUS_PER_SOCKET,
	OPT_ID_KILL_COMMAND, OPT_ID_MCS_LABEL, OPT_ID_NO_BELL,
	OPT_ID_NODEFILE, OPT_ID_NTASKS_PER_GPU, OPT_ID_NTASKS_PER_TRES,
	OPT_ID_POWER, OPT_ID_PREFER, OPT_ID_REBOOT, OPT_ID_SWITCHES,
	OPT_ID_TASKS_PER_NODE, OPT_ID_THREAD_SPEC, OPT_ID_UID, OPT_ID_X11,
	OPT_ID_ACCEL_BIND, OPT_ID_BCAST, OPT_ID_BCAST_EXCLUDE,
	OPT_ID_COMPRESS, OPT_ID_CPU_BIND_OLD, OPT_ID_MSG_TIMEOUT,
	OPT_ID_QUIT_ON_INTERRUPT, OPT_ID_SEND_LIBS, OPT_ID_SLURMD_DEBUG,
	OPT_ID_THREADS, OPT_ID_WHOLE, OPT_ID_PRESERVE_ENV, OPT_ID_RELATIVE,
	OPT_ID_RESV_PORTS, OPT_ID_SRUN_WAIT, OPT_ID_HET_GROUP,
	OPT_ID_PACK_GROUP, OPT_ID_INTERACTIVE, OPT_ID_NO_ALLOCATE,
	OPT_ID_PROLOG, OPT_ID_EPILOG, OPT_ID_TASK_PROLOG, OPT_ID_TASK_EPILOG,
	OPT_ID_SRUN_TEST_ONLY,
	OPT_NIDS
};

/* Generic setters driven by the row's type and field offset. */
enum opt_type {
	OPT_STR,	/* char * at off (owned by struct opts) */
	OPT_INT,	/* uint32_t at off, > 0 (Slurm's parse_int) */
	OPT_FLAG,	/* bool at off */
	OPT_TIME,	/* uint32_t minutes at off (parse_time_limit) */
	OPT_MEM,	/* uint64_t MB at off (parse_mem_mb) */
	OPT_IGNORE,	/* accepted so scripts work; no effect on one node */
	OPT_FUNC	/* row's own setter */
};

/* o->action: what an early option asks for instead of a submission. */
enum opt_action { OPT_ACT_NONE, OPT_ACT_HELP, OPT_ACT_USAGE,
	OPT_ACT_VERSION };

struct opt_err {
	int		 status;	/* exit status */
	char		*text;		/* stderr text, or NULL */
	/*
	 * Slurm finds it only when the job is built or submitted, after -v's
	 * table (GPU requests): the tool prints the table first.
	 */
	bool		 late;
};

/* Every value an option can set.  Strings are owned (opt_free). */
struct opts {
	unsigned	 tool;		/* OPT_SBATCH, ... */
	const char	*prog;		/* "sbatch": message prefix */
	uint8_t		 src[OPT_NIDS];	/* enum opt_src of each */
	char		*raw[OPT_NIDS];	/* each value as given, for -v */
	enum opt_action	 action;

	char		*account, *array, *chdir, *comment, *constraint;
	char		*dependency, *error, *exclude, *export_env;
	char		*gpus, *gpus_per_node, *gpus_per_task, *gres;
	char		*input, *job_name, *mail_user, *nodelist, *output;
	char		*partition, *propagate, *qos, *signal, *wckey;
	char		*wrap;

	uint32_t	 cpus_per_gpu, cpus_per_task, ntasks, ntasks_per_node;
	uint32_t	 min_nodes, max_nodes;	/* max 0: same as min */
	uint32_t	 time_limit, time_min;	/* minutes or INFINITE */
	uint32_t	 priority;
	uint64_t	 mem_mb, mem_per_cpu_mb, mem_per_gpu_mb;
	int64_t		 begin, deadline;
	int32_t		 nice;
	uint32_t	 mail_type;	/* --mail-type bits, ignored */
	int		 exclusive;	/* -1 unset, 0 oversubscribe, 1 */
	int		 requeue;	/* -1 unset (default 1), 0, 1 */
	int		 kill_on_invalid_dep; /* -1 unset, 0 no, 1 yes */
	char		 open_mode;	/* 0 (truncate), 'a', 't' */
	bool		 parsable, wait, hold, test_only, get_user_env;
	bool		 overcommit;	/* -O */
	/* srun and salloc */
	char		*cpu_bind, *mpi;
	uint32_t	 jobid;		/* srun --jobid, 32 bits; NO_VAL unset */
	bool		 label, unbuffered, overlap, exact, pty, no_shell;
	bool		 multi_prog;	/* srun --multi-prog */
	bool		 kill_on_bad_exit, disable_status;
	int		 immediate;	/* -1 unset, else seconds (0: now) */
	int		 quiet, verbose;
	/* --signal=[R:|B:]sig[@secs] parsed; the job record has no place */
	int		 warn_signal, warn_time;
	bool		 warn_batch_only;
	/* Set by srun before opt_resolve(): a step inside an allocation,
	 * not a new job (slurmctld's job checks do not apply). */
	bool		 step_in_alloc;

	/* Filled by opt_resolve(). */
	uint32_t	 gpu_count;	/* GPUs on the node; 0 if none */
	bool		 gpus_given;

	/* Options of scripts written for a cluster (opt.c's second block):
	 * -M's list, what scontrol show job shows of them, and the warnings
	 * Slurm prints for them while submitting (opt_extra_warnings). */
	char		*clusters, *container, *export_file, *nodefile;
	char		*gpus_per_socket, *bb, *power, *mcs_label;
	char		*cluster_constraint, *switches, *prefer, *batch;
	uint32_t	 delay_boot;	/* minutes, NO_VAL if not given */
	uint32_t	 ntasks_per_gpu;
	uint32_t	 unused;	/* field of rows that keep nothing */
	int		 kill_command_sig;	/* salloc -K's, 0: none */
	/* srun --prolog, --epilog, --task-prolog, --task-epilog */
	char		*prolog, *epilog, *task_prolog, *task_epilog;
};

struct opt_def {
	enum opt_id	 id;
	const char	*name;		/* long name, without "--" */
	int		 shortc;	/* short letter, or 0 */
	int		 has_arg;	/* getopt's no_argument, ... */
	unsigned	 tools;		/* OPT_SBATCH | ... */
	bool		 early;		/* only in OPT_PASS_EARLY */
	const char	*env[3];	/* input var. of sbatch/srun/salloc */
	enum opt_type	 type;
	size_t		 off;		/* its field of struct opts */
	int		(*fn)(struct opts *, const struct opt_def *,
			    const char *, bool, struct opt_err *);
	const char	*argname;	/* --help: "--time=minutes" */
	const char	*help;
};

/* The table, indexed by enum opt_id (opt_table[i].id == i). */
extern const struct opt_def opt_table[OPT_NIDS];

void	 opt_init(struct opts *, unsigned tool);
/*
 * -v's table of the options given, as Slurm's slurm_print_set_options()
 * prints it ("sbatch: defined options" ...), to f; cwd makes sbatch's
 * relative -o/-e/-i absolute (opt-verbose.c).
 */
void	 opt_print_set(const struct opts *, FILE *f, const char *cwd);
void	 opt_free(struct opts *);
void	 opt_err_free(struct opt_err *);
/* The row an option is another name of ("cluster" is "clusters"). */
const struct opt_def *opt_canonical(const struct opt_def *);
/* Find a row by long name (any tool); NULL if none. */
const struct opt_def *opt_find(const char *name);

/*
 * Apply one value from a source.  A value from a lower-precedence source
 * than the one already recorded is ignored.  For flags (no_argument)
 * value is NULL, except from the environment, where Slurm's rule applies:
 * "", "yes" or a non-zero number sets the flag and anything else unsets
 * it.  An empty environment value for an option that needs one is
 * ignored.  Returns 0, or -1 with *err filled.
 */
int	 opt_set(struct opts *, const struct opt_def *, const char *value,
	    enum opt_src, struct opt_err *);
/*
 * getopt_long over argv (argv[0] is ignored) with the rows of o->tool;
 * stops at the first non-option ("+", as Slurm) and stores its index in
 * *first.  Returns 0, or -1 with *err (an unknown option: getopt has
 * printed its line and err->text holds Slurm's "Try ..." hint).  The
 * silent OPT_PASS_EARLY returns 1 when getopt found an error, which the
 * main pass will report.  For OPT_SRC_SCRIPT, a non-option argument is
 * Slurm's "Invalid directive found in batch script" error.
 */
int	 opt_parse_argv(struct opts *, int argc, char **argv, enum opt_src,
	    enum opt_pass, int *first, struct opt_err *);
/* Apply every input environment variable of o->tool that is set. */
int	 opt_apply_env(struct opts *, struct opt_err *);
/*
 * Checks across options, once all sources are in, as Slurm does before
 * submitting: memory options are mutually exclusive (the highest source
 * wins; two from the same source are fatal), --gpus-per-task without a
 * task count, GPU and GRES syntax (computes gpu_count).  (--exclusive and
 * --oversubscribe set one field: the last given wins, as in Slurm 22.05.)
 * An error with err->late set is one Slurm reports after -v's table.
 */
int	 opt_resolve(struct opts *, struct opt_err *);
/*
 * Fill the request fields of a job record that options determine:
 * resources, limits, names of partition/account/..., begin time, nice,
 * priority and JOB_F_* flags.  Paths, name, environment and script are
 * the tool's business.
 */
void	 opt_fill_job(const struct opts *, struct job *);

/*
 * The options of the second block that need more than a row: the
 * warnings Slurm prints while submitting ("Ignoring -S since ...",
 * "Ignoring unrecognized power option"), written to f; and the "Key=Value"
 * lines scontrol show job prints of them (MCS_label, DelayBoot, Switches,
 * BurstBuffer, Power, TresPerSocket, NtasksPerTRES, Container, ...) plus
 * "Prefer=" (which berthd checks), for job.extra (NULL if none; caller
 * frees).
 */
void	 opt_extra_warnings(const struct opts *, FILE *f);
char	*opt_extra_show(const struct opts *);

/* --help and --usage text, generated from the table. */
void	 opt_help(FILE *, unsigned tool, const char *prog);
void	 opt_usage(FILE *, unsigned tool, const char *prog);
/*
 * When --help, --usage or --version was given (o->action), print it to f
 * and return true: the tool then exits 0.  version is the version line.
 */
bool	 opt_run_action(const struct opts *, FILE *f, const char *version);

#endif
