/* SPDX-License-Identifier: MIT */
/*
 * Job priorities: Slurm's priority/basic (later jobs lower; the default,
 * as in Slurm 22.05) or priority/multifactor (PriorityType in berth.conf),
 * whose arithmetic lives in the pure module src/sched/prio.c.  This file
 * keeps what that arithmetic needs: the users' fair-share usage, durable
 * in the store (usage table), charged when a job stops running with its
 * CPUs x elapsed seconds and decayed with PriorityDecayHalfLife.
 *
 * When priorities are recomputed: a new, released or re-niced job gets its
 * own at once; every pending job's priority is recomputed at the next
 * scheduling pass after a job end (usage changed) or a reconfiguration,
 * when sprio asks (so sprio's numbers are the ones squeue and scontrol
 * show), and every PriorityCalcPeriod (age grows) through the daemon's one
 * wall-clock timer (the pass notes the deadline in D->next_begin).  There
 * is no polling loop.  Recomputed priorities are not written to the store
 * (10,000 row updates per period); a restarted daemon recomputes them.
 *
 * A priority set explicitly (scontrol update Priority=, scontrol top) is
 * fixed, as Slurm's direct_set_prio: never recomputed, shown by sprio with
 * zero factors.  Held jobs have priority 0 and are left alone.
 *
 * Fair share with equal shares: the users sharing are those with usage on
 * record plus those with pending jobs; S = 1 / their number.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "../proto/prio.h"
#include "../proto/proto.h"
#include "../sched/prio.h"
#include "daemon.h"
#include "schedule.h"

struct prio_user {
	uint32_t	 uid;
	double		 usage;		/* CPU-seconds decayed to stamp */
	int64_t		 stamp;
	double		 fs;		/* factor at the last recomputation */
	bool		 pending;	/* has pending jobs (fairshare_all) */
};

struct prio_state {
	struct prio_user *users;
	uint32_t	 nusers;
	uint32_t	 cap;
	int64_t		 last_calc;	/* 0: never */
	bool		 dirty;
	bool		 multifactor;	/* PriorityType of the last update */
};

static struct prio_user *
user_get(uint32_t uid)
{
	struct prio_state *ps = D->prio;
	struct prio_user *u;

	for (uint32_t i = 0; i < ps->nusers; i++)
		if (ps->users[i].uid == uid)
			return &ps->users[i];
	if (ps->nusers == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 16;
		ps->users = xreallocarray(ps->users, ps->cap,
		    sizeof *ps->users);
	}
	u = &ps->users[ps->nusers++];
	memset(u, 0, sizeof *u);
	u->uid = uid;
	u->fs = 1.0;
	return u;
}

static void
load_cb(void *arg, uint32_t uid, double usage, int64_t stamp)
{
	struct prio_user *u = user_get(uid);

	(void)arg;
	u->usage = usage;
	u->stamp = stamp;
}

void
prio_init(void)
{
	char *cause = NULL;

	D->prio = xcalloc(1, sizeof *D->prio);
	D->prio->dirty = true;
	D->prio->multifactor = D->conf.prio_multifactor != 0;
	if (store_usage_load(D->store, load_cb, NULL, &cause) == -1)
		fatalx("load usage: %s", cause);
}

void
prio_free(void)
{
	if (D->prio == NULL)
		return;
	free(D->prio->users);
	free(D->prio);
	D->prio = NULL;
}

void
prio_dirty(void)
{
	if (D->prio != NULL)
		D->prio->dirty = true;
}

static uint32_t
half_life(void)
{
	return D->conf.prio_half_life * 60;
}

/* A job stops running: charge its owner CPUs x elapsed (multifactor). */
void
prio_charge(struct djob *dj, int64_t now)
{
	const struct job_head *j = &dj->j;
	const struct job_end *e = DJ_END(dj);
	struct prio_user *u;
	int64_t end, secs;
	char *cause = NULL;

	if (!D->conf.prio_multifactor || D->prio == NULL ||
	    e->start_time == 0)
		return;
	end = e->end_time != 0 ? e->end_time : now;
	secs = end > e->start_time ? end - e->start_time : 0;
	u = user_get(j->uid);
	u->usage = prio_decay(u->usage, now - u->stamp, half_life()) +
	    (double)j->ncpus * (double)secs;
	u->stamp = now;
	D->prio->dirty = true;
	if (txn_begin() == -1 || store_usage_put(D->store, u->uid, u->usage,
	    u->stamp, &cause) == -1) {
		log_warnx("job=%u: usage of uid %u: %s", j->id, u->uid,
		    cause != NULL ? cause : "no transaction");
		free(cause);
	}
}

static void
make_conf(struct prio_conf *pc)
{
	const struct berth_conf *cf = &D->conf;

	memset(pc, 0, sizeof *pc);
	pc->w_age = cf->prio_w_age;
	pc->w_fs = cf->prio_w_fs;
	pc->w_js = cf->prio_w_js;
	pc->w_part = cf->prio_w_part;
	pc->w_qos = cf->prio_w_qos;
	pc->max_age = cf->prio_max_age * 60;
	pc->favor_small = cf->prio_favor_small;
	pc->node_cpus = cf->cpus;
	for (uint32_t i = 0; i < cf->nparts; i++)
		if (cf->parts[i].priority_job_factor > pc->max_part_factor)
			pc->max_part_factor = cf->parts[i].priority_job_factor;
}

/* The fair-share factor of every known user at now. */
static void
fairshare_all(int64_t now)
{
	struct prio_state *ps = D->prio;
	struct djob *dj;
	uint32_t last = UINT32_MAX, nusers = 0;
	double total = 0;

	for (uint32_t i = 0; i < ps->nusers; i++)
		ps->users[i].pending = false;
	TAILQ_FOREACH(dj, &D->pending, entry) {
		if (dj->j.uid != last)	/* runs of one user's jobs are usual */
			user_get(dj->j.uid)->pending = true;
		last = dj->j.uid;
	}
	/* Those sharing: users with usage on record or pending jobs. */
	for (uint32_t i = 0; i < ps->nusers; i++) {
		if (ps->users[i].usage > 0 || ps->users[i].pending)
			nusers++;
		total += prio_decay(ps->users[i].usage,
		    now - ps->users[i].stamp, half_life());
	}
	for (uint32_t i = 0; i < ps->nusers; i++) {
		struct prio_user *u = &ps->users[i];

		u->fs = prio_fairshare(prio_decay(u->usage, now - u->stamp,
		    half_life()), total, nusers);
	}
}

static void
fill_job(struct prio_job *pj, const struct job_head *j, double fs)
{
	int p = conf_find_part(&D->conf, j->partition);

	memset(pj, 0, sizeof *pj);
	pj->eligible = j->eligible_time;
	pj->ncpus = j->ncpus;
	pj->min_nodes = j->min_nodes;
	pj->part_factor = p >= 0 ? D->conf.parts[p].priority_job_factor : 0;
	pj->fairshare = fs;
	pj->nice = j->nice;
}

/* Does the job's priority follow the factors? */
static bool
computed(const struct job_head *j)
{
	return !(j->flags & (JOB_F_PRIO_SET | JOB_F_HOLD_USER |
	    JOB_F_HOLD_ADMIN)) && j->priority != 0;
}

/* priority/multifactor: one job's priority now (submit, release, nice). */
uint32_t
prio_job_priority(const struct job_head *j, int64_t now)
{
	struct prio_conf pc;
	struct prio_job pj;
	struct prio_factors f;
	struct prio_user *u = user_get(j->uid);

	make_conf(&pc);
	fill_job(&pj, j, u->fs);
	return prio_compute(&pc, &pj, now, &f);
}

static void
recalc(int64_t now)
{
	struct prio_conf pc;
	struct prio_job pj;
	struct prio_factors f;
	struct prio_user *u = NULL;
	struct djob *dj;

	make_conf(&pc);
	fairshare_all(now);
	TAILQ_FOREACH(dj, &D->pending, entry) {
		struct job_head *j = &dj->j;

		if (!computed(j))
			continue;
		if (u == NULL || u->uid != j->uid)
			u = user_get(j->uid);
		fill_job(&pj, j, u->fs);
		j->priority = prio_compute(&pc, &pj, now, &f);
	}
	D->prio->last_calc = now;
	D->prio->dirty = false;
}

/*
 * From schedule(), before the pass: recompute when something changed or
 * PriorityCalcPeriod has passed, and ask the timer for the next period.
 */
void
prio_update(int64_t now)
{
	struct prio_state *ps = D->prio;
	struct djob *dj;
	int64_t period, wake;

	if (ps == NULL)
		return;
	/* PriorityType changed by a reconfiguration: back to basic, the
	 * computed priorities become submission order again. */
	if (ps->multifactor != (D->conf.prio_multifactor != 0)) {
		ps->multifactor = D->conf.prio_multifactor != 0;
		ps->dirty = true;
		if (!ps->multifactor)
			TAILQ_FOREACH(dj, &D->pending, entry)
				if (computed(&dj->j))
					dj->j.priority =
					    job_base_priority(&dj->j);
	}
	if (!ps->multifactor)
		return;
	period = D->conf.prio_calc_period > 0 ?
	    (int64_t)D->conf.prio_calc_period * 60 : 60;
	if (ps->dirty || now >= ps->last_calc + period)
		recalc(now);
	if (D->conf.prio_w_age == 0 && D->conf.prio_w_fs == 0)
		return;		/* nothing changes with time alone */
	wake = ps->last_calc + period;
	if (D->next_begin == 0 || wake < D->next_begin)
		D->next_begin = wake;
}

/* sprio: pending, eligible, not held (Slurm's priority factors list). */
static bool
listed(const struct job_head *j, const struct job_filter *f, const uid_t *uids,
    uint32_t nuids, int64_t now)
{
	if (j->state != JOB_PENDING || j->priority == 0 ||
	    j->eligible_time == 0 || j->eligible_time > now)
		return false;
	return job_match_ids_uids(j, f, uids, nuids) &&
	    strv_match(f->partitions, j->partition);
}

void
rpc_prio_query(struct client *c, struct msg *m)
{
	const struct berth_conf *cf = &D->conf;
	struct job_filter f;
	struct prio_conf pc;
	struct prio_job pj;
	struct prio_factors fa;
	struct prio_row r;
	struct djob *dj;
	struct msg out;
	uid_t *uids;
	uint32_t nuids = 0, n = 0;
	size_t at, cnt;
	int64_t now = now_sec();

	if (proto_filter_get(m, &f) == -1 || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	/* Unknown users were reported by the client; they match nothing. */
	cnt = strv_len(f.users);
	uids = xcalloc(cnt + 1, sizeof *uids);
	for (size_t i = 0; i < cnt; i++)
		if (user_parse(f.users[i], &uids[nuids]) == 0)
			nuids++;
	msg_init(&out);
	msg_put_u8(&out, cf->prio_multifactor != 0);
	msg_put_u32(&out, cf->prio_w_age);
	msg_put_u32(&out, cf->prio_w_fs);
	msg_put_u32(&out, cf->prio_w_js);
	msg_put_u32(&out, cf->prio_w_part);
	msg_put_u32(&out, cf->prio_w_qos);
	at = out.b.len;
	msg_put_u32(&out, 0);
	if (cf->prio_multifactor) {
		/* Fresh numbers, the same squeue and scontrol show next. */
		recalc(now);
		schedule_changed();
		make_conf(&pc);
		TAILQ_FOREACH(dj, &D->pending, entry) {
			const struct job_head *j = &dj->j;

			if ((cnt > 0 && nuids == 0) ||
			    !listed(j, &f, uids, nuids, now))
				continue;
			memset(&r, 0, sizeof r);
			r.id = j->id;
			r.uid = j->uid;
			r.user = xstrdup(user_name(j->uid));
			r.partition = j->partition;
			r.priority = j->priority;
			if (j->flags & JOB_F_PRIO_SET)
				r.fixed = true;
			else {
				fill_job(&pj, j, user_get(j->uid)->fs);
				prio_compute(&pc, &pj, now, &fa);
				r.nice = j->nice;
				r.age = fa.age;
				r.fs = fa.fs;
				r.js = fa.js;
				r.part = fa.part;
				r.qos = fa.qos;
			}
			prio_row_put(&out, &r);
			free(r.user);
			n++;
		}
	}
	for (int i = 0; i < 4; i++)	/* the count, little-endian */
		out.b.data[at + i] = (char)(n >> (8 * i));
	client_reply(c, MSG_PRIO_LIST, &out);
	msg_free(&out);
	free(uids);
	job_filter_free(&f);
}
