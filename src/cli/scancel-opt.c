/* SPDX-License-Identifier: MIT */
/*
 * scancel's signal names, job id arguments and result reporting, copied
 * from Slurm 22.05 (src/common/proc_args.c sig_name2num, src/scancel/
 * opt.c _xlate_job_step_ids, src/scancel/scancel.c _verify_job_ids and
 * _cancel_job_id).
 *
 * Reporting, as Slurm does it: with job ids only, an unknown or finished
 * job is silent (shown with -v) and scancel still exits 0, because a plain
 * cancel of a finished job is not an error ("scancel 999999" exits 0).
 * With a filter, --signal or --batch, Slurm checks the ids against the job
 * list first: "Kill job error on job id N: Invalid job id specified" (not
 * with -Q) and exit status 1.  Any other error ("Access/permission
 * denied") is always printed and the exit status is Slurm's errno number,
 * which the shell sees truncated to 8 bits (2002 -> 210).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/arrayspec.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "../proto/job.h"
#include "scancel.h"

static const struct {
	const char	*name;
	int		 sig;
} sig_names[] = {
	{ "HUP", SIGHUP },
	{ "INT", SIGINT },
	{ "QUIT", SIGQUIT },
	{ "ABRT", SIGABRT },
	{ "KILL", SIGKILL },
	{ "ALRM", SIGALRM },
	{ "TERM", SIGTERM },
	{ "USR1", SIGUSR1 },
	{ "USR2", SIGUSR2 },
	{ "URG", SIGURG },
	{ "CONT", SIGCONT },
	{ "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP },
	{ "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU },
	{ "XCPU", SIGXCPU },
};

static bool	 all_space(const char *);

static bool
all_space(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

int
scancel_sig_parse(const char *s)
{
	const char *p = s;
	char *end;
	long n;
	size_t len;

	n = strtol(s, &end, 10);
	if (end != s) {
		if (!all_space(end) || n <= 0 || n >= 65)
			return 0;
		return (int)n;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "SIG", 3) == 0)
		p += 3;
	for (size_t i = 0; i < sizeof sig_names / sizeof sig_names[0]; i++) {
		len = strlen(sig_names[i].name);
		if (strncasecmp(p, sig_names[i].name, len) == 0 &&
		    all_space(p + len))
			return sig_names[i].sig;
	}
	return 0;
}

/* "3" or "[1-3,5]" after "12_": the canonical set, or NULL. */
static char *
task_set(const char *p, char **end)
{
	struct arrayspec a;
	const char *close;
	char *in, *s;
	size_t len;

	if (*p == '[') {
		if ((close = strchr(p, ']')) == NULL)
			return NULL;
		in = xstrndup(p + 1, (size_t)(close - p - 1));
		*end = (char *)(uintptr_t)(close + 1);
	} else {
		len = strspn(p, "0123456789");
		in = xstrndup(p, len);
		*end = (char *)(uintptr_t)(p + len);
	}
	s = NULL;
	if (arrayspec_parse(in, UINT32_MAX, &a, NULL, NULL) == 0) {
		s = arrayspec_format(&a);
		arrayspec_free(&a);
	} else if (in[0] != '\0' && in[strspn(in, "0123456789")] == '\0') {
		/*
		 * One task id past 32 bits (or NO_VAL's): slurmctld finds
		 * no such task (22.05.8: "scancel 12_4294967297" and
		 * "12_[4294967297]" are silent, exit 0).  As given, which
		 * the daemon answers as an unknown task.
		 */
		s = in;
		in = NULL;
	}
	free(in);
	return s;
}

int
scancel_add_ids(const char *arg, uint32_t **ids, char ***tasks,
    uint32_t *nids)
{
	return scancel_add_steps(arg, ids, tasks, NULL, nids);
}

int
scancel_add_steps(const char *arg, uint32_t **ids, char ***tasks,
    uint32_t **steps, uint32_t *nids)
{
	const char *p = arg;
	char *end, *set;
	unsigned long long n, step;

	for (;;) {
		if (!isdigit((unsigned char)*p))
			return -1;
		errno = 0;
		n = strtoull(p, &end, 10);
		if (errno == ERANGE || n > LLONG_MAX)
			n = LLONG_MAX;		/* strtol's */
		if (n == 0)
			return -1;
		/*
		 * slurmctld takes the id into 32 bits (checked on 22.05.8:
		 * "scancel 4294967297" is job 1); one that is then 0 or
		 * NO_VAL-ish names no job: an id no job has, so that the
		 * daemon's answer is the one for an unknown job.
		 */
		n = (uint32_t)n;
		if (n == 0 || n >= NO_VAL)
			n = NO_VAL - 2;
		set = NULL;
		if (*end == '_' && (set = task_set(end + 1, &end)) == NULL)
			return -1;
		step = NO_VAL;
		if (*end == '.' && steps != NULL && set == NULL &&
		    isdigit((unsigned char)end[1])) {
			step = strtoull(end + 1, &end, 10);
			if (step >= NO_VAL)
				return -1;
		}
		/* 12_3.0 (a task's step), 12+1 (het): not supported. */
		if (*end != ',' && *end != '\0') {
			free(set);
			return -1;
		}
		if (steps != NULL) {
			*steps = xreallocarray(*steps, *nids + 1,
			    sizeof **steps);
			(*steps)[*nids] = (uint32_t)step;
		}
		*ids = xreallocarray(*ids, *nids + 1, sizeof **ids);
		*tasks = xreallocarray(*tasks, *nids + 1, sizeof **tasks);
		(*ids)[*nids] = (uint32_t)n;
		(*tasks)[(*nids)++] = set;
		if (*end == '\0')
			return 0;
		p = end + 1;
	}
}

int
scancel_slurm_errno(uint32_t code)
{
	switch (code) {
	case BERTH_OK:
		return 0;
	case BERTH_EINVALID_PARTITION:
		return 2000;	/* ESLURM_INVALID_PARTITION_NAME */
	case BERTH_EACCESS:
		return 2002;	/* ESLURM_ACCESS_DENIED */
	case BERTH_EINVALID_JOB:
		return 2017;	/* ESLURM_INVALID_JOB_ID */
	case BERTH_EALREADY_DONE:
		return 2021;	/* ESLURM_ALREADY_DONE */
	case BERTH_EPENDING:
		return 2024;	/* ESLURM_JOB_PENDING */
	case BERTH_EUSER:
		return 2010;	/* ESLURM_USER_ID_MISSING */
	default:
		return 1;
	}
}

int
scancel_result(struct buf *err, uint32_t id, uint32_t code, bool by_id_only,
    int verbose)
{
	bool gone = code == BERTH_EINVALID_JOB || code == BERTH_EALREADY_DONE;

	if (code == BERTH_OK)
		return 0;
	if (gone && by_id_only) {
		/* Slurm: a cancel (SIGKILL) of a finished job is no error. */
		if (verbose > 0)
			buf_printf(err, "scancel: error: Kill job error on "
			    "job id %u: %s\n", id, berth_strerror(code));
		return 0;
	}
	if (gone) {
		/* _verify_job_ids(): not in the list of active jobs. */
		if (verbose >= 0)
			buf_printf(err, "scancel: error: Kill job error on "
			    "job id %u: %s\n", id,
			    berth_strerror(BERTH_EINVALID_JOB));
		return 1;
	}
	buf_printf(err, "scancel: error: Kill job error on job id %u: %s\n", id,
	    berth_strerror(code));
	return scancel_slurm_errno(code);
}

/* Slurm's _cancel_step_id(): quiet about steps already gone unless -v. */
int
scancel_step_result(struct buf *err, uint32_t id, uint32_t step,
    uint32_t code, int verbose)
{
	bool gone = code == BERTH_EINVALID_JOB || code == BERTH_EALREADY_DONE;

	if (code == BERTH_OK || (gone && verbose <= 0))
		return 0;
	buf_printf(err, "scancel: error: Kill job error on job step id %u.%u: "
	    "%s\n", id, step, berth_strerror(code));
	return gone ? 0 : scancel_slurm_errno(code);
}
