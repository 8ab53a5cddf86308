/* SPDX-License-Identifier: MIT */
/*
 * MSG_SUBMIT: validate a job_desc, apply defaults, store it, reply.
 *
 * Copies Slurm's submit-time rules: a partition the caller may not use
 * (AllowGroups, AllowAccounts) or that takes no new jobs (State=DRAIN or
 * INACTIVE), an unknown partition, more memory or
 * GPUs than the node has, and oversized scripts are refused (errors as in
 * slurm-reference/02_sbatch_errors.txt); requests the node can never run
 * for other reasons (-c 999, -N 2, a time over MaxTime) are accepted and
 * pend with a reason, as Slurm does.  The owner is the caller's
 * SO_PEERCRED uid/gid, never what the client claims.
 *
 * Reply MSG_SUBMITTED: u32 id, i64 planned start (0 unknown), u32 ncpus,
 * str partition, str node name.
 *
 * A job array is stored as ONE pending record whatever its size: the
 * record's id is the array's id (ArrayJobId), array_spec holds the index
 * set still pending ("0-99999"), and the scheduler splits a task off when
 * it starts one (schedule.c).  An array of one index is a plain task.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/arrayspec.h"
#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "../proto/proto.h"
#include "../sched/feature.h"
#include "daemon.h"
#include "schedule.h"


static void
reply_submitted(struct client *c, uint32_t id, int64_t when,
    const struct job_head *j)
{
	struct msg m;

	msg_init(&m);
	msg_put_u32(&m, id);
	msg_put_i64(&m, when);
	msg_put_u32(&m, j->ncpus);
	msg_put_str(&m, j->partition);
	msg_put_str(&m, D->conf.node_name);
	client_reply(c, MSG_SUBMITTED, &m);
	msg_free(&m);
}

/* Slurm's --array checks (02_sbatch_errors.txt); fills the array fields. */
static int
array_prepare(struct job *j, const char *spec)
{
	struct arrayspec a;
	uint32_t throttle;

	if (arrayspec_parse(spec, D->conf.max_array_size, &a, &throttle,
	    NULL) == -1)
		return -1;
	j->array_max_running = throttle;
	j->array_task_count = (uint32_t)arrayspec_count(&a);
	j->array_task_min = arrayspec_min(&a);
	j->array_task_max = arrayspec_max(&a);
	j->array_task_step = arrayspec_step(&a);
	free(j->array_spec);
	j->array_spec = arrayspec_format(&a);
	arrayspec_free(&a);
	return 0;
}

/*
 * --prefer (the "Prefer=" line of job.extra): features the node must
 * have, as slurmctld refuses preferred features no node has (22.05.8:
 * "Invalid preferred feature specification").  One node: a preference
 * it cannot meet can never be met.
 */
static uint32_t
check_prefer(const struct job *j)
{
	const char *v;
	char *prefer;
	size_t len;
	int ok;

	if ((v = job_extra(j->extra, "Prefer", &len)) == NULL)
		return BERTH_OK;
	prefer = xstrndup(v, len);
	ok = feature_eval(prefer, D->conf.features);
	free(prefer);
	return ok == 1 ? BERTH_OK : BERTH_EPREFER;
}

/* --nodelist must name this node; --exclude must not (Slurm's errors). */
static uint32_t
check_nodes(const struct job *j)
{
	char **v;
	uint32_t err = BERTH_OK;

	v = strv_split(j->req_nodes, ",", NULL);
	for (size_t i = 0; v[i] != NULL && err == BERTH_OK; i++)
		if (strcmp(v[i], D->conf.node_name) != 0)
			err = BERTH_ENODE_NAME;
	strv_free(v);
	v = strv_split(j->exc_nodes, ",", NULL);
	for (size_t i = 0; v[i] != NULL && err == BERTH_OK; i++)
		err = strcmp(v[i], D->conf.node_name) == 0 ?
		    BERTH_ENODE_CONFIG : BERTH_ENODE_NAME;
	strv_free(v);
	return err;
}

/*
 * --time-min and --deadline, once the time limit is defaulted.  A
 * time-min of 0 (Slurm's "0": no minimum) is dropped; one over the time
 * limit is refused as Slurm does (ESLURM_INVALID_TIME_MIN_LIMIT).  A
 * deadline already past, or before the begin time, is refused with
 * "Invalid time specified"; one that is merely too close for the time
 * limit is accepted and the job ends DEADLINE at its first scheduling
 * pass (schedule.c), as slurmctld's deadline_ok() does.
 */
static uint32_t
check_times(struct job *j)
{
	int64_t now = now_sec();

	if (j->time_min == 0 || j->time_min == INFINITE)
		j->time_min = NO_VAL;
	if (j->time_min != NO_VAL && j->time_limit != NO_VAL &&
	    j->time_limit != INFINITE && j->time_min > j->time_limit)
		return BERTH_ETIME_MIN;
	if (j->deadline != 0 && (j->deadline <= now ||
	    (j->begin_time != 0 && j->begin_time > j->deadline)))
		return BERTH_ETIME_VALUE;
	return BERTH_OK;
}

/*
 * EnforcePartLimits=ANY|ALL (one partition per job: the same): what would
 * pend for a partition limit is refused at submission, with slurmctld's
 * errors from _valid_job_part: more nodes than the partition has or
 * allows (the one node; MaxNodes), a time limit over MaxTime, more
 * memory than MaxMemPerNode.
 */
static uint32_t
part_limits(const struct job *j, const struct part_conf *pc)
{
	if (j->min_nodes > 1 || (pc->max_nodes != INFINITE &&
	    pc->max_nodes != 0 && j->min_nodes > pc->max_nodes))
		return BERTH_ENODE_COUNT;
	if (pc->max_time != INFINITE && (j->time_limit == INFINITE ||
	    j->time_limit > pc->max_time))
		return BERTH_ETIME_LIMIT;
	if (pc->max_mem_per_node != 0 &&
	    job_mem_node(j) > pc->max_mem_per_node)
		return BERTH_ETASK_MEMORY;
	return BERTH_OK;
}

/*
 * A GPU type in --gres (gpu:TYPE or gpu:TYPE:N), and in --gpus and
 * --gpus-per-task as the job record keeps them, must be the node's
 * (Gres=gpu:TYPE:N); slurmctld refuses any other type, as it refuses
 * --gres=gpu:abc on an untyped node ("Requested node configuration is
 * not available", checked on real Slurm 22.05).
 */
static bool
gres_type_ok(const char *gres)
{
	char **tok, **part;
	size_t npart;
	uint32_t n;
	bool ok = true;

	if (gres == NULL)
		return true;
	tok = strv_split(gres, ",", NULL);
	for (size_t i = 0; tok[i] != NULL && ok; i++) {
		const char *t = tok[i];

		if (strncmp(t, "gres/", 5) == 0 || strncmp(t, "gres:", 5) == 0)
			t += 5;
		part = strv_split(t, ":", &npart);
		if (npart >= 2 && (npart == 3 || parse_u32(part[1], &n) == -1))
			ok = D->conf.gpu_type != NULL &&
			    strcmp(part[1], D->conf.gpu_type) == 0;
		strv_free(part);
	}
	strv_free(tok);
	return ok;
}

/*
 * Defaults and checks; returns an error code or BERTH_OK.  An interactive
 * allocation (MSG_ALLOC, JOB_F_INTERACTIVE) has no script.
 */
uint32_t
submit_prepare(struct client *c, struct job_desc *d)
{
	struct job *j = &d->job;
	const struct part_conf *pc;
	char *cause = NULL;
	uint32_t err, ntasks;
	int p;

	if (!(j->flags & JOB_F_INTERACTIVE)) {
		if (d->script == NULL || strncmp(d->script, "#!", 2) != 0)
			return BERTH_EINVAL;
		if (strlen(d->script) > D->conf.max_script_size)
			return BERTH_ESCRIPT_SIZE;
	}
	if (d->array != NULL && array_prepare(j, d->array) == -1)
		return BERTH_EARRAY;
	if (j->partition == NULL)
		j->partition = xstrdup(D->conf.parts[D->conf.default_part].name);
	if ((p = conf_find_part(&D->conf, j->partition)) == -1)
		return BERTH_EINVALID_PARTITION;
	pc = &D->conf.parts[p];

	/* slurmctld's validate_job_create_req: a negative nice is for
	 * operators (root, the daemon's user) only. */
	if (j->nice < 0 && c->uid != 0 && c->uid != getuid())
		return BERTH_ENICE;
	j->uid = c->uid;
	j->gid = c->gid;
	free(j->user);
	free(j->group);
	j->user = xstrdup(user_name(c->uid));
	j->group = xstrdup(group_name(c->gid));
	if (j->cpus_per_task == 0)
		j->cpus_per_task = 1;
	if (j->min_nodes == 0) {
		/* -N 0: slurmctld's ESLURM_INVALID_NODE_COUNT for a job
		 * without a burst buffer; -N 0-1 is taken as 1 (as real
		 * Slurm 22.05 does). */
		if ((j->flags & JOB_F_NODES_SET) && j->max_nodes == 0)
			return BERTH_ENODE_COUNT;
		j->min_nodes = 1;
	}
	/* -n 0 (sbatch -n 4294967296, which Slurm's sbatch casts to 0):
	 * slurmctld's "Node count specification invalid" (22.05.8). */
	if (j->ntasks == 0 && (j->flags & JOB_F_NTASKS_SET))
		return BERTH_ENODE_COUNT;
	/* -N without -n: one task per node, as Slurm does. */
	if (j->ntasks == 0 || (!(j->flags & JOB_F_NTASKS_SET) &&
	    j->ntasks < j->min_nodes))
		j->ntasks = j->min_nodes;
	/* Tasks that cannot share the node need more nodes: -n 3 on two
	 * CPUs asks for 2 nodes, as Slurm computes it (it will pend).  With
	 * -O they share one task's CPUs (Slurm 22.05.8: sbatch -O -n4 runs
	 * on one node with NumCPUs=1). */
	if (j->flags & JOB_F_OVERCOMMIT)
		;
	else if (j->cpus_per_task <= D->conf.cpus) {
		uint32_t per_node = D->conf.cpus / j->cpus_per_task;
		uint32_t need = (j->ntasks + per_node - 1) / per_node;

		if (need > j->min_nodes)
			j->min_nodes = need;
	}
	if (j->max_nodes < j->min_nodes)
		j->max_nodes = j->min_nodes;
	j->ncpus = (j->flags & JOB_F_OVERCOMMIT) ? j->cpus_per_task :
	    j->ntasks * j->cpus_per_task;
	/* No accounting database: the default QOS is Slurm's "normal" and
	 * the default account the user's primary group (docs/compat.md). */
	/* Neither --requeue nor --no-requeue: JobRequeue decides. */
	if (!(j->flags & JOB_F_REQUEUE_SET)) {
		j->flags &= ~JOB_F_REQUEUE;
		if (D->conf.job_requeue)
			j->flags |= JOB_F_REQUEUE;
	}
	if (j->qos == NULL)
		j->qos = xstrdup("normal");
	if (j->account == NULL)
		j->account = xstrdup(j->group);
	/* slurmctld's order (_part_access_check, then the partition's
	 * state): AllowGroups, AllowAccounts; DRAIN and INACTIVE
	 * partitions take no new jobs, DOWN ones do (they pend). */
	if (!part_group_ok(pc, c->uid))
		return BERTH_EPART_GROUP;
	if (!part_account_ok(pc, j->account))
		return BERTH_EACCOUNT;
	if (pc->state == PART_DRAIN || pc->state == PART_INACTIVE)
		return BERTH_EPART_NOT_AVAIL;
	if (j->flags & JOB_F_EXCLUSIVE)
		j->ncpus = j->ncpus > D->conf.cpus ? j->ncpus : D->conf.cpus;

	if (!(j->flags & JOB_F_MEM_SET)) {
		j->mem_mb = D->conf.def_mem_per_cpu;
		j->flags |= JOB_F_MEM_PER_CPU;
	} else if (j->mem_mb == 0) {
		/* --mem=0 and --mem-per-cpu=0: all of the node's memory
		 * (real 22.05: TRES mem=20000M for either). */
		j->mem_mb = D->conf.real_mem_mb;
		j->flags &= ~JOB_F_MEM_PER_CPU;
	}
	if (job_mem_node(j) > D->conf.real_mem_mb &&
	    (j->flags & JOB_F_MEM_SET) && j->ncpus <= D->conf.cpus)
		return BERTH_ENODE_CONFIG;
	/* A GPU type the node does not have (untyped Gres=gpu:N has none):
	 * slurmctld cannot place it (--gpus=tesla:1 on the reference
	 * machine, 22.05.8). */
	if (j->gpus > D->conf.gpus || !gres_type_ok(j->gres) ||
	    !gres_type_ok(j->tres_per_job) || !gres_type_ok(j->tres_per_task) ||
	    (d->gpu_type != NULL && (D->conf.gpu_type == NULL ||
	    strcmp(d->gpu_type, D->conf.gpu_type) != 0)))
		return BERTH_ENODE_CONFIG;

	/* One node: constraints, --nodelist and --exclude either fit it or
	 * can never run, and Slurm refuses what can never run. */
	if (j->features != NULL &&
	    feature_eval(j->features, D->conf.features) != 1)
		return BERTH_EFEATURE;
	if ((err = check_prefer(j)) != BERTH_OK)
		return err;
	if ((err = check_nodes(j)) != BERTH_OK)
		return err;
	if (j->dependency != NULL && depend_check_spec(j->dependency,
	    D->next_id, &cause) == -1) {
		free(cause);
		return BERTH_EDEPENDENCY;
	}
	if (j->dependency != NULL && depend_circular(j->dependency,
	    D->next_id, d->array != NULL ? D->next_id : 0))
		return BERTH_ECIRCULAR;
	if (j->time_limit == NO_VAL)
		j->time_limit = pc->default_time != NO_VAL ?
		    pc->default_time : pc->max_time;
	if (D->conf.enforce_part_limits && (err = part_limits(j, pc)) !=
	    BERTH_OK)
		return err;
	if ((err = check_times(j)) != BERTH_OK)
		return err;
	/*
	 * MaxJobCount: slurmctld refuses a job (an array: as many jobs as
	 * tasks) that would bring the jobs it holds (pending, running,
	 * ended within MinJobAge) to the limit, with EAGAIN, which sbatch,
	 * srun and salloc retry.  Checked on Slurm 22.05.8 with
	 * MaxJobCount=8: seven jobs accepted, the eighth refused;
	 * --array=0-7 refused on an empty queue, --array=0-6 accepted.
	 */
	ntasks = d->array != NULL ? j->array_task_count : 1;
	if (D->njob_tasks + ntasks >= D->conf.max_job_count)
		return BERTH_EAGAIN;
	return BERTH_OK;
}

/*
 * A held job has priority 0 (sbatch -H sends 0 whatever --priority says).
 * --priority=N (TOP: the highest) is taken from root and the daemon's
 * user only, and is then fixed as one set by scontrol update (Slurm's
 * direct_set_prio); from anyone else it is ignored without a word, as
 * slurmctld's validate_job_create_req resets a non-operator's priority.
 */
static void
set_priority(struct job *j, uid_t uid)
{
	uint32_t want = j->priority;
	struct job_head h;
	struct job_more hm;

	j->flags &= ~JOB_F_PRIO_SET;
	if (j->flags & (JOB_F_HOLD_USER | JOB_F_HOLD_ADMIN))
		j->priority = 0;
	else if (want != 0 && (uid == 0 || uid == getuid())) {
		j->priority = want < INFINITE - 1 ? want : INFINITE - 1;
		j->flags |= JOB_F_PRIO_SET;
		log_info("job=%u: priority %u set at submission by uid %u",
		    j->id, j->priority, (unsigned)uid);
	} else {
		job_head_get(&h, &hm, j);
		j->priority = job_base_priority(&h);
	}
}

/*
 * Give a prepared job_desc its id, state and times, stage it in the
 * store and add it to the table (taking its strings); NULL if the store
 * failed.
 */
struct djob *
submit_insert(struct client *c, struct job_desc *d)
{
	struct job *j = &d->job;
	struct djob *dj;
	const struct msg *rec;
	char *cause = NULL;
	int64_t now = now_sec();
	bool held;

	j->id = D->next_id;
	if (d->array != NULL) {
		j->array_job_id = j->id;
		j->array_task_id = NO_VAL;
		if (j->array_task_count == 1) {
			j->array_task_id = j->array_task_min;
			free(j->array_spec);
			j->array_spec = NULL;
		}
	} else {
		j->array_job_id = 0;
		j->array_task_id = NO_VAL;
		j->array_max_running = j->array_task_count = 0;
		j->array_task_min = j->array_task_max = 0;
		j->array_task_step = 0;
		free(j->array_spec);
		j->array_spec = NULL;
	}
	j->state = JOB_PENDING;
	/* A held job without a dependency cannot start and changes nothing
	 * for the others: its reason is known, and no scheduling pass is
	 * needed for it (a pass walks every pending job: 20,000 held
	 * submissions made 20,000 passes).  With a dependency, the pass
	 * looks at it (blocked_reason()). */
	held = (j->flags & (JOB_F_HOLD_USER | JOB_F_HOLD_ADMIN)) &&
	    j->dependency == NULL;
	j->reason = !held ? WAIT_NO_REASON :
	    (j->flags & JOB_F_HOLD_ADMIN) ? WAIT_HELD : WAIT_HELD_USER;
	j->submit_time = now;
	j->start_time = j->end_time = 0;
	/* Slurm: EligibleTime is the begin time; unknown while held or
	 * waiting on a dependency (depend_update sets it when met). */
	j->eligible_time = (j->flags & (JOB_F_HOLD_USER | JOB_F_HOLD_ADMIN)) ||
	    j->dependency != NULL ? 0 : j->begin_time > now ? j->begin_time :
	    now;
	j->exit_status = 0;
	j->batch_state = JOB_NONE;
	j->kill_uid = NO_VAL;
	j->restarts = 0;
	set_priority(j, c->uid);
	free(j->nodelist);
	free(j->cpu_ids);
	free(j->gpu_ids);
	j->nodelist = j->cpu_ids = j->gpu_ids = NULL;

	rec = job_record(j);
	if (txn_begin() == -1 || store_job_insert(D->store, j, rec->b.data,
	    rec->b.len, d->script, d->env, d->argv, &cause) == -1) {
		log_warnx("submit: store: %s", cause ? cause : "no transaction");
		free(cause);
		/* A failed statement leaves the transaction (and the other
		 * requests staged in it) intact. */
		return NULL;
	}
	D->next_id++;
	dj = job_add(j);	/* takes j's strings */
	log_info("job=%u %s by uid %u: %s, %u CPUs, partition %s",
	    dj->j.id, (dj->j.flags & JOB_F_INTERACTIVE) ? "allocation asked" :
	    "submitted", (unsigned)c->uid, dj->j.name != NULL ? dj->j.name :
	    "(null)", dj->j.ncpus, dj->j.partition);
	if (!held)
		schedule_submitted(dj);
	return dj;
}

void
rpc_submit(struct client *c, struct msg *m)
{
	struct job_desc d;
	struct job *j;
	struct job_head h;
	struct job_more hm;
	struct djob *dj;
	uint32_t err;

	if (proto_job_desc_get(m, &d) == -1 || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	j = &d.job;
	if (j->flags & JOB_F_INTERACTIVE)
		err = BERTH_EINVAL;	/* that is MSG_ALLOC */
	else
		err = submit_prepare(c, &d);
	if (err != BERTH_OK) {
		log_info("submit from uid %u refused: %s", (unsigned)c->uid,
		    berth_strerror(err));
		client_error(c, err, NULL);
		goto out;
	}
	if (d.test_only) {
		int64_t when = schedule_test(j);

		if (when == -1) {
			client_error(c, BERTH_ENODE_CONFIG, NULL);
			goto out;
		}
		job_head_get(&h, &hm, j);
		reply_submitted(c, D->next_id, when, &h);
		goto out;
	}
	if ((dj = submit_insert(c, &d)) == NULL) {
		client_error(c, BERTH_EINTERNAL, NULL);
		goto out;
	}
	reply_submitted(c, dj->j.id, 0, &dj->j);
	/* Kept to the end of this iteration, for a start right away. */
	supervise_keep_data(dj->j.id, &d.script, &d.env, &d.argv);
out:
	job_desc_free(&d);
}
