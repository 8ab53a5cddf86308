// links: sched/sched.c sched/bitmap.c
/* SPDX-License-Identifier: MIT */
/*
 * The submission fast path (sched_fast_pass) against full passes, on
 * random queues: random partitions (tiers, time limits, states, CPU
 * limits), node sizes with holes in the core ids, GPUs and memory,
 * running jobs with end times (some without a limit, some already past
 * their end), pending jobs of every kind (held, too big, --exclusive,
 * --time-min, arrays as several candidates with one id).  Each queue is
 * first scheduled by full passes until one starts nothing (the state the
 * daemon caches); then new jobs arrive one after the other (now and then
 * several at once, as the daemon takes the submissions of one loop
 * iteration together), now moving on by a random step, and each time the
 * fast path's answer is compared with a full pass over the whole queue:
 * the same jobs start with the same cores, GPUs and time limits, every
 * new job gets the same reason and planned start, and every old job
 * keeps the reason it had.  Where
 * the fast path declines (-1) the test goes on from the full pass, as the
 * daemon does.  BERTH_SEED picks another seed.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/job.h"
#include "sched/sched.h"
#include "t.h"

#define MAXP	160
#define MAXR	64

struct world {
	struct sched_input	in;
	struct sched_part	parts[3];
	struct sched_running	run[MAXR];
	struct sched_job	pend[MAXP];
	uint32_t		reason[MAXP];	/* as shown now */
	int64_t			planned[MAXP];
	uint32_t		next_id;
	int64_t			clock;		/* submit times */
};

static uint64_t	rng_state;
static int	mismatches;

static uint32_t
rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n == 0 ? 0 : (uint32_t)(rng_state % n);
}

static bool
chance(uint32_t pct)
{
	return rnd(100) < pct;
}

static uint32_t
rnd_limit(void)
{
	static const uint32_t l[] = { 1, 5, 10, 30, 60, 120, 600 };

	if (chance(15))
		return INFINITE;
	return l[rnd(7)];
}

static void
make_job(struct world *w, struct sched_job *j, uint32_t id)
{
	uint32_t cpus = bitmap_count(&w->in.node_cpus);

	memset(j, 0, sizeof *j);
	j->id = id;
	j->priority = 1 + rnd(chance(10) ? 2000 : 20);
	j->part = rnd(w->in.nparts);
	j->ncpus = chance(10) ? cpus + 1 : 1 + rnd(cpus);
	j->mem_mb = chance(50) ? 0 : 100 * (1 + rnd(40));
	j->gpus = w->in.node_gpus > 0 && chance(40) ?
	    rnd(w->in.node_gpus + 1) : 0;
	j->min_nodes = chance(3) ? 2 : 1;
	j->time_limit = rnd_limit();
	j->time_min = chance(20) ? 1 + rnd(30) : 0;
	j->exclusive = chance(8);
	j->blocked = WAIT_NO_REASON;
	if (chance(10))
		j->blocked = chance(50) ? WAIT_HELD : WAIT_DEPENDENCY;
	j->submit_time = w->clock;
	if (!chance(30))	/* some share a submission second */
		w->clock++;
}

/* Append a job (or an array of 2-3 candidates); returns how many. */
static uint32_t
add_pending(struct world *w, bool late)
{
	struct sched_job j;
	uint32_t k, n = chance(10) ? 2 + rnd(2) : 1;

	if (w->in.npending + n > MAXP)
		return 0;
	make_job(w, &j, w->next_id++);
	/* Arrivals mostly sort late, as Slurm's basic priority has it. */
	if (late && chance(70))
		j.priority = 1 + rnd(4);
	for (k = 0; k < n; k++) {
		w->pend[w->in.npending] = j;
		w->reason[w->in.npending] = WAIT_NO_REASON;
		w->planned[w->in.npending] = 0;
		w->in.npending++;
	}
	return n;
}

static void
add_running(struct world *w, const struct sched_decision *d,
    const struct sched_job *j, int64_t now)
{
	struct sched_running *r;

	if (w->in.nrunning == MAXR)
		abort();
	r = &w->run[w->in.nrunning++];
	memset(r, 0, sizeof *r);
	r->cpus = d->cpus;
	r->gpus = d->gpus;
	r->mem_mb = j->mem_mb;
	r->exclusive = j->exclusive;
	r->end_time = d->time_limit == INFINITE || d->time_limit == NO_VAL ?
	    INT64_MAX : now + (int64_t)d->time_limit * 60;
}

static void
world_init(struct world *w)
{
	uint32_t i, n, ncpu, base;
	struct sched_part *p;

	memset(w, 0, sizeof *w);
	w->in.now = 1700000000 + rnd(100000);
	w->clock = w->in.now - 5000;
	w->next_id = 100;
	/* 1-16 cores, some ids missing. */
	ncpu = 1 + rnd(16);
	base = rnd(4);
	for (i = 0, n = 0; n < ncpu; i++) {
		if (chance(15))
			continue;
		bitmap_set(&w->in.node_cpus, base + i);
		n++;
	}
	w->in.node_mem_mb = 1000 + 500 * rnd(10);
	w->in.node_gpus = chance(50) ? rnd(5) : 0;
	w->in.nparts = 1 + rnd(3);
	for (i = 0; i < w->in.nparts; i++) {
		p = &w->parts[i];
		memset(p, 0, sizeof *p);
		p->name = i == 0 ? "a" : i == 1 ? "b" : "c";
		p->max_time = chance(60) ? INFINITE : 30 + rnd(600);
		p->max_nodes = INFINITE;
		p->max_cpus_per_node = chance(80) ? INFINITE : 1 + rnd(ncpu);
		p->max_mem_per_node = chance(80) ? 0 : 500 + 500 * rnd(6);
		p->priority_tier = rnd(3);
		p->up = !chance(5);
		p->inactive = !p->up && chance(50);
	}
	w->in.parts = w->parts;
	w->in.running = w->run;
	w->in.pending = w->pend;
	n = rnd(40);
	for (i = 0; i < n; i++)
		add_pending(w, false);
}

/* Start the decided jobs, keep the rest with their reasons. */
static void
apply(struct world *w, const struct sched_decision *out, uint32_t from)
{
	uint32_t i, k = from;

	for (i = from; i < w->in.npending; i++) {
		if (out[i].start) {
			add_running(w, &out[i], &w->pend[i], w->in.now);
			continue;
		}
		w->pend[k] = w->pend[i];
		w->reason[k] = out[i].reason;
		w->planned[k] = out[i].planned_start;
		k++;
	}
	w->in.npending = k;
}

/* Full passes until one starts nothing; the cache from that one. */
static void
settle(struct world *w, struct sched_fast *f)
{
	struct sched_decision out[MAXP];
	uint32_t scratch[MAXP], started;

	do {
		for (uint32_t i = 0; i < w->in.npending; i++)
			w->pend[i].idx = i;
		started = sched_pass(&w->in, out, scratch);
		sched_fast_note(f, &w->in, out, started);
		apply(w, out, 0);
	} while (started != 0);
}

/*
 * Some running jobs end (the daemon drops the cache then): at random, or
 * (overdue) those whose end time has passed.
 */
static bool
end_some(struct world *w, bool overdue)
{
	uint32_t i, k = 0;
	bool any = false;

	for (i = 0; i < w->in.nrunning; i++) {
		if (overdue ? w->run[i].end_time < w->in.now : chance(20)) {
			any = true;
			continue;
		}
		w->run[k++] = w->run[i];
	}
	w->in.nrunning = k;
	return any;
}

static bool
same_decision(const struct sched_decision *a, const struct sched_decision *b)
{
	if (a->start != b->start)
		return false;
	if (a->start)
		return memcmp(&a->cpus, &b->cpus, sizeof a->cpus) == 0 &&
		    memcmp(&a->gpus, &b->gpus, sizeof a->gpus) == 0 &&
		    a->time_limit == b->time_limit;
	return a->reason == b->reason &&
	    a->planned_start == b->planned_start;
}

static void
mismatch(const char *what, uint32_t trial, uint32_t id)
{
	if (mismatches++ < 10)
		printf("# trial %u: job %u: %s\n", trial, id, what);
}

/*
 * One arrival of n candidates at the end of the queue: full pass over
 * everything against the fast path.  Returns 1 fast, 0 declined.
 */
static int
arrive(struct world *w, struct sched_fast *f, uint32_t trial,
    uint32_t *nstarted)
{
	static struct sched_decision ref[MAXP], fast[MAXP];
	static uint32_t scratch[MAXP];
	struct sched_input nin;
	uint32_t i, k, old = w->in.npending, n, started;
	int r;

	/* One submission, or a few in one loop iteration of the daemon. */
	n = add_pending(w, true);
	if (n == 0)
		return 0;
	if (chance(15))
		for (k = 1 + rnd(3); k > 0; k--)
			n += add_pending(w, true);
	for (i = 0; i < w->in.npending; i++)
		w->pend[i].idx = i;
	started = sched_pass(&w->in, ref, scratch);

	nin = w->in;
	nin.pending = &w->pend[old];
	nin.npending = n;
	r = sched_fast_pass(f, &nin, fast);
	if (r == -1) {
		sched_fast_note(f, &w->in, ref, started);
		apply(w, ref, 0);
		if (started != 0)
			settle(w, f);
		return 0;
	}
	if ((uint32_t)r != started)
		mismatch("number started differs", trial, w->pend[old].id);
	for (i = 0; i < old; i++) {
		if (ref[i].start)
			mismatch("old job starts in the full pass", trial,
			    w->pend[i].id);
		else if (ref[i].reason != w->reason[i] ||
		    ref[i].planned_start != w->planned[i])
			mismatch("old job's reason or start changes", trial,
			    w->pend[i].id);
	}
	for (i = 0; i < n; i++) {
		if (!same_decision(&ref[old + i], &fast[i]))
			mismatch("new job decided differently", trial,
			    w->pend[old + i].id);
		if (fast[i].start)
			(*nstarted)++;
	}
	/* Keep the old jobs as they were, apply the new ones. */
	for (i = 0; i < n; i++)
		ref[old + i] = fast[i];
	apply(w, ref, old);
	return 1;
}

int
main(void)
{
	static struct world w;
	struct sched_fast f;
	const char *seed = getenv("BERTH_SEED");
	uint32_t trial, k, trials = 3000, nfast = 0, nslow = 0, nstart = 0;
	uint32_t nlater = 0, ntop = 0;
	int64_t step;

	rng_state = seed != NULL ? strtoull(seed, NULL, 10) : 88172645463325252ULL;
	if (rng_state == 0)
		rng_state = 1;
	for (trial = 0; trial < trials; trial++) {
		world_init(&w);
		settle(&w, &f);
		for (k = 0; k < 12; k++) {
			/* Time moves on: not at all, a little, or a lot. */
			switch (rnd(4)) {
			case 0:
				step = 0;
				break;
			case 1:
				step = 1 + rnd(90);
				break;
			case 2:
				step = 60 * (1 + rnd(30));
				break;
			default:
				step = 60 * (30 + rnd(600));
				break;
			}
			w.in.now += step;
			/* Now and then a job ends: the daemon runs a full
			 * pass then, and so does the test.  Jobs past their
			 * end time mostly have been ended by then; some are
			 * still being killed. */
			if ((chance(5) && end_some(&w, false)) ||
			    (chance(80) && end_some(&w, true)))
				settle(&w, &f);
			if (f.has_top)
				ntop++;
			if (arrive(&w, &f, trial, &nstart) == 1) {
				nfast++;
				if (step != 0)
					nlater++;
			} else
				nslow++;
		}
	}
	printf("# %u arrivals decided by the fast path (%u after time moved, "
	    "%u started), %u by a full pass; %u with a job waiting for "
	    "Resources\n", nfast, nlater, nstart, nfast + nslow == 0 ? 0 :
	    nslow, ntop);
	is_int(mismatches, 0, "fast path equals the full pass on %u random "
	    "arrivals", nfast);
	ok(nfast > trials * 4, "the fast path decides most arrivals");
	ok(nlater > trials, "also after time moved on");
	ok(nstart > trials / 4, "and starts jobs (backfill or idle node)");
	ok(nslow > trials / 4, "it declines some (ahead of the top job, "
	    "an end time passed)");
	ok(ntop > trials * 2, "mostly with a top job waiting");
	return done_testing();
}
