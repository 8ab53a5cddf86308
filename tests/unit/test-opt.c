// links: cli/opt.c cli/script.c cli/gnuopt.c
/* SPDX-License-Identifier: MIT */
/*
 * The option table: its invariants (one row per option, no letter or
 * variable twice for a tool), every sbatch row accepting a sample value
 * through getopt, precedence argv > environment > #SBATCH, Slurm's rule for
 * flag variables, Slurm's error words and exit statuses, the early pass,
 * the cross-option checks, and what ends up in the job record.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/opt.h"
#include "cli/script.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "t.h"

/* A sample value for every row that takes one. */
static const struct {
	const char	*name;
	const char	*value;
} samples[] = {
	{ "account", "proj" }, { "acctg-freq", "task=30" },
	{ "array", "0-3%2" }, { "begin", "now+60" }, { "chdir", "/tmp" },
	{ "comment", "hello" }, { "constraint", "a100" },
	{ "cores-per-socket", "2" }, { "cpu-bind", "verbose,rank" },
	{ "cpu-freq", "high" },
	{ "cpus-per-gpu", "2" }, { "cpus-per-task", "2" },
	{ "deadline", "now+3600" }, { "dependency", "afterok:1" },
	{ "distribution", "block" }, { "error", "e.txt" },
	{ "exclude", "n1" }, { "exclusive", "user" }, { "export", "ALL" },
	{ "extra-node-info", "1:2:1" }, { "get-user-env", "10L" },
	{ "gpu-bind", "closest" }, { "gpu-freq", "high" }, { "gpus", "1" },
	{ "gpus-per-node", "a100:1" }, { "gpus-per-task", "1" },
	{ "gres", "gpu:1" }, { "gres-flags", "enforce-binding" },
	{ "hint", "nomultithread" }, { "input", "in.txt" },
	{ "jobid", "12" }, { "job-name", "j" }, { "kill-on-invalid-dep", "yes" },
	{ "licenses", "l" }, { "mail-type", "END,FAIL" },
	{ "mail-user", "a@b" }, { "mem", "1G" }, { "mem-bind", "local" },
	{ "mem-per-cpu", "1G" }, { "mem-per-gpu", "1G" }, { "mincpus", "2" },
	{ "mpi", "none" },
	{ "network", "x" }, { "nice", "5" }, { "no-kill", "off" },
	{ "nodelist", "vm" }, { "nodes", "1-2" }, { "ntasks", "2" },
	{ "ntasks-per-core", "1" }, { "ntasks-per-node", "1" },
	{ "ntasks-per-socket", "1" }, { "open-mode", "append" },
	{ "output", "o.txt" }, { "partition", "cpu" }, { "priority", "10" },
	{ "profile", "task" }, { "propagate", "STACK" }, { "qos", "normal" },
	{ "reservation", "r" }, { "signal", "B:USR2@90" },
	{ "sockets-per-node", "1" }, { "threads-per-core", "1" },
	{ "time", "10" }, { "time-min", "5" }, { "tmp", "100" },
	{ "wait-all-nodes", "1" }, { "wckey", "w" }, { "wrap", "true" },
	{ "batch", "vm" }, { "bb", "x" }, { "bbf", "/dev/null" },
	{ "cluster", "ref" }, { "cluster-constraint", "cc" },
	{ "clusters", "ref" }, { "container", "/tmp" }, { "context", "x" },
	{ "core-spec", "1" }, { "delay-boot", "5" },
	{ "export-file", "/dev/null" }, { "gid", "0" },
	{ "gpus-per-socket", "1" }, { "mcs-label", "m" },
	{ "nodefile", "/etc/passwd" }, { "ntasks-per-gpu", "1" },
	{ "ntasks-per-tres", "1" }, { "power", "level" }, { "prefer", "f" },
	{ "switches", "1@5" }, { "tasks-per-node", "1" },
	{ "thread-spec", "1" }, { "uid", "0" }, { "accel-bind", "g" },
	{ "bcast-exclude", "NONE" }, { "cpu_bind", "none" },
	{ "msg-timeout", "10" }, { "slurmd-debug", "1" }, { "threads", "2" },
	{ "relative", "0" }, { "wait", "5" }, { "het-group", "0" },
	{ "pack-group", "0" }, { "prolog", "/bin/true" },
	{ "epilog", "/bin/true" }, { "task-prolog", "/bin/true" },
	{ "task-epilog", "/bin/true" },
};

static const char *
sample(const char *name)
{
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
		if (strcmp(samples[i].name, name) == 0)
			return samples[i].value;
	return NULL;
}

/* Run one argv parse, capturing what getopt prints on stderr. */
static int
parse(struct opts *o, enum opt_src src, enum opt_pass pass, char **cap,
    struct opt_err *err, int *first, ...)
{
	char *argv[64], tmpl[] = "/tmp/test-opt-XXXXXX";
	va_list ap;
	int argc = 0, rc, fd, saved;
	char *s;

	argv[argc++] = (char *)(uintptr_t)"sbatch";
	va_start(ap, first);
	while ((s = va_arg(ap, char *)) != NULL && argc < 63)
		argv[argc++] = s;
	va_end(ap);
	argv[argc] = NULL;

	fflush(stderr);
	fd = mkstemp(tmpl);
	saved = dup(2);
	dup2(fd, 2);
	rc = opt_parse_argv(o, argc, argv, src, pass, first, err);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (cap != NULL) {
		*cap = read_file(tmpl, 4096, NULL);
	}
	close(fd);
	unlink(tmpl);
	return rc;
}

/* Error text of one bad value given on the command line. */
static char *
bad(const char *arg, int *status)
{
	struct opts o;
	struct opt_err err = { 0, NULL, false };
	char *text = NULL;
	int first;

	opt_init(&o, OPT_SBATCH);
	if (parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first, arg,
	    (char *)NULL) == -1 || opt_resolve(&o, &err) == -1) {
		text = err.text;
		*status = err.status;
	} else {
		text = xstrdup("accepted");
		*status = 0;
	}
	opt_free(&o);
	return text;
}

#define BAD(arg, want, wstatus) do { \
	int st_; \
	char *t_ = bad(arg, &st_); \
	is_str(t_, want, "%s: message", arg); \
	is_int(st_, wstatus, "%s: exit status", arg); \
	free(t_); \
} while (0)

static void
test_table(void)
{
	int dup_name = 0, dup_short = 0, dup_env = 0, misplaced = 0;
	int nohelp = 0, nosample = 0, not_s = 0;

	for (size_t i = 0; i < OPT_NIDS; i++) {
		const struct opt_def *d = &opt_table[i];

		if ((size_t)d->id != i || d->name == NULL)
			misplaced++;
		if (d->help == NULL)
			nohelp++;
		if (d->has_arg == required_argument && sample(d->name) == NULL)
			nosample++;
		for (int t = 0; t < 3; t++)
			if (d->env[t] != NULL && d->env[t][0] != 'S')
				not_s++;
		for (size_t k = i + 1; k < OPT_NIDS; k++) {
			const struct opt_def *e = &opt_table[k];

			/* sbatch's --wait and srun's --wait=sec differ */
			if (strcmp(d->name, e->name) == 0 &&
			    (d->tools & e->tools))
				dup_name++;
			if (d->shortc != 0 && d->shortc == e->shortc &&
			    (d->tools & e->tools))
				dup_short++;
			for (int t = 0; t < 3; t++)
				if (d->env[t] != NULL && e->env[t] != NULL &&
				    strcmp(d->env[t], e->env[t]) == 0)
					dup_env++;
		}
	}
	is_int(misplaced, 0, "opt_table[i].id == i for every row");
	is_int(dup_name, 0, "no long name twice");
	is_int(not_s, 0, "every input variable starts with 'S' "
	    "(opt_apply_env() skips the others)");
	is_int(dup_short, 0, "no short letter twice for a tool");
	is_int(dup_env, 0, "no input variable twice");
	is_int(nohelp, 0, "every row has help text");
	is_int(nosample, 0, "every row taking a value has a test sample");
}

/* Every sbatch row goes through getopt with a sample value. */
static void
test_every_row(void)
{
	for (size_t i = 0; i < OPT_NIDS; i++) {
		const struct opt_def *d = &opt_table[i];
		struct opts o;
		struct opt_err err = { 0, NULL, false };
		char *arg, *cap = NULL;
		const char *v = sample(d->name);
		int first, rc;
		enum opt_pass pass = d->early ? OPT_PASS_EARLY : OPT_PASS_MAIN;

		if (!(d->tools & OPT_SBATCH))
			continue;
		/* root only (Slurm's "--uid only permitted by root user") */
		if ((d->id == OPT_ID_UID || d->id == OPT_ID_GID) &&
		    getuid() != 0)
			continue;
		opt_init(&o, OPT_SBATCH);
		if (d->has_arg == no_argument || v == NULL)
			arg = xprintf("--%s", d->name);
		else
			arg = xprintf("--%s=%s", d->name, v);
		rc = parse(&o, OPT_SRC_ARGV, pass, &cap, &err, &first, arg,
		    "job.sh", (char *)NULL);
		ok(rc == 0 && first == 2 &&
		    o.src[opt_canonical(d)->id] == OPT_SRC_ARGV &&
		    cap != NULL && cap[0] == '\0', "%s is accepted", arg);
		if (err.text != NULL)
			printf("# %s", err.text);
		if (d->shortc != 0) {
			char sh[3] = { '-', (char)d->shortc, '\0' };

			opt_free(&o);
			opt_init(&o, OPT_SBATCH);
			if (d->has_arg == required_argument)
				rc = parse(&o, OPT_SRC_ARGV, pass, NULL, &err,
				    &first, sh, v, "job.sh", (char *)NULL);
			else
				rc = parse(&o, OPT_SRC_ARGV, pass, NULL, &err,
				    &first, sh, "job.sh", (char *)NULL);
			ok(rc == 0 && o.src[opt_canonical(d)->id] ==
			    OPT_SRC_ARGV, "-%c is --%s", d->shortc, d->name);
		}
		free(cap);
		free(arg);
		opt_err_free(&err);
		opt_free(&o);
	}
}

static void
test_values(void)
{
	struct opts o;
	struct opt_err err = { 0, NULL, false };
	int first;

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "-J", "named", "-c", "2", "-n", "3", "-N", "1-2", "--mem=500M",
	    "-t", "1:30:00", "--time-min=5", "-p", "debug", "-o", "none",
	    "-e", "err.txt", "--open-mode=append", "--nice", "--hold",
	    "--signal=USR2@90", "--exclusive", "--no-requeue",
	    "--export=ALL,FOO=bar", "job.sh", "arg1", (char *)NULL);
	is_int(first, 26, "script index after options");
	is_str(o.job_name, "named", "-J");
	is_int(o.cpus_per_task, 2, "-c");
	is_int(o.ntasks, 3, "-n");
	is_int(o.min_nodes, 1, "-N min");
	is_int(o.max_nodes, 2, "-N max");
	is_int(o.mem_mb, 500, "--mem");
	is_int(o.time_limit, 90, "-t");
	is_int(o.time_min, 5, "--time-min");
	is_str(o.partition, "debug", "-p");
	is_str(o.output, "/dev/null", "-o none is /dev/null");
	is_str(o.error, "err.txt", "-e");
	is_int(o.open_mode, 'a', "--open-mode=append");
	is_int(o.nice, 100, "--nice without a value is 100");
	ok(o.hold, "--hold");
	is_int(o.warn_signal, 12, "--signal USR2");
	is_int(o.warn_time, 90, "--signal @90");
	is_int(o.exclusive, 1, "--exclusive");
	is_int(o.requeue, 0, "--no-requeue");
	is_str(o.export_env, "ALL,FOO=bar", "--export stored");
	opt_free(&o);

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first, "-t", "0",
	    "--signal=SIGTERM", "--nice=-5", "--exclusive=oversubscribe",
	    "--requeue", "-N", "2", "--", "script", (char *)NULL);
	is_int(o.time_limit, 0xffffffffu, "-t 0 is no limit");
	is_int(o.warn_signal, 15, "--signal=SIGTERM");
	is_int(o.warn_time, 60, "--signal time defaults to 60");
	is_int(o.nice, -5, "--nice=-5");
	is_int(o.exclusive, 0, "--exclusive=oversubscribe");
	is_int(o.requeue, 1, "--requeue");
	is_int(o.min_nodes, 2, "-N 2 min");
	is_int(o.max_nodes, 2, "-N 2 max");
	is_int(first, 10, "-- ends the options");
	opt_free(&o);
}

static void
test_errors(void)
{
	char *cap = NULL;
	struct opts o;
	struct opt_err err = { 0, NULL, false };
	int first, rc;

	/* 02_sbatch_errors */
	BAD("--mem=abc", "sbatch: error: Invalid --mem specification\n", 255);
	BAD("-c0", "sbatch: error: Invalid numeric value \"0\" for "
	    "--cpus-per-task.\n", 1);
	BAD("--time=garbage", "sbatch: error: Invalid --time specification\n",
	    255);
	BAD("--begin=garbage", "Invalid time specification (pos=0): garbage\n"
	    "sbatch: error: Invalid --begin specification\n", 255);
	BAD("--gres=foo:1", "sbatch: error: Invalid generic resource (gres) "
	    "specification\n", 1);
	BAD("-t0", "accepted", 0);
	BAD("-c999", "accepted", 0);
	BAD("--array=abc", "accepted", 0);
	BAD("--dependency=garbage:1", "accepted", 0);
	BAD("--gpus=5", "accepted", 0);
	/* more of Slurm's words */
	BAD("-n0", "sbatch: error: Invalid numeric value \"0\" for "
	    "--ntasks.\n", 1);
	BAD("--ntasks=x", "sbatch: error: Invalid numeric value \"x\" for "
	    "--ntasks.\n", 1);
	/* Slurm 22.05's parse_int: only LONG_MAX is too big, the rest is
	 * cast to int (checked on 22.05.8). */
	BAD("-c99999999999999999999", "sbatch: error: Numeric argument "
	    "(9223372036854775807) to big for --cpus-per-task.\n", 1);
	BAD("-c9223372036854775807", "sbatch: error: Numeric argument "
	    "(9223372036854775807) to big for --cpus-per-task.\n", 1);
	BAD("-c4294967297", "accepted", 0);
	BAD("-n4294967297", "accepted", 0);
	BAD("-n4294967296", "accepted", 0);	/* 0: slurmctld refuses */
	BAD("-c4294967296", "sbatch: error: invalid number of cpus per task "
	    "(-c 0)\n", 1);
	BAD("-n2147483648", "sbatch: error: invalid number of tasks "
	    "(-n -2147483648)\n", 1);
	BAD("--ntasks-per-node=2147483648", "accepted", 0);
	BAD("--mem-per-cpu=1X", "sbatch: error: Invalid --mem-per-cpu "
	    "specification\n", 255);
	BAD("--time-min=x", "sbatch: error: Invalid --time-min "
	    "specification\n", 255);
	BAD("--deadline=x", "Invalid time specification (pos=0): x\n"
	    "sbatch: error: Invalid --deadline specification\n", 255);
	BAD("--begin=", "sbatch: error: Invalid --begin specification\n", 255);
	BAD("-Nx", "sbatch: error: \"x\" is not a valid node count\n", 255);
	BAD("-N3-2", "sbatch: error: Maximum node count 2 is less than "
	    "minimum node count 3\n", 255);
	BAD("-N1-x", "sbatch: error: \"x\" is not a valid node count\n", 255);
	BAD("--open-mode=x", "sbatch: error: Invalid --open-mode "
	    "specification\n", 255);
	BAD("--signal=FOO", "sbatch: error: Invalid --signal "
	    "specification\n", 255);
	BAD("--signal=USR1@x", "sbatch: error: Invalid --signal "
	    "specification\n", 255);
	BAD("--exclusive=foo", "sbatch: error: Invalid --exclusive "
	    "specification\n", 255);
	BAD("--kill-on-invalid-dep=maybe", "sbatch: error: Invalid "
	    "--kill-on-invalid-dep specification\n", 255);
	BAD("--mail-type=SOMETIMES", "sbatch: error: Invalid --mail-type "
	    "specification\n", 255);
	BAD("--nice=9999999999", "sbatch: error: Invalid --nice value, out of "
	    "range (+/- 2147483645)\n", 255);
	BAD("--priority=-1", "sbatch: error: Priority must be >= 0\n", 255);
	BAD("--get-user-env=10X", "sbatch: error: Invalid --get-user-env "
	    "specification\n", 255);
	BAD("--gres=gpu:a:b:1", "sbatch: error: Invalid generic resource "
	    "(gres) specification\n", 1);
	BAD("--gres=gpu:2,", "sbatch: error: Invalid generic resource "
	    "(gres) specification\n", 1);
	BAD("--gpus=x", "sbatch: error: Invalid generic resource (gres) "
	    "specification\n", 1);
	BAD("--gpus-per-node=a:b:1", "sbatch: error: Invalid generic "
	    "resource (gres) specification\n", 1);
	/* a type in one item only: Slurm 22.05.8 refuses it */
	BAD("--gres=gpu:tesla:2,gpu:1", "sbatch: error: Invalid GRES "
	    "specification (with and without type identification)\n", 1);
	BAD("--gres=none", "accepted", 0);

	/* getopt's own lines, then Slurm's hint */
	opt_init(&o, OPT_SBATCH);
	rc = parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, &cap, &err, &first,
	    "--nosuchoption", "--wrap=true", (char *)NULL);
	is_int(rc, -1, "unknown option fails");
	is_int(err.status, 255, "unknown option: exit 255");
	is_str(cap, "sbatch: unrecognized option '--nosuchoption'\n",
	    "getopt's line names sbatch");
	is_str(err.text, "Try \"sbatch --help\" for more information\n",
	    "then Slurm's hint");
	free(cap);
	opt_err_free(&err);
	opt_free(&o);

	opt_init(&o, OPT_SBATCH);
	rc = parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, &cap, &err, &first,
	    "-J", (char *)NULL);
	is_str(cap, "sbatch: option requires an argument -- 'J'\n",
	    "missing argument");
	free(cap);
	opt_err_free(&err);
	opt_free(&o);

	opt_init(&o, OPT_SBATCH);
	rc = parse(&o, OPT_SRC_ARGV, OPT_PASS_EARLY, &cap, &err, &first,
	    "--nosuchoption", "--wrap=true", (char *)NULL);
	ok(rc == 1 && cap[0] == '\0' && o.wrap != NULL,
	    "the early pass is silent, says 1, and still finds --wrap");
	free(cap);
	opt_free(&o);

	/* #SBATCH arguments that are not options */
	opt_init(&o, OPT_SBATCH);
	rc = parse(&o, OPT_SRC_SCRIPT, OPT_PASS_MAIN, NULL, &err, &first,
	    "--nice", "0", (char *)NULL);
	is_str(err.text, "sbatch: error: Invalid directive found in batch "
	    "script: 0\n", "#SBATCH --nice 0: stray argument");
	is_int(err.status, 255, "invalid directive: exit 255");
	opt_err_free(&err);
	opt_free(&o);
}

static void
test_precedence(void)
{
	struct opts o;
	struct opt_err err = { 0, NULL, false };
	int first;

	unsetenv("SBATCH_JOB_NAME");
	unsetenv("SBATCH_TIMELIMIT");
	unsetenv("SBATCH_PARTITION");

	/* script only */
	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_SCRIPT, OPT_PASS_MAIN, NULL, &err, &first,
	    "-J", "script", "-t", "5", "-p", "cpu", (char *)NULL);
	opt_apply_env(&o, &err);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "job.sh", (char *)NULL);
	is_str(o.job_name, "script", "#SBATCH alone");
	is_int(o.src[OPT_ID_JOB_NAME], OPT_SRC_SCRIPT, "source is script");
	opt_free(&o);

	/* environment beats script */
	setenv("SBATCH_JOB_NAME", "env", 1);
	setenv("SBATCH_TIMELIMIT", "7", 1);
	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_SCRIPT, OPT_PASS_MAIN, NULL, &err, &first,
	    "-J", "script", "-t", "5", "-p", "cpu", (char *)NULL);
	opt_apply_env(&o, &err);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "job.sh", (char *)NULL);
	is_str(o.job_name, "env", "SBATCH_JOB_NAME over #SBATCH");
	is_int(o.time_limit, 7, "SBATCH_TIMELIMIT over #SBATCH");
	is_str(o.partition, "cpu", "untouched #SBATCH value kept");
	opt_free(&o);

	/* Two entries of one name (execve allows it): the first counts, as
	 * with getenv(); an unrelated variable changes nothing. */
	{
		extern char **environ;
		char **saved = environ;
		char *env2[] = { (char *)(uintptr_t)"HOME=/x",
		    (char *)(uintptr_t)"SBATCH_JOB_NAME=first",
		    (char *)(uintptr_t)"SBATCH_JOB_NAMEX=no",
		    (char *)(uintptr_t)"SBATCH_JOB_NAME=second",
		    (char *)(uintptr_t)"S", NULL };

		environ = env2;
		opt_init(&o, OPT_SBATCH);
		is_int(opt_apply_env(&o, &err), 0, "apply env, duplicates");
		environ = saved;
		is_str(o.job_name, "first", "first of two SBATCH_JOB_NAME");
		ok(o.time_limit == NO_VAL, "SBATCH_TIMELIMIT not in it");
		opt_free(&o);
	}

	/* command line beats both */
	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_SCRIPT, OPT_PASS_MAIN, NULL, &err, &first,
	    "-J", "script", "-t", "5", (char *)NULL);
	opt_apply_env(&o, &err);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "--job-name=cli", "job.sh", (char *)NULL);
	is_str(o.job_name, "cli", "-J over SBATCH_JOB_NAME and #SBATCH");
	is_int(o.time_limit, 7, "env still over script for -t");
	opt_free(&o);

	/* lower precedence after higher is ignored (any order of calls) */
	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "-J", "cli", (char *)NULL);
	opt_apply_env(&o, &err);
	parse(&o, OPT_SRC_SCRIPT, OPT_PASS_MAIN, NULL, &err, &first,
	    "-J", "script", (char *)NULL);
	is_str(o.job_name, "cli", "argv wins whatever the order of calls");
	opt_free(&o);
	unsetenv("SBATCH_JOB_NAME");
	unsetenv("SBATCH_TIMELIMIT");

	/* within one source the last one wins */
	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "-J", "a", "-J", "b", "--requeue", "--no-requeue", (char *)NULL);
	is_str(o.job_name, "b", "-J a -J b");
	is_int(o.requeue, 0, "--requeue --no-requeue");
	opt_free(&o);

	/* flags from the environment: "", yes, non-zero number set */
	static const struct {
		const char	*v;
		bool		 set;
	} fl[] = { { "", true }, { "yes", true }, { "YES", true },
	    { "1", true }, { "7", true }, { "0", false }, { "no", false },
	    { "true", false } };
	for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++) {
		setenv("SBATCH_WAIT", fl[i].v, 1);
		opt_init(&o, OPT_SBATCH);
		opt_apply_env(&o, &err);
		is_int(o.wait, fl[i].set, "SBATCH_WAIT='%s'", fl[i].v);
		opt_free(&o);
	}
	/* SBATCH_WAIT=0 undoes #SBATCH -W (Slurm's reset) */
	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_SCRIPT, OPT_PASS_MAIN, NULL, &err, &first, "-W",
	    (char *)NULL);
	opt_apply_env(&o, &err);
	ok(!o.wait && o.src[OPT_ID_WAIT] == OPT_SRC_NONE,
	    "SBATCH_WAIT=0 resets #SBATCH -W");
	opt_free(&o);
	unsetenv("SBATCH_WAIT");

	/* other variables */
	setenv("SBATCH_DEBUG", "3", 1);
	setenv("SBATCH_MEM_PER_NODE", "2G", 1);
	setenv("SBATCH_EXCLUSIVE", "", 1);
	setenv("SBATCH_PARTITION", "", 1);
	setenv("SBATCH_NO_REQUEUE", "1", 1);
	opt_init(&o, OPT_SBATCH);
	ok(opt_apply_env(&o, &err) == 0, "variables apply");
	is_int(o.verbose, 3, "SBATCH_DEBUG is the verbosity");
	is_int(o.mem_mb, 2048, "SBATCH_MEM_PER_NODE is --mem");
	is_int(o.exclusive, 1, "SBATCH_EXCLUSIVE='' is --exclusive");
	is_int(o.src[OPT_ID_PARTITION], OPT_SRC_NONE,
	    "empty SBATCH_PARTITION ignored");
	is_int(o.requeue, 0, "SBATCH_NO_REQUEUE=1");
	opt_free(&o);
	setenv("SBATCH_TIMELIMIT", "garbage", 1);
	opt_init(&o, OPT_SBATCH);
	ok(opt_apply_env(&o, &err) == -1 && err.status == 255 &&
	    strcmp(err.text, "sbatch: error: Invalid --time specification\n")
	    == 0, "a bad variable is an option error");
	opt_err_free(&err);
	opt_free(&o);
	unsetenv("SBATCH_TIMELIMIT");
	unsetenv("SBATCH_DEBUG");
	unsetenv("SBATCH_MEM_PER_NODE");
	unsetenv("SBATCH_EXCLUSIVE");
	unsetenv("SBATCH_PARTITION");
	unsetenv("SBATCH_NO_REQUEUE");
}

static void
test_passes(void)
{
	struct opts o;
	struct opt_err err = { 0, NULL, false };
	int first;

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_EARLY, NULL, &err, &first,
	    "-J", "x", "--mem=abc", "-v", "-v", "-Q", "--wrap", "echo hi",
	    (char *)NULL);
	is_int(first, 9, "early pass walks the whole command line");
	is_str(o.wrap, "echo hi", "early pass takes --wrap");
	is_int(o.verbose, 2, "early pass counts -v");
	is_int(o.quiet, 1, "early pass takes -Q");
	is_int(o.src[OPT_ID_JOB_NAME], OPT_SRC_NONE,
	    "early pass leaves -J for later");
	is_int(o.action, OPT_ACT_NONE, "no action");
	opt_free(&o);

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_EARLY, NULL, &err, &first,
	    "--mem=abc", "--version", "--help", (char *)NULL);
	is_int(o.action, OPT_ACT_VERSION, "first of --version/--help wins");
	opt_free(&o);

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_SCRIPT, OPT_PASS_MAIN, NULL, &err, &first,
	    "--wrap=foo", "--help", "-J", "s", (char *)NULL);
	ok(o.wrap == NULL && o.action == OPT_ACT_NONE &&
	    o.src[OPT_ID_JOB_NAME] == OPT_SRC_SCRIPT,
	    "#SBATCH --wrap and --help are ignored, as in Slurm");
	opt_free(&o);
}

static void
test_resolve_and_fill(void)
{
	struct opts o;
	struct opt_err err = { 0, NULL, false };
	struct job j;
	int first;

	/* the memory options */
	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_SCRIPT, OPT_PASS_MAIN, NULL, &err, &first,
	    "--mem=4G", (char *)NULL);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "--mem-per-cpu=100", (char *)NULL);
	ok(opt_resolve(&o, &err) == 0, "--mem in script, --mem-per-cpu given");
	job_init(&j);
	opt_fill_job(&o, &j);
	is_int(j.mem_mb, 100, "the command line's --mem-per-cpu wins");
	is_int(j.flags & (JOB_F_MEM_SET | JOB_F_MEM_PER_CPU),
	    JOB_F_MEM_SET | JOB_F_MEM_PER_CPU, "per-CPU memory flags");
	job_free(&j);
	opt_free(&o);

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "--mem=4G", "--mem-per-cpu=100", (char *)NULL);
	ok(opt_resolve(&o, &err) == -1 && err.status == 1 &&
	    strcmp(err.text, "sbatch: fatal: --mem, --mem-per-cpu, and "
	    "--mem-per-gpu are mutually exclusive.\n") == 0,
	    "two memory options on the command line are fatal");
	opt_err_free(&err);
	opt_free(&o);

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "--exclusive", "-s", (char *)NULL);
	ok(opt_resolve(&o, &err) == 0 && o.exclusive == 0,
	    "--exclusive then --oversubscribe: the last wins (Slurm 22.05)");
	opt_err_free(&err);
	opt_free(&o);

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "-s", "--exclusive", (char *)NULL);
	ok(opt_resolve(&o, &err) == 0 && o.exclusive == 1,
	    "--oversubscribe then --exclusive: the last wins");
	opt_err_free(&err);
	opt_free(&o);

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "--gpus=1", "--gres=gpu:2", (char *)NULL);
	ok(opt_resolve(&o, &err) == -1 && err.late && strcmp(err.text,
	    "sbatch: error: Failed to ensure --gpus >= --gres=gpu/"
	    "--gpus-per-node >= --gpus-per-socket\nsbatch: error: Invalid "
	    "generic resource (gres) specification\n") == 0,
	    "--gpus below --gres=gpu:N: slurmctld's two lines, late");
	opt_err_free(&err);
	opt_free(&o);

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "--gpus-per-task=1", (char *)NULL);
	ok(opt_resolve(&o, &err) == -1 && err.late && err.status == 1,
	    "--gpus-per-task alone: an error Slurm prints after -v's table");
	opt_err_free(&err);
	opt_free(&o);

	/* defaults: what the daemon fills in stays unset */
	opt_init(&o, OPT_SBATCH);
	opt_resolve(&o, &err);
	job_init(&j);
	opt_fill_job(&o, &j);
	ok(j.ntasks == 1 && j.cpus_per_task == 1 && j.ncpus == 1 &&
	    j.min_nodes == 1 && j.max_nodes == 1, "default one task, one cpu");
	is_int(j.mem_mb, 0, "no memory: the daemon applies DefMemPerCPU");
	is_int(j.time_limit, NO_VAL, "no -t: the partition's default");
	is_int(j.flags, JOB_F_REQUEUE, "only Requeue=1 by default");
	ok(j.partition == NULL && j.gres == NULL && j.gpus == 0,
	    "no partition, no GPUs");
	job_free(&j);
	opt_free(&o);

	/* a full request */
	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "-n", "3", "-c", "2", "-N", "1", "--mem=1G", "-t", "60",
	    "--time-min=10", "-p", "debug", "-A", "acct", "--qos=q",
	    "--comment=c", "--wckey=w", "-d", "afterok:1", "-C", "a100",
	    "-w", "vm", "-x", "n2", "--hold", "--exclusive",
	    "--open-mode=a", "--no-requeue", "--nice=5", "--priority=7",
	    "--gpus-per-node=2", "--begin=uts1800000000", (char *)NULL);
	ok(opt_resolve(&o, &err) == 0, "full request resolves");
	job_init(&j);
	opt_fill_job(&o, &j);
	ok(j.ntasks == 3 && j.cpus_per_task == 2 && j.ncpus == 6,
	    "ncpus = ntasks * cpus_per_task");
	is_int(j.mem_mb, 1024, "--mem per node");
	is_int(j.time_limit, 60, "time limit");
	is_int(j.time_min, 10, "time min");
	is_int(j.gpus, 2, "GPUs");
	is_str(j.gres, "gpu:2", "--gpus-per-node is TresPerNode gpu:2");
	is_int(j.begin_time, 1800000000, "begin");
	is_int(j.nice, 5, "nice");
	is_int(j.priority, 7, "priority");
	is_int(j.flags, JOB_F_NTASKS_SET | JOB_F_CPT_SET | JOB_F_NODES_SET |
	    JOB_F_MEM_SET | JOB_F_HOLD_USER | JOB_F_EXCLUSIVE |
	    JOB_F_OPEN_APPEND | JOB_F_GPUS_SET | JOB_F_REQUEUE_SET, "flags");
	ok(strcmp(j.partition, "debug") == 0 && strcmp(j.account, "acct") == 0
	    && strcmp(j.qos, "q") == 0 && strcmp(j.comment, "c") == 0 &&
	    strcmp(j.wckey, "w") == 0 && strcmp(j.dependency, "afterok:1") == 0
	    && strcmp(j.features, "a100") == 0 &&
	    strcmp(j.req_nodes, "vm") == 0 && strcmp(j.exc_nodes, "n2") == 0,
	    "strings copied");
	job_free(&j);
	opt_free(&o);

	/* --gpus is per job: no TresPerNode string */
	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "--gpus=1", (char *)NULL);
	ok(opt_resolve(&o, &err) == 0, "--gpus resolves");
	job_init(&j);
	opt_fill_job(&o, &j);
	ok(j.gpus == 1 && j.gres == NULL && (j.flags & JOB_F_GPUS_SET),
	    "--gpus=1: one GPU, gres NULL, GPUS_SET");
	job_free(&j);
	opt_free(&o);

	/* GPU derived values */
	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first,
	    "--gres=gpu:a100:1,gpu:a100:1", "--cpus-per-gpu=3",
	    "--mem-per-gpu=2G", "--ntasks-per-node=2", (char *)NULL);
	ok(opt_resolve(&o, &err) == 0, "gres list resolves");
	job_init(&j);
	opt_fill_job(&o, &j);
	is_int(j.gpus, 2, "gres list counts GPUs");
	is_str(j.gres, "gpu:a100:1,gpu:a100:1", "gres kept as given");
	is_int(j.ntasks, 2, "--ntasks-per-node on one node");
	is_int(j.cpus_per_task, 3, "--cpus-per-gpu spreads over tasks");
	is_int(j.mem_mb, 4096, "--mem-per-gpu times the GPUs");
	job_free(&j);
	opt_free(&o);
}

static void
test_help(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int missing = 0;

	opt_help(f, OPT_SBATCH, "sbatch");
	fclose(f);
	for (size_t i = 0; i < OPT_NIDS; i++) {
		char *needle;

		if (!(opt_table[i].tools & OPT_SBATCH))
			continue;
		needle = xprintf("--%s", opt_table[i].name);
		if (strstr(text, needle) == NULL) {
			printf("# --help lacks %s\n", needle);
			missing++;
		}
		free(needle);
	}
	is_int(missing, 0, "--help lists every sbatch option");
	ok(strstr(text, "  -J, --job-name=jobname      name of job\n") != NULL,
	    "--help line format");
	ok(strstr(text, "SBATCH_TIMELIMIT") != NULL, "--help lists variables");
	free(text);

	f = open_memstream(&text, &len);
	opt_usage(f, OPT_SBATCH, "sbatch");
	fclose(f);
	ok(strncmp(text, "Usage: sbatch [-A name]", 23) == 0 &&
	    strstr(text, "executable [args...]") != NULL, "--usage");
	free(text);
}

/*
 * srun and salloc: their own rows, their input variables (SLURM_*,
 * SALLOC_*) under the command line, and rows they do not have.
 */
static void
test_srun_salloc(void)
{
	struct opts o;
	struct opt_err err = { 0, NULL, false };
	char *cap = NULL;
	int first, rc;

	opt_init(&o, OPT_SRUN);
	setenv("SLURM_NTASKS", "4", 1);
	setenv("SLURM_LABELIO", "1", 1);
	setenv("SRUN_CPUS_PER_TASK", "2", 1);
	setenv("SLURM_CPUS_PER_TASK", "3", 1);
	rc = opt_apply_env(&o, &err);
	ok(rc == 0 && o.ntasks == 4 && o.src[OPT_ID_NTASKS] == OPT_SRC_ENV,
	    "srun reads SLURM_NTASKS as -n");
	ok(o.label, "SLURM_LABELIO=1 sets --label");
	is_int((int)o.cpus_per_task, 2,
	    "srun reads SRUN_CPUS_PER_TASK, not SLURM_CPUS_PER_TASK");
	rc = parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, &cap, &err, &first, "-n",
	    "2", "-u", "--cpu-bind=q,map_cpu:0,1", "--overlap", "--exact",
	    "-K", "-X", "--pty", "-I5", "hostname", (char *)NULL);
	ok(rc == 0 && first == 11, "srun's own options parse");
	ok(o.ntasks == 2 && o.src[OPT_ID_NTASKS] == OPT_SRC_ARGV,
	    "-n on the command line beats SLURM_NTASKS");
	ok(o.unbuffered && o.overlap && o.exact && o.kill_on_bad_exit &&
	    o.disable_status && o.pty && o.immediate == 5,
	    "-u --overlap --exact -K -X --pty -I5");
	is_str(o.cpu_bind, "q,map_cpu:0,1", "--cpu-bind keeps its list");
	free(cap);
	opt_err_free(&err);
	rc = parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, &cap, &err, &first,
	    "--cpu-bind=sideways", "true", (char *)NULL);
	ok(rc == -1 && err.status == 1 && err.text != NULL &&
	    strcmp(err.text, "srun: error: Invalid --cpu-bind argument: "
	    "sideways\n") == 0, "a bad --cpu-bind: Slurm's error, exit 1");
	free(cap);
	opt_err_free(&err);
	rc = parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, &cap, &err, &first,
	    "--wrap=true", (char *)NULL);
	ok(rc == -1 && err.status == 255, "srun has no --wrap");
	free(cap);
	opt_err_free(&err);
	opt_free(&o);
	unsetenv("SLURM_NTASKS");
	unsetenv("SLURM_LABELIO");
	unsetenv("SRUN_CPUS_PER_TASK");
	unsetenv("SLURM_CPUS_PER_TASK");

	opt_init(&o, OPT_SALLOC);
	setenv("SALLOC_PARTITION", "debug", 1);
	setenv("SLURM_PARTITION", "cpu", 1);
	rc = opt_apply_env(&o, &err);
	ok(rc == 0 && o.partition != NULL &&
	    strcmp(o.partition, "debug") == 0,
	    "salloc reads SALLOC_PARTITION, not SLURM_PARTITION");
	rc = parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, &cap, &err, &first,
	    "--no-shell", "-I", (char *)NULL);
	ok(rc == 0 && o.no_shell && o.immediate == 0, "--no-shell -I");
	free(cap);
	opt_err_free(&err);
	rc = parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, &cap, &err, &first,
	    "--label", "true", (char *)NULL);
	ok(rc == -1 && err.status == 255, "salloc has no --label");
	free(cap);
	opt_err_free(&err);
	opt_free(&o);
	unsetenv("SALLOC_PARTITION");
	unsetenv("SLURM_PARTITION");
}

/* One request's TresPerNode/Job/Task strings (NULL: none) and count. */
static void
tres_case(const char *a1, const char *a2, const char *a3, const char *node,
    const char *job, const char *task, uint32_t gpus)
{
	struct opt_err err = { 0, NULL, false };
	struct opts o;
	struct job j;
	int first;

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first, a1, a2, a3,
	    (char *)NULL);
	ok(opt_resolve(&o, &err) == 0, "%s %s %s resolves", a1, a2 ? a2 : "",
	    a3 ? a3 : "");
	job_init(&j);
	opt_fill_job(&o, &j);
	is_str(j.gres, node, "%s %s: TresPerNode", a1, a2 ? a2 : "");
	is_str(j.tres_per_job, job, "%s %s: TresPerJob", a1, a2 ? a2 : "");
	is_str(j.tres_per_task, task, "%s %s: TresPerTask", a1,
	    a2 ? a2 : "");
	is_int(j.gpus, gpus, "%s %s: GPUs", a1, a2 ? a2 : "");
	job_free(&j);
	opt_free(&o);
}

/* One request refused for naming a GPU type in one place only. */
static void
mixed_case(const char *a1, const char *a2)
{
	struct opt_err err = { 0, NULL, false };
	struct opts o;
	int first;

	opt_init(&o, OPT_SBATCH);
	parse(&o, OPT_SRC_ARGV, OPT_PASS_MAIN, NULL, &err, &first, a1, a2,
	    "-n2", (char *)NULL);
	ok(opt_resolve(&o, &err) == -1 && err.status == 1 && err.text !=
	    NULL && strcmp(err.text, "sbatch: error: Invalid GRES "
	    "specification (with and without type identification)\n") == 0,
	    "%s %s: with and without type", a1, a2);
	free(err.text);
	opt_free(&o);
}

/* The GPU request fields (checked on Slurm 22.05.8's scontrol show job). */
static void
test_tres_per(void)
{
	tres_case("--gpus=tesla:2", NULL, NULL, NULL, "gpu:tesla:2", NULL, 2);
	tres_case("--gpus-per-task=1", "-n2", NULL, NULL, NULL, "gpu:1", 2);
	tres_case("-G2", "--gpus-per-task=1", "-n2", NULL, "gpu:2", "gpu:1",
	    2);
	tres_case("--gpus-per-node=tesla:1", NULL, NULL, "gpu:tesla:1", NULL,
	    NULL, 1);
	tres_case("--gres=gpu", NULL, NULL, "gpu", NULL, NULL, 1);
	tres_case("--gres=none", NULL, NULL, NULL, NULL, NULL, 0);
	/* --gpus-per-node first, then --gres; the larger count */
	tres_case("--gres=gpu:1", "--gpus-per-node=2", NULL, "gpu:2,gpu:1",
	    NULL, NULL, 2);
	tres_case("--gpus-per-node=1", "--gres=gpu:2", NULL, "gpu:1,gpu:2",
	    NULL, NULL, 2);
	tres_case("--gpus=1", "--gpus-per-node=1", "--gres=gpu:1",
	    "gpu:1,gpu:1", "gpu:1", NULL, 1);
	mixed_case("-Gtesla:2", "--gpus-per-task=1");
	mixed_case("--gres=gpu:1", "--gpus=tesla:1");
	mixed_case("--gres=gpu", "--gpus=tesla:1");
	mixed_case("--gres=gpu:tesla:1,gpu:1", "--gpus-per-node=tesla:1");
	mixed_case("--gpus-per-node=tesla:1", "--gpus-per-task=1");
}

int
main(void)
{
	test_table();
	test_every_row();
	test_values();
	test_errors();
	test_precedence();
	test_passes();
	test_resolve_and_fill();
	test_help();
	test_srun_salloc();
	test_tres_per();
	return done_testing();
}
