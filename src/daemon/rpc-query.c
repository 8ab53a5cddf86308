/* SPDX-License-Identifier: MIT */
/*
 * Read-only requests: job lists for squeue/scontrol (from memory), the
 * accounting history for sacct (finished jobs from the store, active ones
 * from memory, in sacct's order), node/partition and
 * configuration records, ping; plus MSG_JOB_WAIT (sbatch -W) and
 * MSG_SHUTDOWN.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
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
matches(const struct job_head *j, const struct job_filter *f, uint32_t states,
    const uid_t *uids, uint32_t nuids)
{
	return (states & (1u << j->state)) &&
	    job_match_ids_uids(j, f, uids, nuids) &&
	    strv_match(f->names, j->name) &&
	    strv_match(f->partitions, j->partition);
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

/*
 * A job list reply.  For a client that takes parts (FILTER_F_PARTS), each
 * LIST_PART bytes of records go out at once as a MSG_JOB_LIST_PART frame,
 * so the client decodes them while the rest is built; the last records
 * are the MSG_JOB_LIST.
 */
#define LIST_PART	(128 * 1024)

struct list_out {
	struct client	*c;
	struct msg	 m;
	uint32_t	 n;
	bool		 parts;
};

static void
list_open(struct list_out *lo, struct client *c, bool parts)
{
	lo->c = c;
	lo->n = 0;
	lo->parts = parts;
	msg_init(&lo->m);
	proto_frame_open(&lo->m);
	msg_put_u32(&lo->m, 0);
}

/* A record was appended to lo->m. */
static void
list_added(struct list_out *lo)
{
	lo->n++;
	if (!lo->parts || lo->m.b.len < LIST_PART)
		return;
	put_count(&lo->m, PROTO_HDR_LEN, lo->n);
	client_reply_part(lo->c, MSG_JOB_LIST_PART, &lo->m);
	proto_frame_open(&lo->m);
	msg_put_u32(&lo->m, 0);
	lo->n = 0;
}

static void
list_close(struct list_out *lo)
{
	put_count(&lo->m, PROTO_HDR_LEN, lo->n);
	client_reply_frame(lo->c, MSG_JOB_LIST, &lo->m);
	msg_free(&lo->m);
}

static void
put_live(struct msg *m, const struct djob *dj, uint64_t omit)
{
	struct job j;	/* shallow: only start_time differs */

	djob_job(dj, &j);
	if (j.state == JOB_PENDING)
		j.start_time = dj->planned_start;
	proto_job_put_some(m, &j, omit);
}

void
rpc_job_query(struct client *c, struct msg *m)
{
	struct job_filter f;
	struct djob_list *lists[3] = { &D->pending, &D->running, &D->done };
	struct djob *dj;
	struct list_out lo;
	uid_t *uids = NULL;
	uint32_t nuids = 0, states;

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
	list_open(&lo, c, f.flags & FILTER_F_PARTS);
	if (!lo.parts)
		buf_reserve(&lo.m.b, (size_t)(D->npending + D->nrunning + 16) *
		    160);
	for (int l = 0; l < 3; l++) {
		if (l == 2 && (states & ~DEFAULT_STATES) == 0)
			break;
		TAILQ_FOREACH(dj, lists[l], entry) {
			if (!matches(&dj->j, &f, states, uids, nuids))
				continue;
			put_live(&lo.m, dj, f.omit);
			list_added(&lo);
		}
	}
	list_close(&lo);
out:
	free(uids);
	job_filter_free(&f);
}

/*
 * sacct's history (MSG_ACCT_QUERY): final jobs from the store, active
 * ones from memory (it has their live reason and planned start), merged
 * in id order.  The store's scan leaves out runs of consecutive active
 * ids (typically the latest submissions, queued or held), whose rows it
 * would read only to drop them.
 *
 * The records go out in sacct's order (acct_sort_jobs: by job id, an
 * array's records at its id, by task id), so that sacct can format them
 * as they arrive.  An array's records have ids from the array's own id
 * on, so only the id spans of arrays (from the store's array index)
 * need reordering: records with ids inside a span are held, then sent
 * sorted once the scan has passed it.
 */
struct live_ref {
	uint32_t	 id;
	bool		 match;		/* acct_matches() */
	struct djob	*dj;
};

struct held {
	uint32_t	 key;		/* array id, else job id */
	uint32_t	 task;		/* array task id, NO_VAL if none */
	uint32_t	 id;
	size_t		 off, len;	/* the record, in acct_out.hm */
};

struct acct_out {
	struct list_out	 lo;
	struct live_ref	*live;		/* active jobs by id; then matching */
	size_t		 live_len;	/* its mapping's length */
	size_t		 nlive;
	size_t		 next;		/* the first not sent yet */
	uint64_t	 omit;
	struct store_idrange *spans;	/* arrays' id spans, merged, by id */
	size_t		 nspans;
	size_t		 span;		/* the first the scan has not passed */
	struct msg	 hm;		/* records held in the current span */
	struct held	*held;
	size_t		 nheld;
	size_t		 heldcap;
};

#define SKIP_RUN_MIN	32	/* consecutive active ids worth a skip */
#define SKIP_MAX	64	/* skips at most (one index seek each) */

static int
live_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct live_ref *)a)->id;
	uint32_t y = ((const struct live_ref *)b)->id;

	return x < y ? -1 : x > y;
}

/* The store's WHERE (store-job.c query_where) applied to a job. */
static bool
acct_matches(const struct djob *dj, const struct job_filter *f,
    const uid_t *uids, uint32_t nuids)
{
	const struct job_head *j = &dj->j;
	int64_t end = DJ_END(dj)->end_time;

	if (f->states != 0 && (j->state >= 32 ||
	    !(f->states & (1u << j->state))))
		return false;
	if (f->start > 0 && end != 0 && end < f->start)
		return false;
	if (f->end > 0 && j->submit_time > f->end)
		return false;
	return job_match_ids_uids(j, f, uids, nuids) &&
	    strv_match(f->names, j->name) &&
	    strv_match(f->partitions, j->partition);
}

/*
 * Every active job, by id (the lists are mostly in id order already),
 * and whether it matches the filter.  The array is a mapping of its own
 * (*len long; 0: from the heap), unmapped after the query: in the heap
 * its pages (160 KB for 10,000 jobs) would stay in the daemon's RSS.
 */
static struct live_ref *
live_sorted(const struct job_filter *f, const uid_t *uids, uint32_t nuids,
    size_t *np, size_t *len)
{
	struct djob_list *lists[2] = { &D->pending, &D->running };
	struct live_ref *v;
	struct djob *dj;
	size_t n = 0;
	bool sorted = true;

	*len = ((size_t)D->npending + D->nrunning + 1) * sizeof *v;
	v = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (v == MAP_FAILED) {
		log_warn("mmap %zu bytes for the active jobs", *len);
		v = xmalloc(*len);	/* (then freed, not unmapped) */
		*len = 0;
	}
	for (int l = 0; l < 2; l++) {
		TAILQ_FOREACH(dj, lists[l], entry) {
			if (n == (size_t)D->npending + D->nrunning)
				break;	/* (never: the counts follow the lists) */
			v[n].id = dj->j.id;
			v[n].match = acct_matches(dj, f, uids, nuids);
			v[n].dj = dj;
			if (n > 0 && v[n - 1].id > v[n].id)
				sorted = false;
			n++;
		}
	}
	if (!sorted)
		qsort(v, n, sizeof *v, live_cmp);
	*np = n;
	return v;
}

static int
range_longer(const void *a, const void *b)
{
	const struct store_idrange *x = a, *y = b;
	uint32_t lx = x->hi - x->lo, ly = y->hi - y->lo;

	return lx > ly ? -1 : lx < ly;
}

static int
range_lower(const void *a, const void *b)
{
	const struct store_idrange *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The runs of at least SKIP_RUN_MIN consecutive ids in v, the longest
 * SKIP_MAX of them, by id. */
static struct store_idrange *
skip_runs(const struct live_ref *v, size_t n, size_t *nskip)
{
	struct store_idrange *r = NULL;
	size_t k = 0, e;

	for (size_t i = 0; i < n; i = e + 1) {
		for (e = i; e + 1 < n && v[e + 1].id == v[e].id + 1; e++)
			;
		if (e - i + 1 >= SKIP_RUN_MIN) {
			r = xreallocarray(r, k + 1, sizeof *r);
			r[k].lo = v[i].id;
			r[k].hi = v[e].id;
			k++;
		}
	}
	if (k > SKIP_MAX) {
		qsort(r, k, sizeof *r, range_longer);
		k = SKIP_MAX;
		qsort(r, k, sizeof *r, range_lower);
	}
	*nskip = k;
	return r;
}

static int
held_cmp(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->task != y->task)
		return x->task < y->task ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Send the held records in sacct's order. */
static void
acct_flush_held(struct acct_out *ao)
{
	const struct held *h;

	if (ao->nheld == 0)
		return;
	qsort(ao->held, ao->nheld, sizeof *ao->held, held_cmp);
	for (size_t i = 0; i < ao->nheld; i++) {
		h = &ao->held[i];
		buf_add(&ao->lo.m.b, ao->hm.b.data + h->off, h->len);
		list_added(&ao->lo);
	}
	ao->nheld = 0;
	buf_reset(&ao->hm.b);
}

/*
 * The record of job id (array aid, task) goes out next, from the store
 * (rec, len) or from memory (dj): at once, or held while id is inside an
 * array's span.
 */
static void
acct_put(struct acct_out *ao, uint32_t id, uint32_t aid, uint32_t task,
    const void *rec, size_t len, const struct djob *dj)
{
	struct held *h;
	size_t at;

	while (ao->span < ao->nspans && ao->spans[ao->span].hi < id) {
		acct_flush_held(ao);
		ao->span++;
	}
	if (ao->span == ao->nspans || id < ao->spans[ao->span].lo) {
		if (dj != NULL)
			put_live(&ao->lo.m, dj, ao->omit);
		else
			buf_add(&ao->lo.m.b, rec, len);
		list_added(&ao->lo);
		return;
	}
	at = ao->hm.b.len;
	if (dj != NULL)
		put_live(&ao->hm, dj, ao->omit);
	else
		buf_add(&ao->hm.b, rec, len);
	if (ao->nheld == ao->heldcap) {
		ao->heldcap = ao->heldcap * 2 + 64;
		ao->held = xreallocarray(ao->held, ao->heldcap,
		    sizeof *ao->held);
	}
	h = &ao->held[ao->nheld++];
	h->key = aid != 0 ? aid : id;
	h->task = task;
	h->id = id;
	h->off = at;
	h->len = ao->hm.b.len - at;
}

/* Send the active jobs with ids below id. */
static void
acct_live_below(struct acct_out *ao, uint64_t id)
{
	const struct djob *dj;

	while (ao->next < ao->nlive && ao->live[ao->next].id < id) {
		dj = ao->live[ao->next].dj;
		acct_put(ao, dj->j.id, dj->j.array_job_id,
		    dj->j.array_task_id, NULL, 0, dj);
		ao->next++;
	}
}

static void
acct_cb(void *arg, uint32_t id, uint32_t state, uint32_t aid, uint32_t task,
    const void *rec, size_t len, struct job *j)
{
	struct acct_out *ao = arg;
	struct msg one;

	/* Active jobs come from memory (acct_live_below). */
	if (!job_state_is_final(state))
		return;
	acct_live_below(ao, id);
	if (rec != NULL)
		acct_put(ao, id, aid, task, rec, len, NULL);
	else if (j != NULL) {
		msg_init(&one);
		proto_job_put(&one, j);
		acct_put(ao, id, aid, task, one.b.data, one.b.len, NULL);
		msg_free(&one);
		job_free(j);
		free(j);
	}
}

/* The arrays' spans, overlapping ones merged; none if the store fails
 * (then the records go in id order, and sacct sorts them). */
static void
acct_spans(struct acct_out *ao)
{
	struct store_idrange *v;
	size_t n, k = 0;
	char *cause = NULL;

	if (store_array_spans(D->store, &v, &n, &cause) == -1) {
		log_warnx("acct query: %s", cause);
		free(cause);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && v[i].lo <= v[k - 1].hi) {
			if (v[i].hi > v[k - 1].hi)
				v[k - 1].hi = v[i].hi;
		} else
			v[k++] = v[i];
	}
	ao->spans = v;
	ao->nspans = k;
}

void
rpc_acct_query(struct client *c, struct msg *m)
{
	struct job_filter f;
	struct acct_out ao;
	struct store_idrange *skip = NULL;
	size_t nskip = 0, n = 0;
	uid_t *uids = NULL;
	uint32_t nuids = 0;
	char *cause = NULL;
	int rc = 0;

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
	/*
	 * A long listing outruns the client: with the socket's default
	 * buffer (208 KB) most parts would be copied into c->out to wait.
	 * Let the kernel hold them instead (capped by net.core.wmem_max).
	 */
	if (f.flags & FILTER_F_PARTS && setsockopt(c->fd, SOL_SOCKET,
	    SO_SNDBUF, &(int){ 1024 * 1024 }, sizeof(int)) == -1)
		log_warn("setsockopt SO_SNDBUF client pid %ld", (long)c->pid);
	memset(&ao, 0, sizeof ao);
	msg_init(&ao.hm);
	ao.omit = f.omit;
	acct_spans(&ao);
	ao.live = live_sorted(&f, uids, nuids, &ao.nlive, &ao.live_len);
	skip = skip_runs(ao.live, ao.nlive, &nskip);
	for (size_t i = 0; i < ao.nlive; i++)
		if (ao.live[i].match)
			ao.live[n++] = ao.live[i];
	ao.nlive = n;
	list_open(&ao.lo, c, f.flags & FILTER_F_PARTS);
	/* Only active states asked for: the store has nothing to add. */
	if (f.states == 0 || (f.states & ~DEFAULT_STATES) != 0)
		rc = store_recs_query(D->store, &f, uids, nuids, skip, nskip,
		    acct_cb, &ao, &cause);
	if (rc == -1) {
		log_warnx("acct query: %s", cause);
		free(cause);
		msg_free(&ao.lo.m);
		client_error(c, BERTH_EINTERNAL, NULL);
	} else {
		acct_live_below(&ao, UINT64_MAX);
		acct_flush_held(&ao);
		list_close(&ao.lo);
	}
	if (ao.live_len == 0)
		free(ao.live);
	else if (munmap(ao.live, ao.live_len) == -1)
		log_warn("munmap the active jobs");
	free(ao.spans);
	free(ao.held);
	msg_free(&ao.hm);
	free(skip);
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
	n.gpu_type = D->conf.gpu_type;
	TAILQ_FOREACH(dj, &D->running, entry) {
		n.alloc_cpus += dj->j.ncpus;
		n.alloc_mem_mb += job_head_mem_node(&dj->j);
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
		p.max_cpus_per_node = pc->max_cpus_per_node;
		p.max_mem_per_node = pc->max_mem_per_node;
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
	kv(&out, &n, "DependencyParameters", "%s", cf->kill_invalid_depend ?
	    "kill_invalid_depend" : "(null)");
	kv(&out, &n, "EnforcePartLimits", "%s", cf->enforce_part_limits == 2 ?
	    "ALL" : cf->enforce_part_limits == 1 ? "ANY" : "NO");
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

/* The worst ended record of a job or of an array's tasks (wait_worst). */
struct worst {
	uint32_t	 n;		/* records seen */
	uint32_t	 id;		/* 0: none ended yet */
	uint32_t	 state;
	int32_t		 status;
	int		 code;
};

static void
worst_cb(void *arg, struct job *j)
{
	struct worst *w = arg;
	int code;

	w->n++;
	if (job_state_is_final(j->state)) {
		code = job_wait_code(j->state, j->exit_status);
		if (w->id == 0 || code > w->code) {
			w->id = j->id;
			w->state = j->state;
			w->status = j->exit_status;
			w->code = code;
		}
	}
	job_free(j);
	free(j);
}

/*
 * Job id's record, or for an array every record of its tasks, from the
 * store (which holds this iteration's changes too, and the jobs memory
 * has forgotten): w->n is how many, w->id the one ended worst.
 */
static void
wait_worst(uint32_t id, struct worst *w)
{
	struct job_filter f;
	char *cause = NULL;

	memset(w, 0, sizeof *w);
	memset(&f, 0, sizeof f);
	f.ids = &id;
	f.nids = 1;
	if (store_jobs_query(D->store, &f, NULL, 0, worst_cb, w,
	    &cause) == -1) {
		log_warnx("job wait: job=%u: %s", id, cause);
		free(cause);
	}
}

static void
wait_reply(struct client *c, uint32_t id, const struct worst *w)
{
	struct msg out;

	msg_init(&out);
	msg_put_u32(&out, id);
	msg_put_u32(&out, w->state);
	msg_put_u32(&out, (uint32_t)w->status);
	client_reply(c, MSG_JOB_DONE, &out);
	msg_free(&out);
}

/*
 * sbatch -W.  A job still to end: the client is answered by
 * job_notify_waiters when it does.  An array is waited for until no task
 * is left; the tasks that ended before the wait began are not lost: the
 * worst of them is sent at once (under another id than the array's, so
 * the client keeps waiting), and an array already over is answered with
 * its worst task, as Slurm's sbatch takes the highest exit code of all.
 */
void
rpc_job_wait(struct client *c, struct msg *m)
{
	uint32_t id = msg_get_u32(m);
	struct djob *dj;
	struct worst w;
	bool array, live;

	if (msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	dj = job_find(id);
	array = dj == NULL || dj->j.array_job_id == id;
	live = (dj != NULL && !job_state_is_final(dj->j.state)) ||
	    (array && job_array_live(id, NULL));
	if (live && !array) {
		c->wait_job = id;	/* answered by job_notify_waiters */
		return;
	}
	wait_worst(id, &w);
	if (w.n == 0) {
		client_error(c, BERTH_EINVALID_JOB, NULL);
		return;
	}
	if (!live) {
		wait_reply(c, id, &w);
		return;
	}
	if (w.id != 0)
		wait_reply(c, w.id != id ? w.id : 0, &w);
	c->wait_job = id;
}
