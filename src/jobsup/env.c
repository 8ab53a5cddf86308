/* SPDX-License-Identifier: MIT */
/*
 * The environment of a batch job, as slurmstepd builds it for the batch
 * step.  Start from the submitter's exported environment (spec->env, which
 * the client already filtered by --export), drop the job-specific SLURM_*
 * variables that a submission from inside another job would carry over
 * (and that this job may not set), then set the variables real Slurm sets:
 * the lists in 20_env_plain, 21_env_array, 22_env_ntasks and 24_env_gpu,
 * plus ENVIRONMENT=BATCH, HOSTNAME and TMPDIR (16_sbatch_export, NONE).
 *
 * Conditional variables and their source:
 *   SLURM_CPUS_PER_TASK          -c given (JOB_F_CPT_SET)
 *   SLURM_NTASKS, SLURM_NPROCS   -n given (JOB_F_NTASKS_SET)
 *   SLURM_MEM_PER_CPU|_PER_NODE  JOB_F_MEM_PER_CPU decides; none if 0
 *   SLURM_JOB_ACCOUNT, _QOS      when set
 *   SLURM_ARRAY_*                array tasks (COUNT/MIN/MAX/STEP: the
 *                                record's array_task_* fields)
 *   SLURM_RESTART_COUNT          after a requeue
 *   CUDA_VISIBLE_DEVICES, GPU_DEVICE_ORDINAL, SLURM_JOB_GPUS,
 *   SLURM_GPUS_ON_NODE           GPUs allocated (job.gpu_ids)
 *   SLURM_STEP_GPUS              a step's GPUs (steps only); its
 *                                SLURM_JOB_GPUS only inherited from srun's
 *                                environment, as in Slurm (24_env_gpu)
 * SLURM_GPUS, SLURM_GPUS_PER_NODE and SLURM_GPUS_PER_TASK come from the
 * submitter's environment, where sbatch and salloc put --gpus,
 * --gpus-per-node and --gpus-per-task as given ("tesla:1"), as Slurm's
 * do; srun's steps inherit them from the allocation's.
 *
 * SLURM_UMASK and SLURM_RLIMIT_* (sbatch's umask and limits) are applied
 * to the job by the supervisor and, as in Slurm, not shown to it.
 *
 * Pure: reads only its arguments.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/envidx.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "jobsup.h"

/*
 * The vector being built, indexed by name (~120 lookups over ~75
 * variables per job on the path to the job's start, and as many
 * variables as the user has).
 */
struct envv {
	char		**v;
	size_t		  n;
	size_t		  cap;
	struct envidx	  idx;
};

static void	env_init(struct envv *);
static char   **env_steal(struct envv *);
static ssize_t	env_find_n(const struct envv *, const char *, size_t);
static ssize_t	env_find(const struct envv *, const char *);
static void	env_put_n(struct envv *, const char *, size_t, const char *,
		    int);
static void	env_put(struct envv *, const char *, const char *, int);
static void	env_set(struct envv *, const char *, const char *);
static void	env_setu(struct envv *, const char *, unsigned long long);
static void	env_setf(struct envv *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	env_default(struct envv *, const char *, const char *);
static void	env_unset(struct envv *, const char *);
static void	env_unset_prefix(struct envv *, const char *);
static void	env_add_all(struct envv *, char *const *);
static void	env_build(struct envv *, const struct job_spec *, pid_t,
		    const struct passwd *, char *const *);
static size_t	list_count(const char *);

/* Set by a job only in some cases; never inherited from the submitter. */
static const char *const env_stale[] = {
	"SLURM_CPUS_PER_TASK", "SLURM_NTASKS", "SLURM_NPROCS",
	"SLURM_MEM_PER_CPU", "SLURM_MEM_PER_NODE", "SLURM_MEM_PER_GPU",
	"SLURM_JOB_ACCOUNT", "SLURM_JOB_QOS", "SLURM_ARRAY_JOB_ID",
	"SLURM_ARRAY_TASK_ID", "SLURM_GPUS_ON_NODE",
	"SLURM_JOB_GPUS", "SLURM_RESTART_COUNT", "SLURM_UMASK",
};
/* Array facts never taken from the submitter's environment. */
static const char *const env_array_extra[] = {
	"SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MAX",
	"SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP",
};

static void
env_init(struct envv *e)
{
	e->cap = 64;
	e->n = 0;
	e->v = xcalloc(e->cap + 1, sizeof *e->v);
	e->idx.slot = NULL;
	e->idx.cap = 0;
}

/* The NULL-terminated vector; the index goes. */
static char **
env_steal(struct envv *e)
{
	envidx_free(&e->idx);
	return e->v;
}

static ssize_t
env_find_n(const struct envv *e, const char *name, size_t len)
{
	return envidx_find(&e->idx, e->v, name, len);
}

static ssize_t
env_find(const struct envv *e, const char *name)
{
	return env_find_n(e, name, strlen(name));
}

/*
 * Replace the value of the len bytes of name in place (keeping the
 * entry's position) or append "name=value".
 */
static void
env_put_n(struct envv *e, const char *name, size_t len, const char *value,
    int replace)
{
	size_t vlen = strlen(value), i;
	char *kv;

	kv = xmalloc(len + vlen + 2);
	memcpy(kv, name, len);
	kv[len] = '=';
	memcpy(kv + len + 1, value, vlen + 1);
	if (e->n + 2 > e->cap) {
		e->cap *= 2;
		e->v = xreallocarray(e->v, e->cap + 1, sizeof *e->v);
	}
	/* Appended, then one look-up: an earlier entry of the name
	 * takes it in its place (or keeps its own), else it stays. */
	e->v[e->n] = kv;
	i = (size_t)envidx_put(&e->idx, e->v, e->n + 1, len);
	if (i == e->n) {
		e->v[++e->n] = NULL;
		return;
	}
	e->v[e->n] = NULL;
	if (!replace) {
		free(kv);
		return;
	}
	free(e->v[i]);
	e->v[i] = kv;
}

static void
env_put(struct envv *e, const char *name, const char *value, int replace)
{
	env_put_n(e, name, strlen(name), value, replace);
}

static void
env_set(struct envv *e, const char *name, const char *value)
{
	env_put(e, name, value, 1);
}

static void
env_default(struct envv *e, const char *name, const char *value)
{
	env_put(e, name, value, 0);
}

/* A number's decimal digits, without printf's machinery (27 of a job's
 * variables are numbers). */
static void
env_setu(struct envv *e, const char *name, unsigned long long v)
{
	char buf[24];

	env_set(e, name, fmt_decimal(buf + sizeof buf - 1, v));
}

static void
env_setf(struct envv *e, const char *name, const char *fmt, ...)
{
	va_list ap;
	char small[64], *value;
	int n;

	/* The values are numbers, mostly: no allocation for them. */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof small) {
		env_set(e, name, small);
		return;
	}
	va_start(ap, fmt);
	xvasprintf(&value, fmt, ap);
	va_end(ap);
	env_set(e, name, value);
	free(value);
}

static void
env_unset(struct envv *e, const char *name)
{
	ssize_t i = env_find(e, name);

	if (i == -1)
		return;
	free(e->v[i]);
	memmove(&e->v[i], &e->v[i + 1], (e->n - (size_t)i) * sizeof *e->v);
	e->n--;
	envidx_rebuild(&e->idx, e->v, e->n);
}

/* Set every "K=V" of v, later ones winning. */
static void
env_add_all(struct envv *e, char *const *v)
{
	const char *eq;

	if (v == NULL)
		return;
	for (; *v != NULL; v++) {
		if ((eq = strchr(*v, '=')) == NULL || eq == *v)
			continue;
		env_put_n(e, *v, (size_t)(eq - *v), eq + 1, 1);
	}
}

static void
env_unset_prefix(struct envv *e, const char *prefix)
{
	size_t len = strlen(prefix), i, k = 0;

	for (i = 0; i < e->n; i++) {
		if (strncmp(e->v[i], prefix, len) == 0)
			free(e->v[i]);
		else
			e->v[k++] = e->v[i];
	}
	if (k == e->n)
		return;
	e->n = k;
	e->v[k] = NULL;
	envidx_rebuild(&e->idx, e->v, e->n);
}

/* Entries in a comma-separated list ("0,1" -> 2). */
static size_t
list_count(const char *s)
{
	size_t n = 0;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p != ',' && (p == s || p[-1] == ','))
			n++;
	}
	return n;
}

const char *
jobsup_env_get(char *const *env, const char *name)
{
	size_t len = strlen(name);

	if (env == NULL)
		return NULL;
	for (; *env != NULL; env++) {
		if ((*env)[0] == name[0] && strncmp(*env, name, len) == 0 &&
		    (*env)[len] == '=')
			return *env + len + 1;
	}
	return NULL;
}

char **
jobsup_env_build(const struct job_spec *spec, pid_t pid,
    const struct passwd *pw, char *const *login)
{
	struct envv e;

	env_build(&e, spec, pid, pw, login);
	return env_steal(&e);
}

static void
env_build(struct envv *ep, const struct job_spec *spec, pid_t pid,
    const struct passwd *pw, char *const *login)
{
	const struct job *j = &spec->job;
	const char *node = spec->node_name != NULL ? spec->node_name :
	    "localhost";
	const char *cluster = spec->cluster_name != NULL ?
	    spec->cluster_name : "berth";
	const char *nodelist = j->nodelist != NULL ? j->nodelist : node;
	const char *user = j->user;
	const char *v;
	char *mail;
	struct envv e;
	uint32_t ncpus, cpt, tasks;
	bool is_array = j->array_job_id != 0;

	env_init(&e);
	env_add_all(&e, login);
	env_add_all(&e, spec->env);
	for (size_t i = 0; i < sizeof env_stale / sizeof env_stale[0]; i++)
		env_unset(&e, env_stale[i]);
	env_unset_prefix(&e, "SLURM_RLIMIT_");	/* applied, not shown */
	for (size_t i = 0; i < sizeof env_array_extra /
	    sizeof env_array_extra[0]; i++)
		env_unset(&e, env_array_extra[i]);
	if (user == NULL && pw != NULL)
		user = pw->pw_name;

	/*
	 * --export=NONE / --get-user-env: the login environment (login);
	 * if that could not be had, at least what login(1) sets.
	 */
	if (pw != NULL && ((j->flags & JOB_F_EXPORT_NONE) ||
	    jobsup_env_get(spec->env, "SLURM_GET_USER_ENV") != NULL)) {
		env_default(&e, "HOME", pw->pw_dir);
		env_default(&e, "USER", pw->pw_name);
		env_default(&e, "LOGNAME", pw->pw_name);
		env_default(&e, "SHELL", pw->pw_shell != NULL &&
		    *pw->pw_shell != '\0' ? pw->pw_shell : "/bin/sh");
		xasprintf(&mail, "/var/mail/%s", pw->pw_name);
		env_default(&e, "MAIL", mail);
		free(mail);
		env_default(&e, "PATH", "/usr/local/bin:/usr/bin:/bin");
	}
	if (j->flags & JOB_F_EXPORT_NONE) {
		env_default(&e, "SLURM_EXPORT_ENV", "NONE");
		env_default(&e, "SLURM_GET_USER_ENV", "1");
	}

	env_set(&e, "ENVIRONMENT", "BATCH");
	env_set(&e, "HOSTNAME", node);
	env_default(&e, "TMPDIR", "/tmp");
	if (j->workdir != NULL)
		env_set(&e, "PWD", j->workdir);

	env_set(&e, "SLURMD_NODENAME", node);
	env_set(&e, "SLURM_CLUSTER_NAME", cluster);
	if (spec->conf_path != NULL)
		env_set(&e, "SLURM_CONF", spec->conf_path);

	ncpus = j->ncpus != 0 ? j->ncpus : 1;
	cpt = j->cpus_per_task != 0 && j->cpus_per_task != NO_VAL ?
	    j->cpus_per_task : 1;
	env_setu(&e, "SLURM_CPUS_ON_NODE", ncpus);
	if (j->flags & JOB_F_CPT_SET)
		env_setu(&e, "SLURM_CPUS_PER_TASK", cpt);
	env_set(&e, "SLURM_GTIDS", "0");
	env_setu(&e, "SLURM_JOBID", j->id);
	env_setu(&e, "SLURM_JOB_ID", j->id);
	if (j->account != NULL)
		env_set(&e, "SLURM_JOB_ACCOUNT", j->account);
	env_setu(&e, "SLURM_JOB_CPUS_PER_NODE", ncpus);
	env_setu(&e, "SLURM_JOB_GID", j->gid);
	env_setu(&e, "SLURM_JOB_UID", j->uid);
	if (user != NULL)
		env_set(&e, "SLURM_JOB_USER", user);
	if (j->name != NULL)
		env_set(&e, "SLURM_JOB_NAME", j->name);
	env_set(&e, "SLURM_JOB_NODELIST", nodelist);
	env_set(&e, "SLURM_JOB_NUM_NODES", "1");
	if (j->partition != NULL)
		env_set(&e, "SLURM_JOB_PARTITION", j->partition);
	if (j->qos != NULL)
		env_set(&e, "SLURM_JOB_QOS", j->qos);
	env_set(&e, "SLURM_LOCALID", "0");
	if (j->mem_mb != 0 && j->mem_mb != NO_VAL64) {
		env_setu(&e, (j->flags & JOB_F_MEM_PER_CPU) ?
		    "SLURM_MEM_PER_CPU" : "SLURM_MEM_PER_NODE", j->mem_mb);
	}
	env_set(&e, "SLURM_NNODES", "1");
	env_set(&e, "SLURM_NODEID", "0");
	env_set(&e, "SLURM_NODELIST", nodelist);
	env_set(&e, "SLURM_NODE_ALIASES", "(null)");
	if (j->flags & JOB_F_OVERCOMMIT)	/* srun's -O input */
		env_set(&e, "SLURM_OVERCOMMIT", "1");

	/* Without -n, Slurm lays out as many tasks as the CPUs allow. */
	if (j->flags & JOB_F_NTASKS_SET) {
		tasks = j->ntasks != 0 ? j->ntasks : 1;
		env_setu(&e, "SLURM_NPROCS", tasks);
		env_setu(&e, "SLURM_NTASKS", tasks);
	} else {
		tasks = ncpus / cpt;
		if (tasks == 0)
			tasks = 1;
	}
	/* sbatch's own nice (getpriority) when the client passed it. */
	v = jobsup_env_get(spec->env, "SLURM_PRIO_PROCESS");
	env_set(&e, "SLURM_PRIO_PROCESS", v != NULL ? v : "0");
	env_set(&e, "SLURM_PROCID", "0");
	if (j->restarts > 0)
		env_setu(&e, "SLURM_RESTART_COUNT", j->restarts);
	v = jobsup_env_get(spec->env, "SLURM_SUBMIT_DIR");
	if (v == NULL)
		v = j->workdir;
	if (v != NULL)
		env_set(&e, "SLURM_SUBMIT_DIR", v);
	env_set(&e, "SLURM_SUBMIT_HOST", spec->submit_host != NULL ?
	    spec->submit_host : node);
	env_setu(&e, "SLURM_TASKS_PER_NODE", tasks);
	env_setf(&e, "SLURM_TASK_PID", "%ld", (long)pid);
	env_set(&e, "SLURM_TOPOLOGY_ADDR", node);
	env_set(&e, "SLURM_TOPOLOGY_ADDR_PATTERN", "node");
	/* cluster:controller:port:rpc version:select plugin.  There is no
	 * slurmctld port; 0 says so. */
	env_setf(&e, "SLURM_WORKING_CLUSTER", "%s:%s:0:9728:109", cluster,
	    node);

	if (is_array) {
		env_setu(&e, "SLURM_ARRAY_JOB_ID", j->array_job_id);
		env_setu(&e, "SLURM_ARRAY_TASK_ID", j->array_task_id);
		if (j->array_task_count != 0) {
			env_setu(&e, "SLURM_ARRAY_TASK_COUNT",
			    j->array_task_count);
			env_setu(&e, "SLURM_ARRAY_TASK_MAX", j->array_task_max);
			env_setu(&e, "SLURM_ARRAY_TASK_MIN", j->array_task_min);
			env_setu(&e, "SLURM_ARRAY_TASK_STEP",
			    j->array_task_step);
		}
	}

	if (j->gpu_ids != NULL && list_count(j->gpu_ids) > 0) {
		env_set(&e, "CUDA_VISIBLE_DEVICES", j->gpu_ids);
		env_set(&e, "GPU_DEVICE_ORDINAL", j->gpu_ids);
		env_set(&e, "SLURM_JOB_GPUS", j->gpu_ids);
		env_setf(&e, "SLURM_GPUS_ON_NODE", "%zu",
		    list_count(j->gpu_ids));
	}
	*ep = e;
}

/*
 * Variables a batch step has and a step of srun only inherits (60_srun:
 * no SLURM_MEM_PER_CPU where the batch job of 23_env_srun_step had one).
 */
static const char *const env_batch_only[] = {
	"ENVIRONMENT", "SLURM_NODE_ALIASES", "SLURM_MEM_PER_CPU",
	"SLURM_MEM_PER_NODE", "SLURM_MEM_PER_GPU", "SLURM_JOB_GPUS",
};

char **
jobsup_env_step(const struct job_spec *spec, const struct jobsup_step_env *st)
{
	const struct job *j = &spec->job;
	const char *node = spec->node_name != NULL ? spec->node_name :
	    "localhost";
	struct envv e;
	char gtids[64];
	struct buf b;

	env_build(&e, spec, 0, NULL, NULL);
	for (size_t i = 0; i < sizeof env_batch_only /
	    sizeof env_batch_only[0]; i++) {
		const char *v = jobsup_env_get(spec->env, env_batch_only[i]);

		if (v == NULL)
			env_unset(&e, env_batch_only[i]);
		else
			env_set(&e, env_batch_only[i], v);
	}
	env_unset(&e, "SLURM_TASK_PID");
	env_unset(&e, "SLURM_PROCID");
	env_unset(&e, "SLURM_LOCALID");

	if (st->cpu_bind != NULL) {
		env_set(&e, "SLURM_CPU_BIND", st->cpu_bind);
		env_set(&e, "SLURM_CPU_BIND_LIST", st->cpu_bind_list != NULL ?
		    st->cpu_bind_list : "");
		env_set(&e, "SLURM_CPU_BIND_TYPE", st->cpu_bind_type != NULL ?
		    st->cpu_bind_type : "");
		env_set(&e, "SLURM_CPU_BIND_VERBOSE",
		    st->cpu_bind_verbose != NULL ? st->cpu_bind_verbose :
		    "quiet");
	}
	if (st->cpt_set)
		env_setu(&e, "SLURM_CPUS_PER_TASK", st->cpus_per_task);
	if (st->in_alloc) {
		env_set(&e, "SLURM_DISTRIBUTION", "cyclic");
		env_set(&e, "SLURM_JOB_CPUS_PER_NODE_PACK_GROUP_0",
		    jobsup_env_get(e.v, "SLURM_JOB_CPUS_PER_NODE"));
	}
	/* SLURM_GTIDS: every task of the step on this (the only) node. */
	buf_init(&b);
	for (uint32_t i = 0; i < st->ntasks; i++) {
		snprintf(gtids, sizeof gtids, "%s%u", i > 0 ? "," : "", i);
		buf_adds(&b, gtids);
	}
	env_set(&e, "SLURM_GTIDS", b.len > 0 ? b.data : "0");
	buf_free(&b);
	env_set(&e, "SLURM_LAUNCH_NODE_IPADDR", "127.0.0.1");
	env_setu(&e, "SLURM_NPROCS", st->ntasks);
	env_setu(&e, "SLURM_NTASKS", st->ntasks);
	env_set(&e, "SLURM_SRUN_COMM_HOST", "127.0.0.1");
	/* No srun port: the launcher is on this machine (docs/compat.md). */
	env_set(&e, "SLURM_SRUN_COMM_PORT", "0");
	env_setu(&e, "SLURM_STEPID", st->step_id);
	env_setu(&e, "SLURM_STEP_ID", st->step_id);
	env_set(&e, "SLURM_STEP_LAUNCHER_PORT", "0");
	env_set(&e, "SLURM_STEP_NODELIST", j->nodelist != NULL ?
	    j->nodelist : node);
	env_set(&e, "SLURM_STEP_NUM_NODES", "1");
	env_setu(&e, "SLURM_STEP_NUM_TASKS", st->ntasks);
	env_setu(&e, "SLURM_STEP_TASKS_PER_NODE", st->ntasks);
	env_setu(&e, "SLURM_TASKS_PER_NODE", st->ntasks);
	env_setf(&e, "SLURM_UMASK", "0%o%o%o", (st->umask >> 6) & 07,
	    (st->umask >> 3) & 07, st->umask & 07);
	if (st->gpu_ids != NULL && list_count(st->gpu_ids) > 0) {
		env_set(&e, "CUDA_VISIBLE_DEVICES", st->gpu_ids);
		env_set(&e, "GPU_DEVICE_ORDINAL", st->gpu_ids);
		env_set(&e, "SLURM_STEP_GPUS", st->gpu_ids);
	}
	return env_steal(&e);
}

char **
jobsup_env_task(char *const *step_env, uint32_t procid, char **pid_slot)
{
	struct envv e;

	env_init(&e);
	env_add_all(&e, step_env);
	env_setu(&e, "SLURM_LOCALID", procid);
	env_setu(&e, "SLURM_PROCID", procid);
	/* room for any pid; jobsup_env_task_pid fills it in the child */
	env_set(&e, "SLURM_TASK_PID", "0000000000000000000000");
	*pid_slot = e.v[env_find(&e, "SLURM_TASK_PID")];
	return env_steal(&e);
}

void
jobsup_env_task_pid(char *slot, pid_t pid)
{
	snprintf(slot, strlen(slot) + 1, "SLURM_TASK_PID=%ld", (long)pid);
}

int
jobsup_rlimits(char *const *env, struct jobsup_rlimit *out, int max)
{
	static const char prefix[] = "SLURM_RLIMIT_";
	const char *found[SPEC_NRLIMITS] = { NULL }, *v, *eq;
	char *end;
	unsigned long long n;
	size_t len;
	int count = 0;

	/* One pass over the environment (the first of a name counts, as
	 * with jobsup_env_get()), then the limits in the table's order. */
	for (; env != NULL && *env != NULL; env++) {
		if (strncmp(*env, prefix, sizeof prefix - 1) != 0)
			continue;
		v = *env + sizeof prefix - 1;
		if ((eq = strchr(v, '=')) == NULL)
			continue;
		len = (size_t)(eq - v);
		for (size_t i = 0; i < SPEC_NRLIMITS; i++)
			if (found[i] == NULL &&
			    strlen(spec_rlimits[i].name) == len &&
			    memcmp(spec_rlimits[i].name, v, len) == 0)
				found[i] = eq + 1;
	}
	for (size_t i = 0; i < SPEC_NRLIMITS; i++) {
		if ((v = found[i]) == NULL)
			continue;
		if (*v == 'U')		/* --propagate named it explicitly */
			v++;
		if (*v < '0' || *v > '9')
			continue;
		errno = 0;
		n = strtoull(v, &end, 10);
		if (errno != 0 || *end != '\0' || count >= max)
			continue;
		out[count].resource = spec_rlimits[i].resource;
		out[count].soft = (rlim_t)n;
		count++;
	}
	return count;
}
