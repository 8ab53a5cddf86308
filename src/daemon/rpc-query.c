/* SPDX-License-Identifier: MIT */
/*
 * Read-only requests: job lists for squeue/scontrol (from memory), the
 * accounting history for sacct (from the store), node/partition and
 * configuration records, ping; plus MSG_JOB_WAIT (sbatch -W) and
 * MSG_SHUTDOWN.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "../proto/proto.h"
#include "../resource/resource.h"
#include "daemon.h"

#define DEFAULT_STATES	((1u << JOB_PENDING) | (1u << JOB_RUNNING) | \
	(1u << JOB_SUSPENDED))

void
rpc_ping(struct client *c, struct msg *m)
{
	if (msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	client_reply(c, MSG_OK, NULL);
}

void
rpc_shutdown(struct client *c, struct msg *m)
{
	if (msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	log_info("shutdown requested by uid %u", (unsigned)c->uid);
	D->quit = true;
	client_reply(c, MSG_OK, NULL);
}

/* Resolve user names/uids of a filter; -1 if one is unknown. */
static int
filter_uids(char **users, uid_t **uids, uint32_t *n)
{
	size_t cnt = strv_len(users);

	*uids = xcalloc(cnt + 1, sizeof **uids);
	*n = 0;
	for (size_t i = 0; i < cnt; i++) {
		if (user_parse(users[i], &(*uids)[*n]) == -1)
			return -1;
		(*n)++;
	}
	return 0;
}

static bool
matches(const struct job *j, const struct job_filter *f, uint32_t states,
    const uid_t *uids, uint32_t nuids)
{
	bool ok;

	if (!(states & (1u << j->state)))
		return false;
	if (f->nids > 0) {
		ok = false;
		for (uint32_t i = 0; i < f->nids && !ok; i++)
			ok = f->ids[i] == j->id ||
			    (j->array_job_id != 0 &&
			    f->ids[i] == j->array_job_id);
		if (!ok)
			return false;
	}
	if (nuids > 0) {
		ok = false;
		for (uint32_t i = 0; i < nuids && !ok; i++)
			ok = uids[i] == j->uid;
		if (!ok)
			return false;
	}
	return strv_match(f->names, j->name) && strv_match(f->partitions,
	    j->partition);
}

static void
put_count(struct msg *m, size_t at, uint32_t n)
{
	uint8_t *p = (uint8_t *)m->b.data + at;

	p[0] = n;
	p[1] = n >> 8;
	p[2] = n >> 16;
	p[3] = n >> 24;
}

static void
put_live(struct msg *m, const struct djob *dj)
{
	struct job j = dj->j;	/* shallow: only start_time differs */

	if (j.state == JOB_PENDING)
		j.start_time = dj->planned_start;
	proto_job_put(m, &j);
}

void
rpc_job_query(struct client *c, struct msg *m)
{
	struct job_filter f;
	struct djob_list *lists[3] = { &D->pending, &D->running, &D->done };
	struct djob *dj;
	struct msg out;
	uid_t *uids = NULL;
	uint32_t nuids = 0, n = 0, states;

	if (proto_filter_get(m, &f) == -1 || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	if (filter_uids(f.users, &uids, &nuids) == -1) {
		client_error(c, BERTH_EUSER, NULL);
		goto out;
	}
	states = (f.flags & FILTER_F_ALL_STATES) ? ~0u :
	    f.states != 0 ? f.states : DEFAULT_STATES;
	msg_init(&out);
	proto_frame_open(&out);
	buf_reserve(&out.b, (size_t)(D->npending + D->nrunning + 16) * 320);
	msg_put_u32(&out, 0);
	for (int l = 0; l < 3; l++) {
		if (l == 2 && (states & ~DEFAULT_STATES) == 0)
			break;
		TAILQ_FOREACH(dj, lists[l], entry) {
			if (!matches(&dj->j, &f, states, uids, nuids))
				continue;
			put_live(&out, dj);
			n++;
		}
	}
	put_count(&out, PROTO_HDR_LEN, n);
	client_reply_frame(c, MSG_JOB_LIST, &out);
	msg_free(&out);
out:
	free(uids);
	job_filter_free(&f);
}

struct acct_ctx {
	struct msg	*out;
	uint32_t	 n;
};

static void
acct_cb(void *arg, uint32_t id, uint32_t state, const void *rec, size_t len,
    struct job *j)
{
	struct acct_ctx *a = arg;
	struct djob *dj;

	/* Memory has the live details (reason, planned start). */
	if (!job_state_is_final(state) && (dj = job_find(id)) != NULL)
		put_live(a->out, dj);
	else if (rec != NULL)
		buf_add(&a->out->b, rec, len);	/* stored wire record */
	else if (j != NULL)
		proto_job_put(a->out, j);
	else
		return;
	a->n++;
	if (j != NULL) {
		job_free(j);
		free(j);
	}
}

void
rpc_acct_query(struct client *c, struct msg *m)
{
	struct job_filter f;
	struct acct_ctx a;
	struct msg out;
	uid_t *uids = NULL;
	uint32_t nuids = 0;
	char *cause = NULL;

	if (proto_filter_get(m, &f) == -1 || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	if (filter_uids(f.users, &uids, &nuids) == -1) {
		client_error(c, BERTH_EUSER, NULL);
		goto out;
	}
	/* Like Slurm, ordinary users see their own jobs by default. */
	if (nuids == 0 && !(f.flags & FILTER_F_ALL_USERS) && c->uid != 0 &&
	    c->uid != getuid()) {
		uids[0] = c->uid;
		nuids = 1;
	}
	msg_init(&out);
	proto_frame_open(&out);
	msg_put_u32(&out, 0);
	a.out = &out;
	a.n = 0;
	if (store_recs_query(D->store, &f, uids, nuids, acct_cb, &a,
	    &cause) == -1) {
		log_warnx("acct query: %s", cause);
		free(cause);
		client_error(c, BERTH_EINTERNAL, NULL);
	} else {
		put_count(&out, PROTO_HDR_LEN, a.n);
		client_reply_frame(c, MSG_JOB_LIST, &out);
	}
	msg_free(&out);
out:
	free(uids);
	job_filter_free(&f);
}

void
rpc_node_query(struct client *c, struct msg *m)
{
	struct node_info n;
	struct part_info p;
	struct djob *dj;
	struct msg out;
	struct utsname un;
	struct sysinfo si;
	uint64_t total = 0, avail = 0;
	char *cause = NULL;
	struct buf parts;

	if (msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	memset(&n, 0, sizeof n);
	n.name = D->conf.node_name;
	n.cpus = D->conf.cpus;
	n.real_mem_mb = D->conf.real_mem_mb;
	n.gpus = D->conf.gpus;
	TAILQ_FOREACH(dj, &D->running, entry) {
		n.alloc_cpus += dj->j.ncpus;
		n.alloc_mem_mb += job_mem_total(&dj->j);
		n.alloc_gpus += dj->j.gpus;
	}
	if (detect_memory(&total, &avail, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
	}
	n.free_mem_mb = avail;
	n.sockets = D->conf.sockets;
	n.cores_per_socket = D->conf.cores_per_socket;
	n.threads_per_core = D->conf.threads_per_core;
	n.load_x100 = detect_load_x100();
	n.features = D->conf.features;
	if (uname(&un) == 0) {
		n.arch = xstrdup(un.machine);
		n.os = xprintf("%s %s %s", un.sysname, un.release, un.version);
	}
	n.state = (char *)(uintptr_t)(n.alloc_cpus == 0 ? "IDLE" :
	    n.alloc_cpus >= n.cpus ? "ALLOCATED" : "MIXED");
	buf_init(&parts);
	for (uint32_t i = 0; i < D->conf.nparts; i++)
		buf_printf(&parts, "%s%s", i ? "," : "", D->conf.parts[i].name);
	n.partitions = parts.data;
	if (sysinfo(&si) == 0)
		n.boot_time = now_sec() - si.uptime;
	n.start_time = D->start_time;

	msg_init(&out);
	proto_node_put(&out, &n);
	msg_put_u32(&out, D->conf.nparts);
	for (uint32_t i = 0; i < D->conf.nparts; i++) {
		const struct part_conf *pc = &D->conf.parts[i];

		memset(&p, 0, sizeof p);
		p.name = pc->name;
		p.is_default = i == D->conf.default_part;
		p.state_up = (uint8_t)pc->state;
		p.max_time = pc->max_time;
		p.default_time = pc->default_time;
		p.max_nodes = pc->max_nodes;
		p.priority_tier = pc->priority_tier;
		p.total_cpus = D->conf.cpus;
		p.nodes = D->conf.node_name;
		p.allow_groups = pc->allow_groups;
		p.allow_accounts = pc->allow_accounts;
		p.priority_job_factor = pc->priority_job_factor;
		p.hidden = !part_group_ok(pc, c->uid);
		proto_part_put(&out, &p);
	}
	client_reply(c, MSG_NODE_INFO, &out);
	msg_free(&out);
	buf_free(&parts);
	free(n.arch);
	free(n.os);
}

static void
kv(struct msg *m, uint32_t *n, const char *k, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
kv(struct msg *m, uint32_t *n, const char *k, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	xvasprintf(&v, fmt, ap);
	va_end(ap);
	msg_put_str(m, k);
	msg_put_str(m, v);
	free(v);
	(*n)++;
}

void
rpc_config_query(struct client *c, struct msg *m)
{
	struct msg out;
	uint32_t n = 0;
	const struct berth_conf *cf = &D->conf;

	if (msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	msg_init(&out);
	msg_put_u32(&out, 0);
	/* Slurm's names, in Slurm's (alphabetical) order. */
	kv(&out, &n, "AccountingStorageType", "accounting_storage/berth");
	kv(&out, &n, "BOOT_TIME", "%lld", (long long)D->start_time);
	kv(&out, &n, "ClusterName", "%s", cf->cluster_name);
	kv(&out, &n, "DefMemPerCPU", "%llu",
	    (unsigned long long)cf->def_mem_per_cpu);
	kv(&out, &n, "FirstJobId", "%u", cf->first_job_id);
	kv(&out, &n, "JobAcctGatherType", "jobacct_gather/berth");
	kv(&out, &n, "JobRequeue", "%u", cf->job_requeue);
	kv(&out, &n, "KillWait", "%u sec", cf->kill_wait);
	kv(&out, &n, "MaxArraySize", "%u", cf->max_array_size);
	kv(&out, &n, "MaxJobCount", "%u", cf->max_job_count);
	kv(&out, &n, "MinJobAge", "%u sec", cf->min_job_age);
	kv(&out, &n, "NEXT_JOB_ID", "%u", D->next_id);
	if (cf->prio_multifactor) {
		/* Slurm's secs2time_str: [D-]HH:MM:SS. */
		uint32_t t[3] = { cf->prio_calc_period, cf->prio_half_life,
		    cf->prio_max_age };
		char v[3][32];

		for (int i = 0; i < 3; i++) {
			if (t[i] >= 24 * 60)
				snprintf(v[i], sizeof v[i], "%u-%02u:%02u:00",
				    t[i] / 1440, t[i] / 60 % 24, t[i] % 60);
			else
				snprintf(v[i], sizeof v[i], "%02u:%02u:00",
				    t[i] / 60, t[i] % 60);
		}
		kv(&out, &n, "PriorityCalcPeriod", "%s", v[0]);
		kv(&out, &n, "PriorityDecayHalfLife", "%s", v[1]);
		kv(&out, &n, "PriorityFavorSmall", "%s",
		    cf->prio_favor_small ? "Yes" : "No");
		kv(&out, &n, "PriorityMaxAge", "%s", v[2]);
		kv(&out, &n, "PriorityType", "priority/multifactor");
		kv(&out, &n, "PriorityWeightAge", "%u", cf->prio_w_age);
		kv(&out, &n, "PriorityWeightFairShare", "%u", cf->prio_w_fs);
		kv(&out, &n, "PriorityWeightJobSize", "%u", cf->prio_w_js);
		kv(&out, &n, "PriorityWeightPartition", "%u",
		    cf->prio_w_part);
		kv(&out, &n, "PriorityWeightQOS", "%u", cf->prio_w_qos);
	} else
		kv(&out, &n, "PriorityType", "priority/basic");
	kv(&out, &n, "ProctrackType", "proctrack/pgid");
	kv(&out, &n, "SchedulerType", "sched/backfill");
	kv(&out, &n, "SelectType", "select/cons_tres");
	kv(&out, &n, "SelectTypeParameters", "CR_CORE_MEMORY");
	kv(&out, &n, "SLURM_CONF", "%s", D->conf_path);
	kv(&out, &n, "SLURM_VERSION", "22.05.8");
	kv(&out, &n, "SlurmctldHost[0]", "%s", cf->node_name);
	kv(&out, &n, "StateSaveLocation", "%s", D->state_dir);
	kv(&out, &n, "TaskPlugin", "task/affinity");
	put_count(&out, 0, n);
	client_reply(c, MSG_KV_LIST, &out);
	msg_free(&out);
}

static void
wait_cb(void *arg, struct job *j)
{
	struct job *found = arg;

	if (found->id == 0)
		*found = *j;
	else
		job_free(j);
	free(j);
}

void
rpc_job_wait(struct client *c, struct msg *m)
{
	uint32_t id = msg_get_u32(m);
	struct djob *dj;
	struct job_filter f;
	struct job found;
	struct msg out;
	char *cause = NULL;

	if (msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	if ((dj = job_find(id)) != NULL && (!job_state_is_final(dj->j.state) ||
	    (dj->j.array_job_id == id && job_array_live(id, dj)))) {
		if (dj->j.array_job_id == id)
			job_notify_ended_tasks(c, id, NULL);
		c->wait_job = id;	/* answered by job_notify_waiters */
		return;
	}
	memset(&found, 0, sizeof found);
	if (dj != NULL && dj->j.array_job_id == id)
		job_notify_ended_tasks(c, id, dj);
	if (dj != NULL)
		job_copy(&found, &dj->j);
	else {
		memset(&f, 0, sizeof f);
		f.ids = &id;
		f.nids = 1;
		if (store_jobs_query(D->store, &f, NULL, 0, wait_cb, &found,
		    &cause) == -1) {
			log_warnx("job wait: %s", cause);
			free(cause);
		}
	}
	if (found.id != id) {
		job_free(&found);
		client_error(c, BERTH_EINVALID_JOB, NULL);
		return;
	}
	msg_init(&out);
	msg_put_u32(&out, found.id);
	msg_put_u32(&out, found.state);
	msg_put_u32(&out, (uint32_t)found.exit_status);
	client_reply(c, MSG_JOB_DONE, &out);
	msg_free(&out);
	job_free(&found);
}
