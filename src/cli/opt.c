/* SPDX-License-Identifier: MIT */
/*
 * The option table shared by sbatch, srun and salloc (see opt.h), and the
 * machinery around it: getopt_long built from the rows, the input
 * environment variables, cross-option checks, and filling a job record.
 *
 * Behaviour copied from Slurm 22.05 (slurm_opt.c, proc_args.c, sbatch's
 * opt.c): option names and letters, the words of every error and its exit
 * status, parse_int's "Invalid numeric value" (exit 1), the flag rule for
 * environment values, --nice without a value meaning 100, "none" for
 * -o/-e/-i meaning /dev/null, -t 0 meaning no limit, node counts "N" or
 * "N-M" with k/m multipliers, --signal's [R:|B:]sig[@time] syntax.
 *
 * Differences (documented in docs/compat.md):
 *  - memory options from different sources do not conflict: the highest
 *    source wins (Slurm treats #SBATCH lines like the command line and
 *    stops with "mutually exclusive" for #SBATCH --mem plus sbatch
 *    --mem-per-cpu); two from the same source are still fatal.
 *  - an empty SBATCH_* value for an option that needs one is ignored.
 *  - rows of type OPT_IGNORE are accepted so that scripts written for a
 *    cluster run, and have no effect on one machine; --help says so.
 *  - bad --begin/--deadline values print "(pos=0)": parse_begin_time does
 *    not report the position Slurm's parser stopped at.
 */
#include <ctype.h>
#include <errno.h>
#include "gnuopt.h"
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/passwd.h"
#include "../common/parse.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "opt.h"

extern char **environ;

#define OFF(f)	offsetof(struct opts, f)
#define LONGVAL	0x100	/* getopt val of row i: LONGVAL + i */

typedef int (*opt_fn)(struct opts *, const struct opt_def *, const char *,
    bool, struct opt_err *);

static void	 err_vset(struct opts *, struct opt_err *, int, const char *,
		    const char *, const char *, va_list)
		    __attribute__((format(printf, 6, 0)));
static void	 err_set(struct opts *, struct opt_err *, int, const char *,
		    ...) __attribute__((format(printf, 4, 5)));
static void	 err_add(struct opts *, struct opt_err *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	 err_fatal(struct opts *, struct opt_err *, const char *,
		    ...) __attribute__((format(printf, 3, 4)));
static int	 parse_int(struct opts *, const char *, const char *,
		    uint32_t *, bool, struct opt_err *);
static int	 sig_number(const char *);
static int	 spec_count(const char *, uint32_t *);
static int	 set_begin(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_path(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_exclusive(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_oversubscribe(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_get_user_env(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_action(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_jobid(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_kill_inv_dep(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_mail_type(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_nice(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_nodes(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_open_mode(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_priority(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_propagate(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_quiet(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_verbose(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_requeue(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_signal(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_cpu_bind(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_immediate(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_kill_bad_exit(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_spec(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_bbf(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_delay_boot(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_uid_gid(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_kill_command(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_nodefile(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_power(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_switches(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 set_x11(struct opts *, const struct opt_def *,
		    const char *, bool, struct opt_err *);
static int	 extra_resolve(struct opts *, struct opt_err *);
static void	 extra_free(struct opts *);

/* Row builders: generic rows name a field, OPT_FUNC rows a setter. */
#define ROW(id, name, c, arg, tools, early, e0, e1, e2, type, off, fn, \
    argname, help) \
	[id] = { id, name, c, arg, tools, early, { e0, e1, e2 }, type, off, \
	    fn, argname, help }
#define GEN(id, name, c, arg, tools, env, type, field, argname, help) \
	ROW(id, name, c, arg, tools, false, env, NULL, NULL, type, OFF(field), \
	    NULL, argname, help)
#define FN(id, name, c, arg, tools, env, fn, field, argname, help) \
	ROW(id, name, c, arg, tools, false, env, NULL, NULL, OPT_FUNC, \
	    OFF(field), fn, argname, help)
#define IGN(id, name, c, arg, tools, env, argname, help) \
	ROW(id, name, c, arg, tools, false, env, NULL, NULL, OPT_IGNORE, 0, \
	    NULL, argname, help)
/* The same with the input variables of srun and salloc. */
#define GEN3(id, name, c, arg, tools, e0, e1, e2, type, field, argname, \
    help) \
	ROW(id, name, c, arg, tools, false, e0, e1, e2, type, OFF(field), \
	    NULL, argname, help)
#define FN3(id, name, c, arg, tools, e0, e1, e2, fn, field, argname, help) \
	ROW(id, name, c, arg, tools, false, e0, e1, e2, OPT_FUNC, \
	    OFF(field), fn, argname, help)
#define IGN3(id, name, c, arg, tools, e0, e1, e2, argname, help) \
	ROW(id, name, c, arg, tools, false, e0, e1, e2, OPT_IGNORE, 0, \
	    NULL, argname, help)
#define EARLY(id, name, c, arg, tools, env, fn, argname, help) \
	ROW(id, name, c, arg, tools, true, env, NULL, NULL, OPT_FUNC, 0, fn, \
	    argname, help)

#define SB	OPT_SBATCH
#define ALL	OPT_ALLTOOLS
#define SB_SR	(OPT_SBATCH | OPT_SRUN)
#define SB_SA	(OPT_SBATCH | OPT_SALLOC)
#define SR	OPT_SRUN
#define SR_SA	(OPT_SRUN | OPT_SALLOC)
#define NOARG	no_argument
#define REQ	required_argument
#define OPTARG	optional_argument

const struct opt_def opt_table[OPT_NIDS] = {
	GEN3(OPT_ID_ACCOUNT, "account", 'A', REQ, ALL, "SBATCH_ACCOUNT",
	    "SLURM_ACCOUNT", "SALLOC_ACCOUNT", OPT_STR, account, "name",
	    "charge job to specified account"),
	IGN3(OPT_ID_ACCTG_FREQ, "acctg-freq", 0, REQ, ALL, "SBATCH_ACCTG_FREQ",
	    "SLURM_ACCTG_FREQ", "SALLOC_ACCTG_FREQ", "<datatype>=<interval>",
	    "accounting sampling intervals"),
	GEN(OPT_ID_ARRAY, "array", 'a', REQ, SB, "SBATCH_ARRAY_INX", OPT_STR,
	    array, "indexes", "job array index values"),
	FN(OPT_ID_BEGIN, "begin", 'b', REQ, ALL, NULL, set_begin, begin,
	    "time", "defer job until HH:MM MM/DD/YY"),
	FN(OPT_ID_CHDIR, "chdir", 'D', REQ, ALL, NULL, set_path, chdir,
	    "directory", "set working directory for batch script"),
	GEN(OPT_ID_COMMENT, "comment", 0, REQ, ALL, NULL, OPT_STR, comment,
	    "name", "arbitrary comment"),
	GEN3(OPT_ID_CONSTRAINT, "constraint", 'C', REQ, ALL,
	    "SBATCH_CONSTRAINT", "SLURM_CONSTRAINT", "SALLOC_CONSTRAINT",
	    OPT_STR, constraint, "list", "specify a list of constraints"),
	IGN(OPT_ID_CONTIGUOUS, "contiguous", 0, NOARG, ALL, NULL, NULL,
	    "demand a contiguous range of nodes"),
	IGN(OPT_ID_CORES_PER_SOCKET, "cores-per-socket", 0, REQ, ALL, NULL,
	    "C", "number of cores per socket to allocate"),
	FN3(OPT_ID_CPU_BIND, "cpu-bind", 0, REQ, SR, NULL, "SLURM_CPU_BIND",
	    NULL, set_cpu_bind, cpu_bind, "type", "bind tasks to CPUs: none, "
	    "rank, cores, threads, map_cpu:<list> or mask_cpu:<list>, "
	    "optionally after quiet or verbose"),
	IGN3(OPT_ID_CPU_FREQ, "cpu-freq", 0, REQ, ALL, "SBATCH_CPU_FREQ_REQ",
	    "SLURM_CPU_FREQ_REQ", "SALLOC_CPU_FREQ_REQ", "min[-max[:gov]]",
	    "requested cpu frequency (and governor)"),
	GEN3(OPT_ID_CPUS_PER_GPU, "cpus-per-gpu", 0, REQ, ALL,
	    "SBATCH_CPUS_PER_GPU", "SLURM_CPUS_PER_GPU", "SALLOC_CPUS_PER_GPU",
	    OPT_INT, cpus_per_gpu, "n",
	    "number of CPUs required per allocated GPU"),
	GEN3(OPT_ID_CPUS_PER_TASK, "cpus-per-task", 'c', REQ, ALL, NULL,
	    "SRUN_CPUS_PER_TASK", NULL, OPT_INT, cpus_per_task, "ncpus",
	    "number of cpus required per task"),
	FN(OPT_ID_DEADLINE, "deadline", 0, REQ, ALL, NULL, set_begin, deadline,
	    "time", "remove the job if no ending possible before this "
	    "deadline (start > (deadline - time[-min]))"),
	GEN3(OPT_ID_DEPENDENCY, "dependency", 'd', REQ, ALL, NULL,
	    "SLURM_DEPENDENCY", NULL, OPT_STR, dependency, "type:jobid[:time]",
	    "defer job until condition on jobid is satisfied"),
	GEN3(OPT_ID_DISABLE_STATUS, "disable-status", 'X', NOARG, SR, NULL,
	    "SLURM_DISABLE_STATUS", NULL, OPT_FLAG, disable_status, NULL,
	    "Disable Ctrl-C status feature: one Ctrl-C forwards SIGINT"),
	IGN3(OPT_ID_DISTRIBUTION, "distribution", 'm', REQ, ALL,
	    "SBATCH_DISTRIBUTION", "SLURM_DISTRIBUTION", NULL, "type",
	    "distribution method for processes to nodes"),
	FN3(OPT_ID_ERROR, "error", 'e', REQ, SB_SR, "SBATCH_ERROR",
	    "SLURM_STDERRMODE", NULL, set_path, error, "err",
	    "file for batch script's standard error"),
	GEN(OPT_ID_EXCLUDE, "exclude", 'x', REQ, ALL, NULL, OPT_STR, exclude,
	    "hosts...", "exclude a specific list of hosts"),
	GEN3(OPT_ID_EXACT, "exact", 0, NOARG, SR, NULL, "SLURM_EXACT", NULL,
	    OPT_FLAG, exact, NULL, "use only the resources requested for the "
	    "step"),
	FN3(OPT_ID_EXCLUSIVE, "exclusive", 0, OPTARG, ALL, "SBATCH_EXCLUSIVE",
	    "SLURM_EXCLUSIVE", "SALLOC_EXCLUSIVE", set_exclusive, exclusive,
	    "user|mcs", "allocate nodes in "
	    "exclusive mode when cpu consumable resource is enabled"),
	GEN3(OPT_ID_EXPORT, "export", 0, REQ, SB_SR, "SBATCH_EXPORT",
	    "SLURM_EXPORT_ENV", NULL, OPT_STR, export_env, "names|ALL|NONE",
	    "specify environment variables to export"),
	IGN(OPT_ID_EXTRA_NODE_INFO, "extra-node-info", 'B', REQ, ALL, NULL,
	    "S[:C[:T]]", "expands to --sockets-per-node, --cores-per-socket "
	    "and --threads-per-core"),
	FN(OPT_ID_GET_USER_ENV, "get-user-env", 0, OPTARG, SB_SA,
	    "SBATCH_GET_USER_ENV", set_get_user_env, get_user_env, "secs",
	    "load environment from login shell"),
	IGN3(OPT_ID_GPU_BIND, "gpu-bind", 0, REQ, ALL, "SBATCH_GPU_BIND",
	    "SLURM_GPU_BIND", "SALLOC_GPU_BIND", "...",
	    "task to gpu binding options"),
	IGN3(OPT_ID_GPU_FREQ, "gpu-freq", 0, REQ, ALL, "SBATCH_GPU_FREQ",
	    "SLURM_GPU_FREQ", "SALLOC_GPU_FREQ", "...",
	    "frequency and voltage of GPUs"),
	GEN3(OPT_ID_GPUS, "gpus", 'G', REQ, ALL, "SBATCH_GPUS", "SLURM_GPUS",
	    "SALLOC_GPUS", OPT_STR, gpus, "n",
	    "count of GPUs required for the job"),
	GEN3(OPT_ID_GPUS_PER_NODE, "gpus-per-node", 0, REQ, ALL,
	    "SBATCH_GPUS_PER_NODE", "SLURM_GPUS_PER_NODE",
	    "SALLOC_GPUS_PER_NODE", OPT_STR, gpus_per_node, "n",
	    "number of GPUs required per allocated node"),
	GEN3(OPT_ID_GPUS_PER_TASK, "gpus-per-task", 0, REQ, ALL,
	    "SBATCH_GPUS_PER_TASK", "SLURM_GPUS_PER_TASK",
	    "SALLOC_GPUS_PER_TASK", OPT_STR, gpus_per_task, "n",
	    "number of GPUs required per spawned task"),
	GEN3(OPT_ID_GRES, "gres", 0, REQ, ALL, "SBATCH_GRES", "SLURM_GRES",
	    "SALLOC_GRES", OPT_STR, gres, "list", "required generic resources"),
	IGN3(OPT_ID_GRES_FLAGS, "gres-flags", 0, REQ, ALL, "SBATCH_GRES_FLAGS",
	    "SLURM_GRES_FLAGS", "SALLOC_GRES_FLAGS", "opts",
	    "flags related to GRES management"),
	EARLY(OPT_ID_HELP, "help", 'h', NOARG, ALL, NULL, set_action, NULL,
	    "show this help message"),
	IGN3(OPT_ID_HINT, "hint", 0, REQ, ALL, "SBATCH_HINT", "SLURM_HINT",
	    "SALLOC_HINT", "...", "bind tasks according to application hints"),
	GEN(OPT_ID_HOLD, "hold", 'H', NOARG, ALL, NULL, OPT_FLAG, hold, NULL,
	    "submit job in held state"),
	IGN(OPT_ID_IGNORE_PBS, "ignore-pbs", 0, NOARG, SB, "SBATCH_IGNORE_PBS",
	    NULL, "ignore #PBS and #BSUB options in the batch script"),
	FN3(OPT_ID_IMMEDIATE, "immediate", 'I', OPTARG, SR_SA, NULL,
	    "SLURM_IMMEDIATE", "SALLOC_IMMEDIATE", set_immediate, immediate,
	    "secs", "exit if resources not available in \"secs\""),
	FN3(OPT_ID_INPUT, "input", 'i', REQ, SB_SR, "SBATCH_INPUT",
	    "SLURM_STDINMODE", NULL, set_path, input, "in",
	    "file for batch script's standard input"),
	FN3(OPT_ID_JOBID, "jobid", 0, REQ, SR, NULL, "SLURM_JOB_ID", NULL,
	    set_jobid, jobid, "id", "run under already allocated job"),
	GEN3(OPT_ID_JOB_NAME, "job-name", 'J', REQ, ALL, "SBATCH_JOB_NAME",
	    "SLURM_JOB_NAME", "SALLOC_JOB_NAME", OPT_STR, job_name, "jobname",
	    "name of job"),
	FN3(OPT_ID_KILL_ON_BAD_EXIT, "kill-on-bad-exit", 'K', OPTARG, SR, NULL,
	    "SLURM_KILL_BAD_EXIT", NULL, set_kill_bad_exit, kill_on_bad_exit,
	    "0|1", "kill the step if any task exits with a non-zero code"),
	FN(OPT_ID_KILL_ON_INVALID_DEP, "kill-on-invalid-dep", 0, REQ, SB,
	    NULL, set_kill_inv_dep, kill_on_invalid_dep, "yes|no",
	    "kill job if dependency is invalid (berth always keeps it)"),
	GEN3(OPT_ID_LABEL, "label", 'l', NOARG, SR, NULL, "SLURM_LABELIO", NULL,
	    OPT_FLAG, label, NULL,
	    "prepend task number to lines of stdout/err"),
	IGN(OPT_ID_LICENSES, "licenses", 'L', REQ, ALL, NULL, "names",
	    "required license, comma separated"),
	FN(OPT_ID_MAIL_TYPE, "mail-type", 0, REQ, ALL, NULL, set_mail_type,
	    mail_type, "type", "notify on state change: BEGIN, END, FAIL or "
	    "ALL (accepted; berth sends no mail)"),
	GEN(OPT_ID_MAIL_USER, "mail-user", 0, REQ, ALL, NULL, OPT_STR,
	    mail_user, "user", "who to send email notification for job state "
	    "changes (accepted; berth sends no mail)"),
	GEN3(OPT_ID_MEM, "mem", 0, REQ, ALL, "SBATCH_MEM_PER_NODE",
	    "SLURM_MEM_PER_NODE", "SALLOC_MEM_PER_NODE", OPT_MEM, mem_mb, "MB",
	    "minimum amount of real memory"),
	IGN3(OPT_ID_MEM_BIND, "mem-bind", 0, REQ, ALL, "SBATCH_MEM_BIND",
	    "SLURM_MEM_BIND", "SALLOC_MEM_BIND", "...",
	    "bind memory to locality domains"),
	GEN3(OPT_ID_MEM_PER_CPU, "mem-per-cpu", 0, REQ, ALL,
	    "SBATCH_MEM_PER_CPU", "SLURM_MEM_PER_CPU", "SALLOC_MEM_PER_CPU",
	    OPT_MEM, mem_per_cpu_mb, "MB",
	    "maximum amount of real memory per allocated cpu required by "
	    "the job.  --mem >= --mem-per-cpu if --mem is specified."),
	GEN3(OPT_ID_MEM_PER_GPU, "mem-per-gpu", 0, REQ, ALL,
	    "SBATCH_MEM_PER_GPU", "SLURM_MEM_PER_GPU", "SALLOC_MEM_PER_GPU",
	    OPT_MEM, mem_per_gpu_mb, "n",
	    "real memory required per allocated GPU"),
	IGN(OPT_ID_MINCPUS, "mincpus", 0, REQ, ALL, NULL, "n",
	    "minimum number of logical processors per node"),
	GEN3(OPT_ID_MPI, "mpi", 0, REQ, SR, NULL, "SLURM_MPI_TYPE", NULL,
	    OPT_STR, mpi, "type", "type of MPI being used (berth: none)"),
	GEN3(OPT_ID_MULTI_PROG, "multi-prog", 0, NOARG, SR, NULL, NULL, NULL,
	    OPT_FLAG, multi_prog, NULL, "if set the program name specified is "
	    "the configuration specification for multiple programs"),
	IGN3(OPT_ID_NETWORK, "network", 0, REQ, ALL, "SBATCH_NETWORK",
	    "SLURM_NETWORK", "SALLOC_NETWORK", "type",
	    "specify information pertaining to the switch or network"),
	FN(OPT_ID_NICE, "nice", 0, OPTARG, ALL, NULL, set_nice, nice, "value",
	    "decrease scheduling priority by value"),
	IGN3(OPT_ID_NO_KILL, "no-kill", 'k', OPTARG, ALL, "SBATCH_NO_KILL",
	    "SLURM_NO_KILL", "SALLOC_NO_KILL", "on|off",
	    "do not kill job on node failure"),
	FN(OPT_ID_NO_REQUEUE, "no-requeue", 0, NOARG, SB, "SBATCH_NO_REQUEUE",
	    set_requeue, requeue, NULL, "if set, do not permit the job to be "
	    "requeued"),
	GEN3(OPT_ID_NO_SHELL, "no-shell", 0, NOARG, OPT_SALLOC, NULL, NULL,
	    NULL, OPT_FLAG, no_shell, NULL, "immediately exit after allocating "
	    "resources, without running a command"),
	GEN(OPT_ID_NODELIST, "nodelist", 'w', REQ, ALL, NULL, OPT_STR,
	    nodelist, "hosts...", "request a specific list of hosts"),
	FN3(OPT_ID_NODES, "nodes", 'N', REQ, ALL, NULL, "SLURM_NNODES", NULL,
	    set_nodes, min_nodes, "N",
	    "number of nodes on which to run (N = min[-max])"),
	GEN3(OPT_ID_NTASKS, "ntasks", 'n', REQ, ALL, NULL, "SLURM_NTASKS",
	    NULL, OPT_INT, ntasks, "ntasks", "number of tasks to run"),
	IGN(OPT_ID_NTASKS_PER_CORE, "ntasks-per-core", 0, REQ, ALL, NULL, "n",
	    "number of tasks to invoke on each core"),
	GEN3(OPT_ID_NTASKS_PER_NODE, "ntasks-per-node", 0, REQ, ALL, NULL,
	    "SLURM_NTASKS_PER_NODE", NULL, OPT_INT, ntasks_per_node, "n",
	    "number of tasks to invoke on each node"),
	IGN(OPT_ID_NTASKS_PER_SOCKET, "ntasks-per-socket", 0, REQ, ALL, NULL,
	    "n", "number of tasks to invoke on each socket"),
	FN3(OPT_ID_OPEN_MODE, "open-mode", 0, REQ, SB_SR, "SBATCH_OPEN_MODE",
	    "SLURM_OPEN_MODE", NULL, set_open_mode, open_mode,
	    "append|truncate", "output file open mode"),
	FN3(OPT_ID_OUTPUT, "output", 'o', REQ, SB_SR, "SBATCH_OUTPUT",
	    "SLURM_STDOUTMODE", NULL, set_path, output, "out",
	    "file for batch script's standard output"),
	GEN3(OPT_ID_OVERCOMMIT, "overcommit", 'O', NOARG, ALL,
	    "SBATCH_OVERCOMMIT", "SLURM_OVERCOMMIT", "SALLOC_OVERCOMMIT",
	    OPT_FLAG, overcommit, NULL, "overcommit resources"),
	GEN3(OPT_ID_OVERLAP, "overlap", 0, NOARG, SR, NULL, "SLURM_OVERLAP",
	    NULL, OPT_FLAG, overlap, NULL,
	    "allow other steps to share the CPUs of this step"),
	FN(OPT_ID_OVERSUBSCRIBE, "oversubscribe", 's', NOARG, ALL, NULL,
	    set_oversubscribe, exclusive, NULL, "over subscribe resources "
	    "with other jobs"),
	GEN(OPT_ID_PARSABLE, "parsable", 0, NOARG, SB, NULL, OPT_FLAG,
	    parsable, NULL, "outputs only the jobid and cluster name (if "
	    "present), separated by semicolon, only on successful submission."),
	GEN3(OPT_ID_PARTITION, "partition", 'p', REQ, ALL, "SBATCH_PARTITION",
	    "SLURM_PARTITION", "SALLOC_PARTITION", OPT_STR, partition,
	    "partition", "partition requested"),
	FN(OPT_ID_PRIORITY, "priority", 0, REQ, ALL, NULL, set_priority,
	    priority, "value", "set the priority of the job to value"),
	IGN3(OPT_ID_PROFILE, "profile", 0, REQ, ALL, "SBATCH_PROFILE",
	    "SLURM_PROFILE", "SALLOC_PROFILE", "value",
	    "enable acct_gather_profile for detailed data"),
	FN(OPT_ID_PROPAGATE, "propagate", 0, OPTARG, SB_SR, NULL,
	    set_propagate, propagate, "rlimits", "propagate all [or specific "
	    "list of] rlimits"),
	GEN3(OPT_ID_PTY, "pty", 0, NOARG, SR, NULL, NULL, NULL, OPT_FLAG, pty,
	    NULL, "run task zero in a pseudo terminal"),
	GEN3(OPT_ID_QOS, "qos", 'q', REQ, ALL, "SBATCH_QOS", "SLURM_QOS",
	    "SALLOC_QOS", OPT_STR, qos, "qos", "quality of service"),
	EARLY(OPT_ID_QUIET, "quiet", 'Q', NOARG, ALL, NULL, set_quiet, NULL,
	    "quiet mode (suppress informational messages)"),
	FN(OPT_ID_REQUEUE, "requeue", 0, NOARG, SB, "SBATCH_REQUEUE",
	    set_requeue, requeue, NULL, "if set, permit the job to be "
	    "requeued"),
	IGN3(OPT_ID_RESERVATION, "reservation", 0, REQ, ALL,
	    "SBATCH_RESERVATION", "SLURM_RESERVATION", "SALLOC_RESERVATION",
	    "name", "allocate resources from named reservation"),
	FN3(OPT_ID_SIGNAL, "signal", 0, REQ, ALL, "SBATCH_SIGNAL",
	    "SLURM_SIGNAL", "SALLOC_SIGNAL", set_signal, signal,
	    "[R:|B:]num[@time]", "send signal when time limit within "
	    "time seconds"),
	IGN(OPT_ID_SOCKETS_PER_NODE, "sockets-per-node", 0, REQ, ALL, NULL,
	    "S", "number of sockets per node to allocate"),
	IGN3(OPT_ID_SPREAD_JOB, "spread-job", 0, NOARG, ALL,
	    "SBATCH_SPREAD_JOB", "SLURM_SPREAD_JOB", "SALLOC_SPREAD_JOB", NULL,
	    "spread job across as many nodes as possible"),
	GEN(OPT_ID_TEST_ONLY, "test-only", 0, NOARG, SB, NULL, OPT_FLAG,
	    test_only, NULL, "validate batch script but do not submit"),
	IGN3(OPT_ID_THREADS_PER_CORE, "threads-per-core", 0, REQ, ALL,
	    "SBATCH_THREADS_PER_CORE", "SLURM_THREADS_PER_CORE",
	    "SALLOC_THREADS_PER_CORE", "T", "number of threads per core to "
	    "allocate"),
	GEN3(OPT_ID_TIME, "time", 't', REQ, ALL, "SBATCH_TIMELIMIT",
	    "SLURM_TIMELIMIT", "SALLOC_TIMELIMIT", OPT_TIME, time_limit,
	    "minutes", "time limit"),
	GEN(OPT_ID_TIME_MIN, "time-min", 0, REQ, ALL, NULL, OPT_TIME, time_min,
	    "minutes", "minimum time limit (if distinct)"),
	IGN(OPT_ID_TMP, "tmp", 0, REQ, ALL, NULL, "MB",
	    "minimum amount of temporary disk"),
	GEN3(OPT_ID_UNBUFFERED, "unbuffered", 'u', NOARG, SR, NULL,
	    "SLURM_UNBUFFEREDIO", NULL, OPT_FLAG, unbuffered, NULL,
	    "do not line-buffer stdout/err"),
	EARLY(OPT_ID_USAGE, "usage", 0, NOARG, ALL, NULL, set_action, NULL,
	    "display brief usage message"),
	IGN3(OPT_ID_USE_MIN_NODES, "use-min-nodes", 0, NOARG, ALL,
	    "SBATCH_USE_MIN_NODES", "SLURM_USE_MIN_NODES",
	    "SALLOC_USE_MIN_NODES", NULL, "if a range of node counts is "
	    "given, prefer the smaller count"),
	ROW(OPT_ID_VERBOSE, "verbose", 'v', NOARG, ALL, true, "SBATCH_DEBUG",
	    "SLURM_DEBUG", "SALLOC_DEBUG", OPT_FUNC, 0, set_verbose, NULL,
	    "verbose mode (multiple -v's increase verbosity)"),
	EARLY(OPT_ID_VERSION, "version", 'V', NOARG, ALL, NULL, set_action,
	    NULL, "output version information and exit"),
	GEN(OPT_ID_WAIT, "wait", 'W', NOARG, SB, "SBATCH_WAIT", OPT_FLAG, wait,
	    NULL, "wait for completion of submitted job"),
	IGN3(OPT_ID_WAIT_ALL_NODES, "wait-all-nodes", 0, REQ, SB_SA,
	    "SBATCH_WAIT_ALL_NODES", NULL, "SALLOC_WAIT_ALL_NODES", "0|1",
	    "wait for all nodes to be allocated (one node: always)"),
	GEN3(OPT_ID_WCKEY, "wckey", 0, REQ, ALL, "SBATCH_WCKEY", "SLURM_WCKEY",
	    "SALLOC_WCKEY", OPT_STR, wckey, "wckey", "wckey to run job under"),
	ROW(OPT_ID_WRAP, "wrap", 0, REQ, SB, true, NULL, NULL, NULL, OPT_STR,
	    OFF(wrap), NULL, "command string", "wrap command string in a sh "
	    "script and submit"),

	/*
	 * Options of scripts written for a cluster: each does on one node
	 * what Slurm 22.05.8 does on a cluster without the plugin or
	 * hardware behind it (checked on the reference cluster; see
	 * docs/compat.md).  "cluster", "ntasks-per-tres", "tasks-per-node"
	 * and "cpu_bind" are Slurm's other names of a row (opt_canonical).
	 */
	GEN(OPT_ID_BATCH, "batch", 0, REQ, SB, "SBATCH_BATCH", OPT_STR, batch,
	    "list", "required node features for the batch step"),
	GEN3(OPT_ID_BB, "bb", 0, REQ, ALL, NULL, "SLURM_BURST_BUFFER",
	    "SALLOC_BURST_BUFFER", OPT_STR, bb, "spec",
	    "burst buffer specifications (shown, not staged)"),
	FN(OPT_ID_BBF, "bbf", 0, REQ, ALL, NULL, set_bbf, bb, "file_name",
	    "burst buffer specification file (checked, not staged)"),
	IGN3(OPT_ID_BELL, "bell", 0, NOARG, OPT_SALLOC, NULL, NULL,
	    "SALLOC_BELL", NULL, "ring the terminal bell when the job is "
	    "allocated"),
	GEN3(OPT_ID_CLUSTER, "cluster", 0, REQ, ALL, "SLURM_CLUSTERS",
	    "SLURM_CLUSTERS", "SLURM_CLUSTERS", OPT_STR, clusters,
	    "cluster_names", "the same as --clusters"),
	GEN(OPT_ID_CLUSTER_CONSTRAINT, "cluster-constraint", 0, REQ, ALL,
	    NULL, OPT_STR, cluster_constraint, "list",
	    "specify a list of cluster constraints"),
	GEN3(OPT_ID_CLUSTERS, "clusters", 'M', REQ, ALL, "SBATCH_CLUSTERS",
	    NULL, "SALLOC_CLUSTERS", OPT_STR, clusters, "cluster_names",
	    "comma separated list of clusters to issue commands to: berth's "
	    "own ClusterName (or \"all\")"),
	GEN3(OPT_ID_CONTAINER, "container", 0, REQ, ALL, "SBATCH_CONTAINER",
	    "SLURM_CONTAINER", "SALLOC_CONTAINER", OPT_STR, container, "path",
	    "path to OCI container bundle (shown and exported, not run)"),
	IGN(OPT_ID_CONTEXT, "context", 0, REQ, ALL, NULL, "value",
	    "SELinux context"),
	FN3(OPT_ID_CORE_SPEC, "core-spec", 'S', REQ, ALL, "SBATCH_CORE_SPEC",
	    "SLURM_CORE_SPEC", "SALLOC_CORE_SPEC", set_spec, unused, "cores",
	    "count of reserved cores (ignored, as with "
	    "AllowSpecResourcesUsage=No)"),
	FN3(OPT_ID_DELAY_BOOT, "delay-boot", 0, REQ, ALL, "SBATCH_DELAY_BOOT",
	    "SLURM_DELAY_BOOT", "SALLOC_DELAY_BOOT", set_delay_boot,
	    delay_boot, "mins", "delay boot for desired node features"),
	GEN(OPT_ID_EXPORT_FILE, "export-file", 0, REQ, SB, NULL, OPT_STR,
	    export_file, "file|fd", "specify environment variables file or "
	    "file descriptor to export"),
	FN(OPT_ID_GID, "gid", 0, REQ, ALL, NULL, set_uid_gid, unused,
	    "group_id", "group ID to run job as (user root only)"),
	GEN3(OPT_ID_GPUS_PER_SOCKET, "gpus-per-socket", 0, REQ, ALL,
	    "SBATCH_GPUS_PER_SOCKET", "SLURM_GPUS_PER_SOCKET",
	    "SALLOC_GPUS_PER_SOCKET", OPT_STR, gpus_per_socket, "n",
	    "number of GPUs required per allocated socket"),
	FN3(OPT_ID_KILL_COMMAND, "kill-command", 'K', OPTARG, OPT_SALLOC,
	    NULL, NULL, "SALLOC_KILL_CMD", set_kill_command, kill_command_sig,
	    "signal",
	    "signal to send terminating job"),
	GEN(OPT_ID_MCS_LABEL, "mcs-label", 0, REQ, ALL, NULL, OPT_STR,
	    mcs_label, "mcs", "mcs label if mcs plugin mcs/group is used"),
	IGN3(OPT_ID_NO_BELL, "no-bell", 0, NOARG, OPT_SALLOC, NULL, NULL,
	    "SALLOC_NO_BELL", NULL, "do NOT ring the terminal bell"),
	FN(OPT_ID_NODEFILE, "nodefile", 'F', REQ, ALL, NULL, set_nodefile,
	    nodefile, "filename", "request a specific list of hosts"),
	GEN3(OPT_ID_NTASKS_PER_GPU, "ntasks-per-gpu", 0, REQ, ALL, NULL,
	    "SLURM_NTASKS_PER_GPU", NULL, OPT_INT, ntasks_per_gpu, "n",
	    "number of tasks to invoke on each GPU"),
	GEN(OPT_ID_NTASKS_PER_TRES, "ntasks-per-tres", 0, REQ, ALL, NULL,
	    OPT_INT, ntasks_per_gpu, "n", "the same as --ntasks-per-gpu"),
	FN3(OPT_ID_POWER, "power", 0, REQ, ALL, "SBATCH_POWER",
	    "SLURM_POWER", "SALLOC_POWER", set_power, power, "flags",
	    "power management options"),
	GEN(OPT_ID_PREFER, "prefer", 0, REQ, ALL, NULL, OPT_STR, prefer,
	    "list", "features desired but not required by job"),
	IGN(OPT_ID_REBOOT, "reboot", 0, NOARG, ALL, NULL, NULL,
	    "reboot compute nodes before starting job (admins only)"),
	FN3(OPT_ID_SWITCHES, "switches", 0, REQ, ALL, "SBATCH_REQ_SWITCH",
	    "SLURM_REQ_SWITCH", "SALLOC_REQ_SWITCH", set_switches, switches,
	    "max-switches{@max-time-to-wait}",
	    "optimum switches and max time to wait for optimum"),
	GEN3(OPT_ID_TASKS_PER_NODE, "tasks-per-node", 0, REQ, ALL, NULL, NULL,
	    NULL, OPT_INT, ntasks_per_node, "n",
	    "the same as --ntasks-per-node"),
	FN3(OPT_ID_THREAD_SPEC, "thread-spec", 0, REQ, ALL,
	    "SBATCH_THREAD_SPEC", "SLURM_THREAD_SPEC", "SALLOC_THREAD_SPEC",
	    set_spec, unused, "threads",
	    "count of reserved threads (ignored, as with "
	    "AllowSpecResourcesUsage=No)"),
	FN(OPT_ID_UID, "uid", 0, REQ, ALL, NULL, set_uid_gid, unused,
	    "user_id", "user ID to run job as (user root only)"),
	FN(OPT_ID_X11, "x11", 0, OPTARG, SR_SA, NULL, set_x11, unused,
	    "all|first|last", "forward X11 (needs DISPLAY; berth has no X11 "
	    "forwarding)"),
	IGN(OPT_ID_ACCEL_BIND, "accel-bind", 0, REQ, SR, NULL, "type",
	    "bind tasks to accelerators"),
	IGN3(OPT_ID_BCAST, "bcast", 0, OPTARG, SR, NULL, "SLURM_BCAST", NULL,
	    "dest_path", "copy executable file to compute nodes"),
	IGN3(OPT_ID_BCAST_EXCLUDE, "bcast-exclude", 0, REQ, SR, NULL,
	    "SLURM_BCAST_EXCLUDE", NULL, "paths",
	    "shared object directory paths to exclude"),
	IGN3(OPT_ID_COMPRESS, "compress", 0, OPTARG, SR, NULL,
	    "SLURM_COMPRESS", NULL, "library",
	    "data compression library used with --bcast"),
	FN3(OPT_ID_CPU_BIND_OLD, "cpu_bind", 0, REQ, SR, NULL, NULL, NULL,
	    set_cpu_bind, cpu_bind, "type", "the same as --cpu-bind"),
	IGN(OPT_ID_MSG_TIMEOUT, "msg-timeout", 0, REQ, SR, NULL, "secs",
	    "timeout for messages"),
	IGN(OPT_ID_QUIT_ON_INTERRUPT, "quit-on-interrupt", 0, NOARG, SR, NULL,
	    NULL, "quit on single Ctrl-C"),
	IGN3(OPT_ID_SEND_LIBS, "send-libs", 0, OPTARG, SR, NULL,
	    "SLURM_SEND_LIBS", NULL, "yes|no",
	    "broadcast executable's shared libraries with --bcast"),
	IGN(OPT_ID_SLURMD_DEBUG, "slurmd-debug", 0, REQ, SR, NULL, "level",
	    "slurmd debug level"),
	IGN3(OPT_ID_THREADS, "threads", 'T', REQ, SR, NULL, "SLURM_THREADS",
	    NULL, "threads", "set srun launch fanout"),
	IGN(OPT_ID_WHOLE, "whole", 0, NOARG, SR, NULL, NULL,
	    "use all resources on the allocated nodes for the step"),
	IGN(OPT_ID_PRESERVE_ENV, "preserve-env", 'E', NOARG, SR, NULL, NULL,
	    "env vars for node and task counts override command-line flags"),
	FN(OPT_ID_RELATIVE, "relative", 'r', REQ, SR, NULL, set_spec, unused,
	    "n", "run job step relative to node n of allocation"),
	IGN3(OPT_ID_RESV_PORTS, "resv-ports", 0, OPTARG, SR, NULL,
	    "SLURM_RESV_PORTS", NULL, "count",
	    "reserve communication ports"),
	IGN3(OPT_ID_SRUN_WAIT, "wait", 'W', REQ, SR, NULL, "SLURM_WAIT", NULL,
	    "sec", "seconds to wait after first task exits before killing "
	    "job"),
	IGN(OPT_ID_HET_GROUP, "het-group", 0, REQ, SR, NULL, "value",
	    "hetjob component allocation(s) in which to launch application"),
	IGN(OPT_ID_PACK_GROUP, "pack-group", 0, REQ, SR, NULL, "value",
	    "the same as --het-group"),
	IGN(OPT_ID_INTERACTIVE, "interactive", 0, NOARG, SR, NULL, NULL,
	    "run as an interactive step"),
	IGN(OPT_ID_NO_ALLOCATE, "no-allocate", 'Z', NOARG, SR, NULL, NULL,
	    "don't allocate nodes (needs -w; user root only)"),
	GEN3(OPT_ID_PROLOG, "prolog", 0, REQ, SR, NULL, "SLURM_PROLOG", NULL,
	    OPT_STR, prolog, "file", "run \"file\" before launching the "
	    "step"),
	GEN3(OPT_ID_EPILOG, "epilog", 0, REQ, SR, NULL, "SLURM_EPILOG", NULL,
	    OPT_STR, epilog, "file", "run \"file\" after the step ends"),
	GEN3(OPT_ID_TASK_PROLOG, "task-prolog", 0, REQ, SR, NULL,
	    "SLURM_TASK_PROLOG", NULL, OPT_STR, task_prolog, "file",
	    "run \"file\" before launching each task"),
	GEN3(OPT_ID_TASK_EPILOG, "task-epilog", 0, REQ, SR, NULL,
	    "SLURM_TASK_EPILOG", NULL, OPT_STR, task_epilog, "file",
	    "run \"file\" after each task ends"),
	GEN(OPT_ID_SRUN_TEST_ONLY, "test-only", 0, NOARG, SR, NULL, OPT_FLAG,
	    test_only, NULL, "check when the job would start; run nothing"),
};

static void
err_vset(struct opts *o, struct opt_err *err, int status, const char *level,
    const char *pre, const char *fmt, va_list ap)
{
	struct buf b;

	buf_init(&b);
	if (pre != NULL)
		buf_adds(&b, pre);
	buf_printf(&b, "%s: %s: ", o->prog, level);
	buf_vprintf(&b, fmt, ap);
	buf_addc(&b, '\n');
	free(err->text);
	err->text = buf_steal(&b);
	err->status = status;
	err->late = false;
}

/* "<prog>: error: <msg>\n", exit status. */
static void
err_set(struct opts *o, struct opt_err *err, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(o, err, status, "error", NULL, fmt, ap);
	va_end(ap);
}

/* One more "<prog>: error: <msg>\n" line after err's, exit 1. */
static void
err_add(struct opts *o, struct opt_err *err, const char *fmt, ...)
{
	va_list ap;
	char *pre = err->text;

	err->text = NULL;
	va_start(ap, fmt);
	err_vset(o, err, 1, "error", pre, fmt, ap);
	va_end(ap);
	free(pre);
}

/* Slurm's fatal(): "<prog>: fatal: <msg>\n", exit 1. */
static void
err_fatal(struct opts *o, struct opt_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(o, err, 1, "fatal", NULL, fmt, ap);
	va_end(ap);
}

void
opt_init(struct opts *o, unsigned tool)
{
	memset(o, 0, sizeof *o);
	o->tool = tool;
	o->prog = tool == OPT_SRUN ? "srun" : tool == OPT_SALLOC ? "salloc" :
	    "sbatch";
	o->cpus_per_task = 1;
	o->ntasks = 1;
	o->min_nodes = 1;
	o->time_limit = NO_VAL;
	o->time_min = NO_VAL;
	o->exclusive = -1;
	o->requeue = -1;
	o->kill_on_invalid_dep = -1;
	o->immediate = -1;
	o->jobid = NO_VAL;
}

void
opt_free(struct opts *o)
{
	extra_free(o);
	for (size_t i = 0; i < OPT_NIDS; i++) {
		const struct opt_def *d = &opt_table[i];

		free(o->raw[i]);
		o->raw[i] = NULL;
		if (d->type == OPT_STR || d->fn == set_path ||
		    d->fn == set_propagate || d->fn == set_signal ||
		    d->fn == set_cpu_bind) {
			char **sp = (char **)(void *)((char *)o + d->off);

			free(*sp);
			*sp = NULL;
		}
	}
}

void
opt_err_free(struct opt_err *err)
{
	free(err->text);
	err->text = NULL;
}

const struct opt_def *
opt_find(const char *name)
{
	for (size_t i = 0; i < OPT_NIDS; i++)
		if (strcmp(opt_table[i].name, name) == 0)
			return &opt_table[i];
	return NULL;
}

/*
 * Slurm 22.05's parse_int(): a decimal (strtol) with nothing after it;
 * positive means > 0.  Only LONG_MAX (where strtol saturates) is "to
 * big": any other value is cast to int, so 4294967297 is 1 and
 * 2147483648 is -2147483648, as in Slurm; *out holds that int's bits
 * (the callers' own checks say what a value <= 0 means).  Failures exit
 * 1 in Slurm.
 */
static int
parse_int(struct opts *o, const char *name, const char *val, uint32_t *out,
    bool positive, struct opt_err *err)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(val, &end, 10);
	if (*end != '\0' || v < 0 || (positive && v <= 0)) {
		err_set(o, err, 1, "Invalid numeric value \"%s\" for %s.",
		    val, name);
		return -1;
	}
	if (v == LLONG_MAX) {
		err_set(o, err, 1, "Numeric argument (%lld) to big for %s.",
		    v, name);
		return -1;
	}
	*out = (uint32_t)(unsigned long long)v;
	return 0;
}

static bool
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* --begin and --deadline: Slurm's parse_time() and its two lines. */
static int
set_begin(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	int64_t *tp = (int64_t *)(void *)((char *)o + d->off), t;
	char *pre = NULL;

	if (!set) {
		*tp = 0;
		return 0;
	}
	if (parse_begin_time(v, now_sec(), &t) == 0) {
		*tp = t;
		return 0;
	}
	/* An empty value is "nothing specified": no position line. */
	if (!blank(v))
		xasprintf(&pre, "Invalid time specification (pos=0): %s\n", v);
	err_set(o, err, 255, "Invalid --%s specification", d->name);
	if (pre != NULL) {
		char *t2 = xprintf("%s%s", pre, err->text);

		free(err->text);
		err->text = t2;
		free(pre);
	}
	return -1;
}

/* -o/-e/-i/-D: a path; "none" (any case) is /dev/null for the streams. */
static int
set_path(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	char **sp = (char **)(void *)((char *)o + d->off);

	(void)err;
	free(*sp);
	*sp = NULL;
	if (!set)
		return 0;
	if (d->id != OPT_ID_CHDIR && strcasecmp(v, "none") == 0)
		*sp = xstrdup("/dev/null");
	else
		*sp = xstrdup(v);
	return 0;
}

static int
set_exclusive(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	(void)d;
	if (!set)
		o->exclusive = -1;
	else if (v == NULL || strcasecmp(v, "exclusive") == 0)
		o->exclusive = 1;
	else if (strcasecmp(v, "oversubscribe") == 0)
		o->exclusive = 0;
	else if (strcasecmp(v, "user") == 0 || strcasecmp(v, "mcs") == 0)
		o->exclusive = -1;	/* no other users' jobs: no effect */
	else {
		err_set(o, err, 255, "Invalid --exclusive specification");
		return -1;
	}
	return 0;
}

static int
set_oversubscribe(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	(void)d;
	(void)v;
	(void)err;
	o->exclusive = set ? 0 : -1;
	return 0;
}

/* --get-user-env[=timeout][S|L] */
static int
set_get_user_env(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	char *end;

	(void)d;
	o->get_user_env = set;
	if (!set || v == NULL)
		return 0;
	(void)strtol(v, &end, 10);
	if (*end != '\0' && strchr("sSlL", *end) == NULL) {
		err_set(o, err, 255, "Invalid --get-user-env specification");
		return -1;
	}
	return 0;
}

static int
set_action(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	(void)v;
	(void)err;
	if (!set || o->action != OPT_ACT_NONE)
		return 0;
	if (d->id == OPT_ID_HELP)
		o->action = OPT_ACT_HELP;
	else if (d->id == OPT_ID_USAGE)
		o->action = OPT_ACT_USAGE;
	else
		o->action = OPT_ACT_VERSION;
	return 0;
}

static int
set_kill_inv_dep(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	(void)d;
	if (!set)
		o->kill_on_invalid_dep = -1;
	else if (strcasecmp(v, "yes") == 0)
		o->kill_on_invalid_dep = 1;
	else if (strcasecmp(v, "no") == 0)
		o->kill_on_invalid_dep = 0;
	else {
		err_set(o, err, 255,
		    "Invalid --kill-on-invalid-dep specification");
		return -1;
	}
	return 0;
}

/* Slurm's parse_mail_type() names; the bits are ours. */
static const char *const mail_types[] = {
	"NONE", "BEGIN", "END", "FAIL", "REQUEUE", "ALL", "STAGE_OUT",
	"TIME_LIMIT", "TIME_LIMIT_90", "TIME_LIMIT_80", "TIME_LIMIT_50",
	"ARRAY_TASKS", "INVALID_DEPEND",
};

static int
set_mail_type(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	char **tok;
	size_t n, i, k;
	int rc = 0;

	(void)d;
	o->mail_type = 0;
	if (!set)
		return 0;
	tok = strv_split(v, ",", &n);
	for (i = 0; i < n && rc == 0; i++) {
		for (k = 0; k < nitems(mail_types); k++)
			if (strcasecmp(tok[i], mail_types[k]) == 0)
				break;
		if (k == nitems(mail_types))
			rc = -1;
		else
			o->mail_type |= 1u << k;
	}
	strv_free(tok);
	if (rc == -1 || n == 0) {
		err_set(o, err, 255, "Invalid --mail-type specification");
		return -1;
	}
	return 0;
}

/*
 * srun --jobid (and SLURM_JOB_ID): Slurm's parse_int, whose int srun
 * keeps in 32 bits (checked on 22.05.8): J+2^32 is job J, 4294967296 job
 * 0 and 2147483648 job 2147483648 (unknown jobs), 4294967294 (NO_VAL)
 * unset, so srun makes an allocation of its own.
 */
static int
set_jobid(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	(void)d;
	o->jobid = NO_VAL;
	if (!set)
		return 0;
	return parse_int(o, "--jobid", v, &o->jobid, true, err);
}

/* Slurm: no value is 100; the value is strtoll'd without further checks. */
#define NICE_LIMIT	2147483645LL	/* NICE_OFFSET - 3 */
static int
set_nice(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	long long n;

	(void)d;
	if (!set) {
		o->nice = 0;
		return 0;
	}
	n = v != NULL ? strtoll(v, NULL, 10) : 100;
	if (llabs(n) > NICE_LIMIT) {
		err_set(o, err, 255, "Invalid --nice value, out of range "
		    "(+/- %lld)", NICE_LIMIT);
		return -1;
	}
	o->nice = (int32_t)n;
	return 0;
}

/* One node count of verify_node_count(): digits, then k or m. */
/*
 * A node count as Slurm 22.05 reads one: a decimal (strtol: saturated at
 * LONG_MAX), times 1024 for k or 1048576 for m, cast to int, so
 * 4294967297 is 1 and 2147483648 is negative (the caller's checks).
 */
static int
node_count(const char *s, size_t len, long long *out)
{
	unsigned long long v = 0;
	size_t i = 0;
	bool sat = false;

	if (len == 0 || s[0] < '0' || s[0] > '9')
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > ((unsigned long long)LLONG_MAX - d) / 10)
			sat = true;
		v = v * 10 + d;
	}
	if (sat)
		v = LLONG_MAX;
	if (i < len && (s[i] == 'k' || s[i] == 'K')) {
		v *= 1024;
		i++;
	} else if (i < len && (s[i] == 'm' || s[i] == 'M')) {
		v *= 1024 * 1024;
		i++;
	}
	for (; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return -1;
	*out = (int32_t)(uint32_t)v;
	return 0;
}

static int
set_nodes(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	const char *dash;
	long long lo, hi;

	(void)d;
	if (!set) {
		o->min_nodes = 1;
		o->max_nodes = 0;
		return 0;
	}
	if ((dash = strchr(v, '-')) != NULL) {
		if (node_count(v, (size_t)(dash - v), &lo) == -1 || lo < 0) {
			err_set(o, err, 255, "\"%.*s\" is not a valid node "
			    "count", (int)(dash - v), v);
			return -1;
		}
		if (node_count(dash + 1, strlen(dash + 1), &hi) == -1) {
			err_set(o, err, 255, "\"%s\" is not a valid node count",
			    dash + 1);
			return -1;
		}
	} else {
		if (node_count(v, strlen(v), &lo) == -1 || lo < 0) {
			err_set(o, err, 255, "\"%s\" is not a valid node count",
			    v);
			return -1;
		}
		hi = lo;
	}
	if (hi != 0 && hi < lo) {
		err_set(o, err, 255, "Maximum node count %lld is less than "
		    "minimum node count %lld", hi, lo);
		return -1;
	}
	o->min_nodes = (uint32_t)lo;
	o->max_nodes = (uint32_t)hi;
	return 0;
}

static int
set_open_mode(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	(void)d;
	if (!set)
		o->open_mode = 0;
	else if (v[0] == 'a' || v[0] == 'A')
		o->open_mode = 'a';
	else if (v[0] == 't' || v[0] == 'T')
		o->open_mode = 't';
	else {
		err_set(o, err, 255, "Invalid --open-mode specification");
		return -1;
	}
	return 0;
}

static int
set_priority(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	long long p;

	(void)d;
	if (!set) {
		o->priority = 0;
		return 0;
	}
	if (strcasecmp(v, "TOP") == 0) {
		o->priority = NO_VAL - 1;
		return 0;
	}
	p = strtoll(v, NULL, 10);
	if (p < 0) {
		err_set(o, err, 255, "Priority must be >= 0");
		return -1;
	}
	if (p >= (long long)NO_VAL) {
		err_set(o, err, 255, "Priority must be < %u", NO_VAL);
		return -1;
	}
	o->priority = (uint32_t)p;
	return 0;
}

static int
set_propagate(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	(void)d;
	(void)err;
	free(o->propagate);
	o->propagate = set ? xstrdup(v != NULL ? v : "ALL") : NULL;
	return 0;
}

static int
set_quiet(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	(void)d;
	(void)v;
	(void)err;
	if (set)
		o->quiet++;
	else
		o->quiet = 0;
	return 0;
}

/* -v counts; SBATCH_DEBUG carries the level as a number. */
static int
set_verbose(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	uint32_t n;

	(void)d;
	if (!set) {
		o->verbose = 0;
		return 0;
	}
	if (v == NULL) {
		o->verbose++;
		return 0;
	}
	if (parse_int(o, "--verbose", v, &n, false, err) == -1)
		return -1;
	o->verbose = (int)n;
	return 0;
}

/* --requeue and --no-requeue share one value: the last one given wins. */
static int
set_requeue(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	(void)v;
	(void)err;
	if (!set)
		o->requeue = -1;
	else
		o->requeue = d->id == OPT_ID_REQUEUE;
	return 0;
}

/* Slurm's sig_name2num(): a number, or a name with or without "SIG". */
static const struct {
	const char	*name;
	int		 num;
} signames[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ABRT", SIGABRT }, { "KILL", SIGKILL }, { "ALRM", SIGALRM },
	{ "TERM", SIGTERM }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "URG", SIGURG }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM },
	{ "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "PIPE", SIGPIPE },
	{ "CHLD", SIGCHLD }, { "BUS", SIGBUS }, { "SEGV", SIGSEGV },
	{ "ILL", SIGILL }, { "FPE", SIGFPE }, { "TRAP", SIGTRAP },
	{ "SYS", SIGSYS }, { "POLL", SIGPOLL }, { "PWR", SIGPWR },
};

static int
sig_number(const char *s)
{
	char *end;
	long n;

	if (*s >= '0' && *s <= '9') {
		n = strtol(s, &end, 10);
		return *end == '\0' && n <= 0xffff ? (int)n : 0;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < nitems(signames); i++)
		if (strcasecmp(s, signames[i].name) == 0)
			return signames[i].num;
	return 0;
}

/* --signal=[R:|B:|RB:]sig[@seconds]; the time defaults to 60. */
static int
set_signal(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	const char *p = v, *at;
	char *name, *end;
	bool batch = false;
	long t = 60;
	int sig;

	(void)d;
	free(o->signal);
	o->signal = NULL;
	o->warn_signal = o->warn_time = 0;
	o->warn_batch_only = false;
	if (!set)
		return 0;
	for (;;) {
		if (strncasecmp(p, "R:", 2) == 0)
			p += 2;
		else if (strncasecmp(p, "B:", 2) == 0) {
			batch = true;
			p += 2;
		} else if (strncasecmp(p, "RB:", 3) == 0 ||
		    strncasecmp(p, "BR:", 3) == 0) {
			batch = true;
			p += 3;
		} else
			break;
	}
	at = strchr(p, '@');
	name = at != NULL ? xstrndup(p, (size_t)(at - p)) : xstrdup(p);
	sig = sig_number(name);
	free(name);
	if (sig < 1)
		goto bad;
	if (at != NULL) {
		errno = 0;
		t = strtol(at + 1, &end, 10);
		if (end == at + 1 || *end != '\0' || t < 0 || t > 0xffff)
			goto bad;
	}
	o->signal = xstrdup(v);
	o->warn_signal = sig;
	o->warn_time = (int)t;
	o->warn_batch_only = batch;
	return 0;
bad:
	err_set(o, err, 255, "Invalid --signal specification");
	return -1;
}

/*
 * --cpu-bind=[{quiet|verbose},]type: the words srun accepts (Slurm's
 * slurm_verify_cpu_bind); berth binds with none, rank, cores, threads,
 * sockets/ldoms (the whole step), map_cpu and mask_cpu.
 */
static int
set_cpu_bind(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	static const char *const words[] = { "q", "quiet", "v", "verbose",
	    "no", "none", "rank", "cores", "threads", "sockets", "ldoms",
	    "boards", "help" };
	char *copy, *tok, *save;
	bool ok = true;

	(void)d;
	free(o->cpu_bind);
	o->cpu_bind = NULL;
	if (!set)
		return 0;
	copy = xstrdup(v);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && ok;
	    tok = strtok_r(NULL, ",", &save)) {
		bool known = false;

		if (strncasecmp(tok, "map_cpu:", 8) == 0 ||
		    strncasecmp(tok, "mask_cpu:", 9) == 0) {
			const char *p = strchr(tok, ':') + 1;

			/* the list runs to the end: commas belong to it */
			ok = *p != '\0' && strspn(p, "0123456789abcdefABCDEFx*")
			    == strlen(p);
			while ((tok = strtok_r(NULL, ",", &save)) != NULL)
				ok = ok && *tok != '\0' && strspn(tok,
				    "0123456789abcdefABCDEFx*") == strlen(tok);
			break;
		}
		for (size_t i = 0; i < nitems(words); i++)
			if (strcasecmp(tok, words[i]) == 0)
				known = true;
		ok = known;
	}
	free(copy);
	if (!ok) {
		err_set(o, err, 1, "Invalid --cpu-bind argument: %s", v);
		return -1;
	}
	o->cpu_bind = xstrdup(v);
	return 0;
}

/* -I[secs]: without a value, "now". */
static int
set_immediate(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	uint32_t n = 0;

	(void)d;
	o->immediate = -1;
	if (!set)
		return 0;
	if (v != NULL && parse_int(o, "--immediate", v, &n, false, err) == -1)
		return -1;
	o->immediate = (int)n;
	return 0;
}

/* -K[0|1]: without a value, on. */
static int
set_kill_bad_exit(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	uint32_t n = 1;

	(void)d;
	o->kill_on_bad_exit = false;
	if (!set)
		return 0;
	if (v != NULL && parse_int(o, "--kill-on-bad-exit", v, &n, false,
	    err) == -1)
		return -1;
	o->kill_on_bad_exit = n != 0;
	return 0;
}

int
opt_set(struct opts *o, const struct opt_def *d, const char *value,
    enum opt_src src, struct opt_err *err)
{
	bool set = true;
	void *field = (char *)o + d->off;
	char **sp;
	int rc = 0;

	d = opt_canonical(d);
	field = (char *)o + d->off;
	if (o->src[d->id] > src)
		return 0;
	if (src == OPT_SRC_ENV && value != NULL) {
		if (d->has_arg == no_argument && d->id != OPT_ID_VERBOSE) {
			char *end;

			set = value[0] == '\0' ||
			    strcasecmp(value, "yes") == 0 ||
			    (strtol(value, &end, 10) != 0 && *end == '\0');
			value = NULL;
		} else if (value[0] == '\0') {
			if (d->has_arg == required_argument)
				return 0;
			value = NULL;
		}
	}

	switch (d->type) {
	case OPT_STR:
		sp = field;
		free(*sp);
		*sp = set ? xstrdup(value) : NULL;
		break;
	case OPT_INT:
		if (set) {
			char name[64];

			snprintf(name, sizeof name, "--%s", d->name);
			rc = parse_int(o, name, value, field, true, err);
		}
		break;
	case OPT_FLAG:
		*(bool *)field = set;
		break;
	case OPT_TIME:
		if (set && parse_time_limit(value, field) == -1) {
			err_set(o, err, 255, "Invalid --%s specification",
			    d->name);
			rc = -1;
		}
		break;
	case OPT_MEM:
		if (set && parse_mem_mb(value, field) == -1) {
			err_set(o, err, 255, "Invalid --%s specification",
			    d->name);
			rc = -1;
		}
		break;
	case OPT_IGNORE:
		break;
	case OPT_FUNC:
		rc = d->fn(o, d, value, set, err);
		break;
	}
	if (rc == -1)
		return -1;
	o->src[d->id] = set ? (uint8_t)src : OPT_SRC_NONE;
	free(o->raw[d->id]);
	o->raw[d->id] = set && value != NULL ? xstrdup(value) : NULL;
	return 0;
}

static int
tool_index(unsigned tool)
{
	return tool == OPT_SRUN ? 1 : tool == OPT_SALLOC ? 2 : 0;
}

static const struct opt_def *
find_short(unsigned tool, int c)
{
	for (size_t i = 0; i < OPT_NIDS; i++)
		if (opt_table[i].shortc == c && (opt_table[i].tools & tool))
			return &opt_table[i];
	return NULL;
}

/*
 * getopt_long's tables for a tool: built at its first parse and kept
 * (sbatch parses its command line twice, and its #SBATCH lines).
 */
static void
getopt_tables(unsigned tool, const struct option **lop, const char **osp)
{
	static struct option *lo;
	static struct buf os;
	static unsigned built;
	size_t n = 0;

	if (built != tool) {
		free(lo);
		buf_free(&os);
		lo = xcalloc(OPT_NIDS + 1, sizeof *lo);
		buf_adds(&os, "+");
		for (size_t i = 0; i < OPT_NIDS; i++) {
			const struct opt_def *d = &opt_table[i];

			if (!(d->tools & tool))
				continue;
			lo[n].name = d->name;
			lo[n].has_arg = d->has_arg;
			lo[n].flag = NULL;
			lo[n].val = LONGVAL + (int)i;
			n++;
			if (d->shortc != 0) {
				buf_addc(&os, (char)d->shortc);
				if (d->has_arg == required_argument)
					buf_adds(&os, ":");
				else if (d->has_arg == optional_argument)
					buf_adds(&os, "::");
			}
		}
		built = tool;
	}
	*lop = lo;
	*osp = os.data;
}

int
opt_parse_argv(struct opts *o, int argc, char **argv, enum opt_src src,
    enum opt_pass pass, int *first, struct opt_err *err)
{
	const struct option *lo;
	const char *os;
	char **av;
	int c, rc = 0;
	bool bad = false;

	getopt_tables(o->tool, &lo, &os);
	/* getopt names the program by argv[0]: make it the tool's name. */
	av = xcalloc((size_t)argc + 1, sizeof *av);
	av[0] = (char *)(uintptr_t)o->prog;
	for (int i = 1; i < argc; i++)
		av[i] = argv[i];

	optind = 0;			/* full reinitialisation (glibc) */
	opterr = pass == OPT_PASS_MAIN;
	while ((c = getopt_long(argc, av, os, lo, NULL)) != -1) {
		const struct opt_def *d;

		if (c == '?' || c == ':') {
			/* Left to right, as Slurm's getopt loop: a --help,
			 * --usage or --version before it wins. */
			if (pass == OPT_PASS_EARLY) {
				if (o->action == OPT_ACT_NONE)
					bad = true;
				continue;
			}
			free(err->text);
			err->text = xprintf("Try \"%s --help\" for more "
			    "information\n", o->prog);
			err->status = 255;
			rc = -1;
			break;
		}
		d = c >= LONGVAL ? &opt_table[c - LONGVAL] :
		    find_short(o->tool, c);
		if (d == NULL || d->early != (pass == OPT_PASS_EARLY))
			continue;
		if (opt_set(o, d, optarg, src, err) == -1) {
			rc = -1;
			break;
		}
	}
	*first = optind;
	if (rc == 0 && src == OPT_SRC_SCRIPT && optind < argc) {
		err_set(o, err, 255, "Invalid directive found in batch script: "
		    "%s", argv[optind]);
		rc = -1;
	}
	opterr = 1;
	free(av);
	return rc == 0 && bad ? 1 : rc;
}

/*
 * The input variables (SBATCH_*, SLURM_*, ...), applied in the table's
 * order as before.  One pass over the environment finds them, instead of
 * a getenv() per option, each of which walked the whole environment: every
 * variable of the table starts with 'S' (test-opt checks), so most entries
 * are passed over at their first letter.  As with getenv(), the first of
 * two entries with the same name counts.
 */
int
opt_apply_env(struct opts *o, struct opt_err *err)
{
	const char *val[OPT_NIDS] = { 0 };
	int ti = tool_index(o->tool);
	bool any = false;

	for (char **e = environ; *e != NULL; e++) {
		const char *eq;
		size_t len;

		if ((*e)[0] != 'S' || (eq = strchr(*e, '=')) == NULL)
			continue;
		len = (size_t)(eq - *e);
		for (size_t i = 0; i < OPT_NIDS; i++) {
			const char *name = opt_table[i].env[ti];

			/* The second letter (SBATCH_, SLURM_, ...) tells
			 * most apart before a call to strncmp. */
			if (name != NULL && name[1] == (*e)[1] &&
			    val[i] == NULL &&
			    (opt_table[i].tools & o->tool) &&
			    strncmp(name, *e, len) == 0 && name[len] == '\0') {
				val[i] = eq + 1;
				any = true;
			}
		}
	}
	for (size_t i = 0; any && i < OPT_NIDS; i++)
		if (val[i] != NULL &&
		    opt_set(o, &opt_table[i], val[i], OPT_SRC_ENV, err) == -1)
			return -1;
	return 0;
}

/* "[type:]count" (--gpus, --gpus-per-node, --gpus-per-task). */
static int
spec_count(const char *s, uint32_t *n)
{
	const char *c = strrchr(s, ':');
	uint32_t v;

	if (c != NULL) {
		if (c == s || strchr(s, ':') != c)
			return -1;
		s = c + 1;
	}
	if (parse_u32(s, &v) == -1)
		return -1;
	*n = v;
	return 0;
}

/*
 * Whether the GPU requests name a type in some places and not in others
 * (--gpus=tesla:2 --gpus-per-task=1, --gres=gpu:1 --gpus=tesla:1), which
 * Slurm refuses.  Call once the specs parsed: a --gres item is "gpu",
 * "gpu:N", "gpu:TYPE" or "gpu:TYPE:N" (maybe after "gres:" or "gres/"),
 * the others "N" or "TYPE:N".
 */
static bool
gpu_types_mixed(const struct opts *o)
{
	const char *spec[] = { o->src[OPT_ID_GPUS] ? o->gpus : NULL,
	    o->src[OPT_ID_GPUS_PER_NODE] ? o->gpus_per_node : NULL,
	    o->src[OPT_ID_GPUS_PER_TASK] ? o->gpus_per_task : NULL };
	bool typed = false, untyped = false;
	char **tok;
	uint32_t n;

	for (size_t i = 0; i < nitems(spec); i++) {
		if (spec[i] == NULL)
			continue;
		if (strchr(spec[i], ':') != NULL)
			typed = true;
		else
			untyped = true;
	}
	if (o->src[OPT_ID_GRES] && strcasecmp(o->gres, "none") != 0) {
		tok = strv_split(o->gres, ",", NULL);
		for (size_t i = 0; tok[i] != NULL; i++) {
			const char *t = tok[i], *c;

			if (strncmp(t, "gres/", 5) == 0 ||
			    strncmp(t, "gres:", 5) == 0)
				t += 5;
			/* parse_gres_gpus() took it: "gpu[:x[:y]]" */
			if ((c = strchr(t, ':')) == NULL)
				untyped = true;
			else if (strchr(c + 1, ':') != NULL ||
			    parse_u32(c + 1, &n) == -1)
				typed = true;
			else
				untyped = true;
		}
		strv_free(tok);
	}
	return typed && untyped;
}

/*
 * Whether --gpus-per-task comes without a task count, which slurmctld
 * refuses (checked on 22.05.8, sbatch, salloc and srun alike): a count
 * is -n, a single -N count (-N 2, not -N 1-2), or --ntasks-per-node
 * without a -N range; --gpus with a count but 0 will do too, if of the
 * same GPU type (-G tesla:1 --gpus-per-task=1 is refused).  A per-task
 * count of 0 asks for nothing and passes.  Checked before the GPU specs
 * parse ("--gpus-per-task=abc" gets this error too).
 */
static bool
gpus_per_task_alone(const struct opts *o)
{
	const char *t;
	size_t tl;
	uint32_t n;

	if (!o->src[OPT_ID_GPUS_PER_TASK] || o->src[OPT_ID_NTASKS])
		return false;
	if (spec_count(o->gpus_per_task, &n) == 0 && n == 0)
		return false;
	if (o->src[OPT_ID_GPUS] && (spec_count(o->gpus, &n) == -1 || n > 0)) {
		/* The same type only: slurmctld keeps one record per type. */
		t = strrchr(o->gpus_per_task, ':');
		tl = t != NULL ? (size_t)(t - o->gpus_per_task) : 0;
		t = strrchr(o->gpus, ':');
		if ((t != NULL ? (size_t)(t - o->gpus) : 0) == tl &&
		    strncmp(o->gpus, o->gpus_per_task, tl) == 0)
			return false;
	}
	if (o->src[OPT_ID_NODES])
		return o->max_nodes != o->min_nodes;
	return !o->src[OPT_ID_NTASKS_PER_NODE] || o->ntasks_per_node == 0;
}

/*
 * --gpus with --gpus-per-task, as slurmctld checks them for a new job
 * (22.05.8, sbatch, salloc and srun alike, exit 1): the total must hold
 * one task's share, be a multiple of it, and give -n tasks if -n is
 * given; without -n the task count is the total over the share
 * (NumTasks=2, two CPUs and SLURM_NTASKS=2 for -G 2 --gpus-per-task=1).
 * Not for a step inside an allocation, whose SLURM_GPUS (the job's -G)
 * counts as --gpus: `salloc -G 2 srun --gpus-per-task=1 -n 1` runs one
 * task there.
 */
static int
gpus_with_per_task(struct opts *o, struct opt_err *err)
{
	const char *why = NULL;
	uint32_t g, t;

	if (o->step_in_alloc || !o->src[OPT_ID_GPUS] || !o->src[OPT_ID_GPUS_PER_TASK] ||
	    spec_count(o->gpus, &g) == -1 ||
	    spec_count(o->gpus_per_task, &t) == -1 || g == 0 || t == 0)
		return 0;
	if (g < t)
		why = "Failed to ensure --gpus >= --gres=gpu/--gpus-per-node "
		    ">= --gpus-per-socket";
	else if (g % t != 0)
		why = "Failed to validate job spec, --gpus not multiple of "
		    "--gpus-per-task";
	else if (o->src[OPT_ID_NTASKS] && g / t != o->ntasks)
		why = "Failed to validate job spec. Based on --gpus and "
		    "--gpus-per-task number of requested tasks differ from "
		    "-n/--ntasks.";
	if (why != NULL) {
		err_set(o, err, 1, "%s\n%s: error: Invalid generic resource "
		    "(gres) specification", why, o->prog);
		err->late = true;
		return -1;
	}
	if (!o->src[OPT_ID_NTASKS]) {
		o->ntasks = g / t;
		o->src[OPT_ID_NTASKS] = o->src[OPT_ID_GPUS] >
		    o->src[OPT_ID_GPUS_PER_TASK] ? o->src[OPT_ID_GPUS] :
		    o->src[OPT_ID_GPUS_PER_TASK];
	}
	return 0;
}

int
opt_resolve(struct opts *o, struct opt_err *err)
{
	static const enum opt_id mem_ids[] = { OPT_ID_MEM, OPT_ID_MEM_PER_CPU,
	    OPT_ID_MEM_PER_GPU };
	uint8_t top = OPT_SRC_NONE;
	int ntop = 0;
	uint32_t n, gres_n = 0, gpus_n = 0, pn_n = 0, pt_n = 0;

	opt_err_free(err);

	/* Memory: one of three, the highest source wins. */
	for (size_t i = 0; i < nitems(mem_ids); i++)
		if (o->src[mem_ids[i]] > top)
			top = o->src[mem_ids[i]];
	for (size_t i = 0; i < nitems(mem_ids); i++)
		if (top != OPT_SRC_NONE && o->src[mem_ids[i]] == top)
			ntop++;
	if (ntop > 1) {
		if (top == OPT_SRC_ENV)
			err_fatal(o, err, "SLURM_MEM_PER_CPU, "
			    "SLURM_MEM_PER_GPU, and SLURM_MEM_PER_NODE are "
			    "mutually exclusive.");
		else
			err_fatal(o, err, "--mem, --mem-per-cpu, and "
			    "--mem-per-gpu are mutually exclusive.");
		return -1;
	}
	for (size_t i = 0; i < nitems(mem_ids); i++)
		if (o->src[mem_ids[i]] != top)
			o->src[mem_ids[i]] = OPT_SRC_NONE;

	/*
	 * As Slurm's tools (checked on 22.05.8): each of these is an error
	 * line, all of them are printed, then exit 1.  A count is the int
	 * that parse_int made of the value (-n 4294967296 is 0).  sbatch
	 * takes -n 0 (slurmctld then refuses it).
	 */
	if (o->quiet > 0 && o->verbose > 0)
		err_add(o, err,
		    "don't specify both --verbose (-v) and --quiet (-Q)");
	if (o->src[OPT_ID_NTASKS] && ((int32_t)o->ntasks < 0 ||
	    (o->ntasks == 0 && o->tool != OPT_SBATCH)))
		err_add(o, err, "invalid number of tasks (-n %d)",
		    (int32_t)o->ntasks);
	if (o->src[OPT_ID_CPUS_PER_TASK] && (int32_t)o->cpus_per_task <= 0)
		err_add(o, err, "invalid number of cpus per task (-c %d)",
		    (int32_t)o->cpus_per_task);
	if (err->text != NULL)
		return -1;
	/* Slurm ignores a value <= 0 of these. */
	if ((int32_t)o->ntasks_per_node <= 0)
		o->ntasks_per_node = 0;
	if ((int32_t)o->cpus_per_gpu <= 0)
		o->cpus_per_gpu = 0;

	if (gpus_per_task_alone(o)) {
		/* slurmctld's words, then sbatch's; exit 1 (22.05.8). */
		err_set(o, err, 1, "Failed to validate job spec. "
		    "--gpus-per-task used without either --gpus or -n/--ntasks "
		    "is not allowed.\n%s: error: Invalid generic resource "
		    "(gres) specification", o->prog);
		err->late = true;
		return -1;
	}

	/* GPUs: the per-node count is what one node needs. */
	o->gpu_count = 0;
	o->gpus_given = false;
	if (o->src[OPT_ID_GRES]) {
		if (parse_gres_gpus(o->gres, &n) == -1)
			goto bad_gres;
		o->gpu_count = gres_n = n;
		o->gpus_given = true;
	}
	if (o->src[OPT_ID_GPUS_PER_TASK]) {
		if (spec_count(o->gpus_per_task, &n) == -1)
			goto bad_gres;
		o->gpu_count = pt_n = n * (o->src[OPT_ID_NTASKS] ?
		    o->ntasks : 1);
		o->gpus_given = true;
	}
	if (o->src[OPT_ID_GPUS]) {
		if (spec_count(o->gpus, &n) == -1)
			goto bad_gres;
		o->gpu_count = gpus_n = n;
		o->gpus_given = true;
	}
	if (o->src[OPT_ID_GPUS_PER_NODE]) {
		if (spec_count(o->gpus_per_node, &n) == -1)
			goto bad_gres;
		pn_n = n;
		/* With --gres too, Slurm's node needs the larger (22.05.8:
		 * TRES gres/gpu=2 for gpu:1 and 2 in either order). */
		o->gpu_count = o->src[OPT_ID_GRES] && gres_n > n ? gres_n : n;
		o->gpus_given = true;
	}
	/*
	 * A step takes what its one node needs from --gres, --gpus-per-node
	 * and --gpus-per-task (the largest), ahead of --gpus, which is then
	 * only the job's SLURM_GPUS or a total (22.05.8: in a -G 2 job,
	 * "srun --gpus=2 --gres=gpu:1" gets one GPU; in a -G 1 job,
	 * --gres=gpu:2 and --gpus-per-task=2 ask for two and are refused).
	 * A count of 0 there asks for nothing (--gres=gpu:0: the job's).
	 */
	n = gres_n > pn_n ? gres_n : pn_n;
	if (pt_n > n)
		n = pt_n;
	if (o->step_in_alloc && n > 0)
		o->gpu_count = n;
	if (o->gpus_given && gpu_types_mixed(o)) {
		/* Checked on Slurm 22.05.8: sbatch, salloc and srun, exit 1. */
		err_set(o, err, 1, "Invalid GRES specification (with and "
		    "without type identification)");
		err->late = true;
		return -1;
	}
	/* One node: --gpus must cover what the node needs (22.05.8: "-G 1
	 * --gres=gpu:2", "-G 1 --gpus-per-node=2"). */
	if (!o->step_in_alloc && gpus_n > 0 &&
	    (gres_n > gpus_n || pn_n > gpus_n)) {
		err_set(o, err, 1, "Failed to ensure --gpus >= "
		    "--gres=gpu/--gpus-per-node >= --gpus-per-socket\n%s: "
		    "error: Invalid generic resource (gres) specification",
		    o->prog);
		err->late = true;
		return -1;
	}
	if (gpus_with_per_task(o, err) == -1)
		return -1;
	return extra_resolve(o, err);
bad_gres:
	/* Slurm fails here building the job description: exit 1. */
	err_set(o, err, 1, "Invalid generic resource (gres) specification");
	err->late = true;
	return -1;
}

void
opt_fill_job(const struct opts *o, struct job *j)
{
	const char *gres = NULL;
	uint32_t ntasks = 1, cpt = 1;

	/* Unset: berth.conf's JobRequeue decides (default 1, Slurm's). */
	j->flags |= JOB_F_REQUEUE;
	if (o->requeue == 0)
		j->flags &= ~JOB_F_REQUEUE;
	if (o->requeue != -1)
		j->flags |= JOB_F_REQUEUE_SET;
	/* Unset: berth.conf's DependencyParameters decides. */
	if (o->kill_on_invalid_dep == 1)
		j->flags |= JOB_F_KILL_INV_DEP;
	else if (o->kill_on_invalid_dep == 0)
		j->flags |= JOB_F_KEEP_INV_DEP;

	if (o->src[OPT_ID_NODES]) {
		/* -N 0 goes as 0: slurmctld refuses it ("Node count
		 * specification invalid", no burst buffers here). */
		j->min_nodes = o->min_nodes;
		j->max_nodes = o->max_nodes > 0 ? o->max_nodes : j->min_nodes;
		j->flags |= JOB_F_NODES_SET;
	}
	if (o->src[OPT_ID_NTASKS]) {
		ntasks = o->ntasks;
		j->flags |= JOB_F_NTASKS_SET;
	} else if (o->src[OPT_ID_NTASKS_PER_NODE] && o->ntasks_per_node > 0) {
		ntasks = j->min_nodes * o->ntasks_per_node;
		j->flags |= JOB_F_NTASKS_SET;
	}
	if (o->src[OPT_ID_CPUS_PER_TASK] &&
	    o->src[OPT_ID_CPUS_PER_TASK] >= o->src[OPT_ID_CPUS_PER_GPU]) {
		cpt = o->cpus_per_task;
		j->flags |= JOB_F_CPT_SET;
	} else if (o->src[OPT_ID_CPUS_PER_GPU] && o->cpus_per_gpu > 0 &&
	    o->gpu_count > 0) {
		uint64_t want = (uint64_t)o->cpus_per_gpu * o->gpu_count;

		cpt = (uint32_t)((want + ntasks - 1) / ntasks);
	}
	j->ntasks = ntasks;
	j->cpus_per_task = cpt;
	j->ncpus = ntasks * cpt;
	if (o->overcommit) {
		/* Slurm 22.05: one task's CPUs per node, the tasks share
		 * them (sbatch -O -n4: NumCPUs=1 NumTasks=4). */
		j->flags |= JOB_F_OVERCOMMIT;
		j->ncpus = cpt;
	}

	j->mem_mb = 0;
	if (o->src[OPT_ID_MEM]) {
		j->mem_mb = o->mem_mb;
		j->flags |= JOB_F_MEM_SET;
	} else if (o->src[OPT_ID_MEM_PER_CPU]) {
		j->mem_mb = o->mem_per_cpu_mb;
		j->flags |= JOB_F_MEM_SET | JOB_F_MEM_PER_CPU;
	} else if (o->src[OPT_ID_MEM_PER_GPU] && o->gpu_count > 0) {
		/* per node: the node's GPUs times the per-GPU amount */
		j->mem_mb = o->mem_per_gpu_mb * o->gpu_count;
		j->flags |= JOB_F_MEM_SET;
	}

	/*
	 * Slurm's TresPerNode, TresPerJob and TresPerTask as scontrol show
	 * job prints them, less each item's "gres:": --gpus-per-node then
	 * --gres (--gres=none: nothing), --gpus, --gpus-per-task, each as
	 * given after "gpu:" (checked on Slurm 22.05.8).
	 */
	if (o->gpus_given) {
		j->gpus = o->gpu_count;
		j->flags |= JOB_F_GPUS_SET;
		free(j->gres);
		free(j->tres_per_job);
		free(j->tres_per_task);
		j->gres = j->tres_per_job = j->tres_per_task = NULL;
		if (o->src[OPT_ID_GRES] && strcasecmp(o->gres, "none") != 0)
			gres = o->gres;
		if (o->src[OPT_ID_GPUS_PER_NODE])
			j->gres = xprintf("gpu:%s%s%s", o->gpus_per_node,
			    gres != NULL ? "," : "", gres != NULL ? gres : "");
		else if (gres != NULL)
			j->gres = xstrdup(gres);
		if (o->src[OPT_ID_GPUS])
			j->tres_per_job = xprintf("gpu:%s", o->gpus);
		if (o->src[OPT_ID_GPUS_PER_TASK])
			j->tres_per_task = xprintf("gpu:%s",
			    o->gpus_per_task);
	}

	if (o->src[OPT_ID_TIME])
		j->time_limit = o->time_limit;
	if (o->src[OPT_ID_TIME_MIN])
		j->time_min = o->time_min;
	if (o->src[OPT_ID_BEGIN])
		j->begin_time = o->begin;
	if (o->src[OPT_ID_DEADLINE])
		j->deadline = o->deadline;
	if (o->src[OPT_ID_NICE])
		j->nice = o->nice;
	if (o->src[OPT_ID_PRIORITY])
		j->priority = o->priority;
	if (o->warn_signal > 0)
		j->warn_signal = JOB_WARN(o->warn_signal, o->warn_batch_only,
		    o->warn_time);
	if (o->hold)
		j->flags |= JOB_F_HOLD_USER;
	if (o->exclusive == 1)
		j->flags |= JOB_F_EXCLUSIVE;
	if (o->open_mode == 'a')
		j->flags |= JOB_F_OPEN_APPEND;

#define COPY(dst, src)	do { free(j->dst); j->dst = xstrdup0(o->src); } \
	while (0)
	COPY(partition, partition);
	COPY(account, account);
	COPY(qos, qos);
	COPY(comment, comment);
	COPY(wckey, wckey);
	COPY(dependency, dependency);
	COPY(features, constraint);
	COPY(req_nodes, nodelist);
	COPY(exc_nodes, exclude);
#undef COPY
	free(j->extra);
	if ((j->extra = opt_extra_show(o)) != NULL)
		j->flags |= JOB_F_EXTRA;
}

/* "-J, --job-name=jobname" as --help shows it. */
static char *
opt_synopsis(const struct opt_def *d)
{
	struct buf b;

	buf_init(&b);
	if (d->shortc != 0)
		buf_printf(&b, "-%c, ", d->shortc);
	else
		buf_adds(&b, "    ");
	buf_printf(&b, "--%s", d->name);
	if (d->has_arg == required_argument)
		buf_printf(&b, "=%s", d->argname != NULL ? d->argname : "arg");
	else if (d->has_arg == optional_argument)
		buf_printf(&b, "[=%s]", d->argname != NULL ? d->argname :
		    "arg");
	return buf_steal(&b);
}

/* Words of text from column indent, wrapped before column width. */
static void
print_wrapped(FILE *f, const char *text, size_t indent, size_t width)
{
	size_t col = indent;
	const char *p = text;

	while (*p != '\0') {
		size_t w = strcspn(p, " ");

		if (col > indent && col + 1 + w > width) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)w, p);
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

void
opt_help(FILE *f, unsigned tool, const char *prog)
{
	fprintf(f, "Usage: %s [OPTIONS...] executable [args...]\n\n", prog);
	fprintf(f, "Options:\n");
	for (size_t i = 0; i < OPT_NIDS; i++) {
		const struct opt_def *d = &opt_table[i];
		char *syn, *help;

		if (!(d->tools & tool))
			continue;
		syn = opt_synopsis(d);
		help = xprintf("%s%s", d->help, d->type == OPT_IGNORE ?
		    " (accepted, no effect in berth)" : "");
		if (strlen(syn) < 28)
			fprintf(f, "  %-28s", syn);
		else
			fprintf(f, "  %s\n%30s", syn, "");
		print_wrapped(f, help, 30, 79);
		free(help);
		free(syn);
	}
	fprintf(f, "\nInput environment variables:");
	for (size_t i = 0, col = 80; i < OPT_NIDS; i++) {
		const char *e = opt_table[i].env[tool_index(tool)];

		if (!(opt_table[i].tools & tool) || e == NULL)
			continue;
		if (col + strlen(e) + 1 > 78) {
			fprintf(f, "\n ");
			col = 1;
		}
		fprintf(f, " %s", e);
		col += strlen(e) + 1;
	}
	fprintf(f, "\n\nberth runs jobs on this machine only; see "
	    "docs/compat.md for the\ndifferences from Slurm.\n");
}

void
opt_usage(FILE *f, unsigned tool, const char *prog)
{
	size_t col, indent = strlen("Usage: ") + strlen(prog) + 1;

	fprintf(f, "Usage: %s", prog);
	col = indent - 1;
	for (size_t i = 0; i < OPT_NIDS; i++) {
		const struct opt_def *d = &opt_table[i];
		char *item;

		if (!(d->tools & tool) || d->type == OPT_IGNORE)
			continue;
		if (d->shortc != 0 && d->has_arg == required_argument)
			item = xprintf("[-%c %s]", d->shortc, d->argname);
		else if (d->shortc != 0 && d->has_arg == no_argument)
			item = xprintf("[-%c]", d->shortc);
		else if (d->has_arg == required_argument)
			item = xprintf("[--%s=%s]", d->name, d->argname);
		else if (d->has_arg == optional_argument)
			item = xprintf("[--%s[=%s]]", d->name, d->argname);
		else
			item = xprintf("[--%s]", d->name);
		if (col + 1 + strlen(item) > 79) {
			fprintf(f, "\n%*s", (int)indent - 1, "");
			col = indent - 1;
		}
		fprintf(f, " %s", item);
		col += 1 + strlen(item);
		free(item);
	}
	fprintf(f, "\n%*sexecutable [args...]\n", (int)indent, "");
}

bool
opt_run_action(const struct opts *o, FILE *f, const char *version)
{
	switch (o->action) {
	case OPT_ACT_HELP:
		opt_help(f, o->tool, o->prog);
		return true;
	case OPT_ACT_USAGE:
		opt_usage(f, o->tool, o->prog);
		return true;
	case OPT_ACT_VERSION:
		fprintf(f, "%s\n", version);
		return true;
	case OPT_ACT_NONE:
		break;
	}
	return false;
}

/*
 * The second block of rows: options of scripts written for a cluster.
 * Words and exit statuses are Slurm 22.05.8's, checked on the reference
 * cluster (cluster "ref", one node, no burst buffer, power, MCS, node
 * features or switch topology).
 */

/* Slurm's other names of a row (opt.h). */
const struct opt_def *
opt_canonical(const struct opt_def *d)
{
	switch (d->id) {
	case OPT_ID_CLUSTER:
		return &opt_table[OPT_ID_CLUSTERS];
	case OPT_ID_NTASKS_PER_TRES:
		return &opt_table[OPT_ID_NTASKS_PER_GPU];
	case OPT_ID_TASKS_PER_NODE:
		return &opt_table[OPT_ID_NTASKS_PER_NODE];
	case OPT_ID_CPU_BIND_OLD:
		return &opt_table[OPT_ID_CPU_BIND];
	case OPT_ID_PACK_GROUP:
		return &opt_table[OPT_ID_HET_GROUP];
	default:
		return d;
	}
}

/* -S/--core-spec, --thread-spec: a count (0 allowed), then ignored. */
static int
set_spec(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	char name[32];
	uint32_t n;

	if (!set)
		return 0;
	snprintf(name, sizeof name, "--%s", d->name);
	return parse_int(o, name, v, &n, false, err);
}

/*
 * --bbf: the file must be readable.  Slurm keeps only its #BB and #DW
 * lines, which need a burst buffer plugin: with none, the job shows no
 * BurstBuffer (checked on 22.05.8), so nothing of it is kept.
 */
static int
set_bbf(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	(void)d;
	free(o->bb);
	o->bb = NULL;
	if (set && access(v, R_OK) == -1) {
		err_set(o, err, 1, "Invalid --bbf specification");
		return -1;
	}
	return 0;
}

static int
set_delay_boot(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	(void)d;
	o->delay_boot = 0;
	if (!set)
		return 0;
	if (parse_time_limit(v, &o->delay_boot) == -1 ||
	    o->delay_boot == INFINITE) {
		err_set(o, err, 255, "Invalid --delay-boot specification");
		return -1;
	}
	return 0;
}

/*
 * --uid/--gid: root only, as Slurm.  berth's daemon runs a job as the
 * user who submitted it, so root may name only itself.
 */
static int
set_uid_gid(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	struct passwd_ent pe;
	char *end;
	unsigned long n;
	bool self;

	if (!set)
		return 0;
	if (getuid() != 0) {
		err_set(o, err, 255, "--%s only permitted by root user",
		    d->name);
		return -1;
	}
	n = strtoul(v, &end, 10);
	self = (*end == '\0' && end != v && n == 0) ||
	    strcmp(v, "root") == 0;
	if (!self && d->id == OPT_ID_UID && *end != '\0' &&
	    passwd_find(PASSWD_FILE, v, 0, &pe) == 0) {
		self = pe.uid == 0;
		passwd_ent_free(&pe);
	}
	if (!self) {
		err_set(o, err, 255, "Invalid --%s specification: berth runs "
		    "a job as the user who submits it", d->name);
		return -1;
	}
	return 0;
}

/* salloc -K[signal]: a signal name or number, SIGTERM without one. */
static int
set_kill_command(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	(void)d;
	o->kill_command_sig = 0;
	if (!set)
		return 0;
	if (v == NULL)
		o->kill_command_sig = SIGTERM;
	else if ((o->kill_command_sig = sig_number(v)) < 1) {
		o->kill_command_sig = 0;
		err_set(o, err, 255, "Invalid --kill-command specification");
		return -1;
	}
	return 0;
}

/* -F/--nodefile: the node names of a file become the --nodelist. */
static int
set_nodefile(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	FILE *f;
	struct buf b;
	char line[1024];

	(void)d;
	free(o->nodefile);
	o->nodefile = NULL;
	if (!set)
		return 0;
	if ((f = fopen(v, "r")) == NULL) {
		err_set(o, err, 255, "slurm_allocate_resources error opening "
		    "file %s, %s\n%s: error: Invalid --nodefile node file", v,
		    strerror(errno), o->prog);
		return -1;
	}
	buf_init(&b);
	while (fgets(line, sizeof line, f) != NULL) {
		char *p = line, *tok, *save;

		if ((tok = strchr(p, '#')) != NULL)
			*tok = '\0';
		for (tok = strtok_r(p, " \t\r\n,", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t\r\n,", &save)) {
			if (b.len > 0)
				buf_addc(&b, ',');
			buf_adds(&b, tok);
		}
	}
	fclose(f);
	if (b.len == 0) {
		buf_free(&b);
		err_set(o, err, 255, "Invalid --nodefile node file");
		return -1;
	}
	o->nodefile = xstrdup(v);
	free(o->nodelist);
	o->nodelist = buf_steal(&b);
	return 0;
}

/* --power: "level" is the one flag (others: opt_extra_warnings). */
static int
set_power(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	(void)d;
	(void)err;
	free(o->power);
	o->power = set ? xstrdup(v) : NULL;
	return 0;
}

/* Whether --power names "level"; calls fn for each other flag. */
static bool
power_level(const struct opts *o, FILE *f)
{
	char **tok;
	bool level = false;

	if (o->power == NULL)
		return false;
	tok = strv_split(o->power, ",", NULL);
	for (size_t i = 0; tok[i] != NULL; i++) {
		if (strcasecmp(tok[i], "level") == 0)
			level = true;
		else if (f != NULL)
			fprintf(f, "%s: error: Ignoring unrecognized power "
			    "option (%s)\n", o->prog, tok[i]);
	}
	strv_free(tok);
	return level;
}

/*
 * --switches=count[@max-time]: shown as "count@HH:MM:SS", the wait at
 * most MaxSwitchWait (300 s, Slurm's default) and that by default.
 * Without "@", SBATCH_WAIT4SWITCH (SALLOC_, SLURM_ for salloc, srun)
 * gives the wait; a bad one is ignored (checked on 22.05.8).
 */
static int
set_switches(struct opts *o, const struct opt_def *d, const char *v,
    bool set, struct opt_err *err)
{
	const char *at, *w4s;
	char *count;
	uint32_t n, n2, mins = 5;
	uint64_t secs;
	int rc;

	(void)d;
	free(o->switches);
	o->switches = NULL;
	if (!set)
		return 0;
	at = strchr(v, '@');
	count = at != NULL ? xstrndup(v, (size_t)(at - v)) : xstrdup(v);
	rc = parse_int(o, "--switches", count, &n, false, err);
	free(count);
	if (rc == -1)
		return -1;
	if (at != NULL && parse_time_limit(at + 1, &mins) == -1) {
		err_set(o, err, 255, "Invalid --switches specification");
		return -1;
	}
	if (at == NULL && (w4s = getenv(o->tool == OPT_SRUN ?
	    "SLURM_WAIT4SWITCH" : o->tool == OPT_SALLOC ? "SALLOC_WAIT4SWITCH" :
	    "SBATCH_WAIT4SWITCH")) != NULL && parse_time_limit(w4s, &n2) == 0)
		mins = n2;
	secs = mins == INFINITE || mins > 5 ? 300 : (uint64_t)mins * 60;
	o->switches = xprintf("%u@%02u:%02u:%02u", n, (unsigned)(secs / 3600),
	    (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
	return 0;
}

/* --x11: Slurm needs a DISPLAY first; berth forwards no X11. */
static int
set_x11(struct opts *o, const struct opt_def *d, const char *v, bool set,
    struct opt_err *err)
{
	(void)d;
	if (!set)
		return 0;
	if (v != NULL && strcasecmp(v, "all") != 0 &&
	    strcasecmp(v, "first") != 0 && strcasecmp(v, "last") != 0 &&
	    strcasecmp(v, "batch") != 0) {
		err_set(o, err, 255, "Invalid --x11 specification");
		return -1;
	}
	if (getenv("DISPLAY") == NULL) {
		err_set(o, err, 255, "No DISPLAY variable set, cannot setup "
		    "x11 forwarding.");
		return -1;
	}
	err_set(o, err, 255, "X11 forwarding not available: berth has no "
	    "X11 support");
	return -1;
}

/* Whether every feature --batch names is one of --constraint's. */
static bool
batch_in_constraint(const struct opts *o)
{
	char **b, **c;
	bool ok = true;

	if (o->constraint == NULL)
		return false;
	b = strv_split(o->batch, "&,|", NULL);
	c = strv_split(o->constraint, "&,|[]()*0123456789", NULL);
	for (size_t i = 0; b[i] != NULL && ok; i++) {
		ok = false;
		for (size_t k = 0; c[k] != NULL; k++)
			if (strcmp(b[i], c[k]) == 0)
				ok = true;
	}
	strv_free(b);
	strv_free(c);
	return ok;
}

/*
 * Checks of the second block, after opt_resolve's: Slurm's words and
 * statuses (slurmctld's rejections exit 1 after the tool's line).
 */
static int
extra_resolve(struct opts *o, struct opt_err *err)
{
	const char *failed = o->tool == OPT_SBATCH ?
	    "Batch job submission failed" : o->tool == OPT_SALLOC ?
	    "Job submit/allocate failed" : "Unable to allocate resources";
	uint32_t n, sockets;

	if (o->src[OPT_ID_REBOOT] && getuid() != 0) {
		err_set(o, err, 1, "rebooting of nodes is only allowed for "
		    "admins\n%s: error: %s: Access/permission denied", o->prog,
		    failed);
		return -1;
	}
	if (o->src[OPT_ID_GPUS_PER_SOCKET]) {
		if (o->src[OPT_ID_NTASKS_PER_GPU]) {
			err_fatal(o, err, "--gpus-per-socket is mutually "
			    "exclusive with --ntasks-per-gpu and "
			    "SLURM_NTASKS_PER_GPU");
			return -1;
		}
		if (!o->src[OPT_ID_SOCKETS_PER_NODE] ||
		    o->raw[OPT_ID_SOCKETS_PER_NODE] == NULL ||
		    parse_u32(o->raw[OPT_ID_SOCKETS_PER_NODE],
		    &sockets) == -1) {
			err_set(o, err, 1, "--gpus-per-socket option requires "
			    "--sockets-per-node specification\n%s: error: "
			    "Invalid generic resource (gres) specification",
			    o->prog);
			return -1;
		}
		if (spec_count(o->gpus_per_socket, &n) == -1) {
			err_set(o, err, 1, "Invalid generic resource (gres) "
			    "specification");
			return -1;
		}
		if (n * sockets > o->gpu_count)
			o->gpu_count = n * sockets;
		o->gpus_given = true;
	}
	if (o->src[OPT_ID_NTASKS_PER_GPU]) {
		if (!o->gpus_given && !o->src[OPT_ID_NTASKS] &&
		    !o->src[OPT_ID_NODES]) {
			err_set(o, err, 1, "gres_job_state_validate: "
			    "--ntasks-per-tres needs either a GRES GPU "
			    "specification or a node/ntask specification\n"
			    "%s: error: Invalid generic resource (gres) "
			    "specification", o->prog);
			return -1;
		}
		/* -G N without -n: N times the per-GPU count of tasks. */
		if (!o->src[OPT_ID_NTASKS] && o->src[OPT_ID_GPUS] &&
		    o->gpu_count > 0) {
			o->ntasks = o->gpu_count * o->ntasks_per_gpu;
			o->src[OPT_ID_NTASKS] = o->src[OPT_ID_NTASKS_PER_GPU];
		}
	}
	if (o->src[OPT_ID_RELATIVE] && !o->step_in_alloc) {
		err_fatal(o, err, "--relative option invalid for job "
		    "allocation request");
		return -1;
	}
	if (o->src[OPT_ID_NO_ALLOCATE] && o->nodelist == NULL) {
		err_set(o, err, 1, "must specify a node list with -Z, "
		    "--no-allocate.");
		return -1;
	}
	if (o->src[OPT_ID_NO_ALLOCATE] && getuid() != 0) {
		err_set(o, err, 210, "Application launch failed: "
		    "Access/permission denied");
		return -1;
	}
	if (o->container != NULL && o->tool == OPT_SALLOC) {
		err_set(o, err, 1, "--container requires "
		    "LaunchParameters=use_interactive_step");
		return -1;
	}
	if (o->src[OPT_ID_BATCH] && !o->step_in_alloc &&
	    !batch_in_constraint(o)) {
		err_set(o, err, 1, "%s: Job --batch option is invalid or not a "
		    "subset of --constraints", failed);
		return -1;
	}
	return 0;
}

static void
extra_free(struct opts *o)
{
	free(o->switches);
	free(o->nodefile);
	free(o->power);
	o->switches = o->nodefile = o->power = NULL;
}

void
opt_extra_warnings(const struct opts *o, FILE *f)
{
	if (o->src[OPT_ID_CORE_SPEC])
		fprintf(f, "%s: error: Ignoring -S since it's not allowed by "
		    "configuration (AllowSpecResourcesUsage = No)\n", o->prog);
	if (o->src[OPT_ID_THREAD_SPEC])
		fprintf(f, "%s: error: Ignoring --thread-spec since it's not "
		    "allowed by configuration (AllowSpecResourcesUsage = No)\n",
		    o->prog);
	/* Slurm's sbatch parses its command line twice, and warns twice
	 * for a --power there (once for #SBATCH and SBATCH_POWER). */
	(void)power_level(o, f);
	if (o->tool == OPT_SBATCH && o->src[OPT_ID_POWER] == OPT_SRC_ARGV)
		(void)power_level(o, f);
}

/* "Key=value\n", the value's own newlines made blanks (one a line). */
static void
extra_add(struct buf *b, const char *key, const char *value)
{
	buf_printf(b, "%s=", key);
	for (const char *p = value; *p != '\0'; p++)
		buf_addc(b, *p == '\n' ? ' ' : *p);
	buf_addc(b, '\n');
}

char *
opt_extra_show(const struct opts *o)
{
	struct buf b;

	buf_init(&b);
	if (o->mcs_label != NULL)
		extra_add(&b, "MCS_label", o->mcs_label);
	if (o->src[OPT_ID_DELAY_BOOT] && o->delay_boot > 0)
		buf_printf(&b, "DelayBoot=%02u:%02u:00\n", o->delay_boot / 60,
		    o->delay_boot % 60);
	if (o->cluster_constraint != NULL)
		extra_add(&b, "ClusterFeatures", o->cluster_constraint);
	if (o->switches != NULL)
		buf_printf(&b, "Switches=%s\n", o->switches);
	if (o->bb != NULL)
		extra_add(&b, "BurstBuffer", o->bb);
	if (power_level(o, NULL))
		buf_adds(&b, "Power=LEVEL\n");
	if (o->gpus_per_socket != NULL) {
		char *t = xprintf("gres:gpu:%s", o->gpus_per_socket);

		extra_add(&b, "TresPerSocket", t);
		free(t);
	}
	if (o->src[OPT_ID_NTASKS_PER_GPU])
		buf_printf(&b, "NtasksPerTRES=%u\n", o->ntasks_per_gpu);
	/* scontrol show job's NtasksPerN:B:S:C (0 unless given) */
	if (o->src[OPT_ID_NTASKS_PER_NODE] && (int)o->ntasks_per_node > 0)
		buf_printf(&b, "NtasksPerN=%d\n", (int)o->ntasks_per_node);
	if (o->container != NULL)
		extra_add(&b, "Container", o->container);
	/* not shown: the daemon checks it against the node's features */
	if (o->prefer != NULL)
		extra_add(&b, "Prefer", o->prefer);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}
