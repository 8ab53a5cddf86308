// links: daemon/jobrec.c daemon/intern.c
/* SPDX-License-Identifier: MIT */
/*
 * berthd's job record in parts (src/daemon/jobrec.h): a record moved into
 * a struct djob (djob_take) and read back whole (djob_job) is the record
 * it was, the same on the wire, for a plain job, for each of the rarer
 * options (struct job_more) alone, for all of them with an end part; a
 * plain job carries neither part; job_more() starts at job_init()'s
 * values; job_set_str() keeps the more part's interned strings shared;
 * djob_clear() leaves nothing behind (the ASan build checks for leaks).
 */
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "daemon/daemon.h"
#include "t.h"

static struct daemon d0;
struct daemon *D = &d0;

#define NRARE	19

static bool
same_wire(const struct job *a, const struct job *b)
{
	struct msg ma, mb;
	bool same;

	msg_init(&ma);
	msg_init(&mb);
	proto_job_put(&ma, a);
	proto_job_put(&mb, b);
	same = ma.b.len == mb.b.len &&
	    memcmp(ma.b.data, mb.b.data, ma.b.len) == 0;
	msg_free(&ma);
	msg_free(&mb);
	return same;
}

/* What `sbatch -H --wrap=true -o /dev/null` gives the daemon. */
static void
plain(struct job *j, uint32_t id)
{
	job_init(j);
	j->id = id;
	j->uid = j->gid = 1000;
	j->state = JOB_PENDING;
	j->flags = JOB_F_HOLD_USER;
	j->priority = 1;
	j->submit_time = 1700000000;
	j->name = xstrdup("wrap");
	j->user = xstrdup("someone");
	j->group = xstrdup("someone");
	j->partition = xstrdup("cpu");
	j->account = xstrdup("acct");
	j->qos = xstrdup("normal");
	j->workdir = xstrdup("/tmp");
	j->std_out = xstrdup("/dev/null");
	j->submit_line = xstrdup("sbatch -H --wrap=true -o /dev/null");
}

/* Set the i-th of the fields struct job_more holds. */
static const char *
rare(struct job *j, int i)
{
	switch (i) {
	case 0: j->time_min = 5; return "time_min";
	case 1: j->warn_signal = 10 | (60u << 8); return "warn_signal";
	case 2: j->deadline = 1800000000; return "deadline";
	case 3: j->array_spec = xstrdup("1-9"); return "array_spec";
	case 4: j->wckey = xstrdup("wk"); return "wckey";
	case 5: j->comment = xstrdup("a comment"); return "comment";
	case 6: j->std_in = xstrdup("/dev/null"); return "std_in";
	case 7: j->dependency = xstrdup("afterok:1"); return "dependency";
	case 8: j->features = xstrdup("a&b"); return "features";
	case 9: j->gres = xstrdup("gpu:1"); return "gres";
	case 10: j->tres_per_job = xstrdup("gpu:2"); return "tres_per_job";
	case 11: j->tres_per_task = xstrdup("gpu:1"); return "tres_per_task";
	case 12: j->req_nodes = xstrdup("n1"); return "req_nodes";
	case 13: j->exc_nodes = xstrdup("n2"); return "exc_nodes";
	case 14: j->array_max_running = 2; return "array_max_running";
	case 15: j->array_task_count = 9; return "array_task_count";
	case 16: j->array_task_min = 1; return "array_task_min";
	case 17: j->array_task_max = 9; return "array_task_max";
	default: j->array_task_step = 1; return "array_task_step";
	}
}

/* Take j into a fresh dj; *want keeps a copy of what went in. */
static void
take(struct djob *dj, struct job *j, struct job *want)
{
	memset(dj, 0, sizeof *dj);
	job_copy(want, j);
	djob_take(dj, j);
}

int
main(void)
{
	struct djob dj, dk;
	struct job j, want, got;
	struct job_more *m;
	const char *w;

	ok(sizeof(struct djob) <= 256, "struct djob is %zu bytes",
	    sizeof(struct djob));

	plain(&j, 1);
	take(&dj, &j, &want);
	ok(dj.j.more == NULL && dj.end == NULL,
	    "a plain pending job has no more part and no end part");
	djob_job(&dj, &got);
	ok(same_wire(&got, &want), "a plain job reads back as it went in");
	is_int(DJ_MORE(&dj)->time_min, NO_VAL, "its time_min reads NO_VAL");
	ok(DJ_MORE(&dj)->dependency == NULL && DJ_MORE(&dj)->array_spec ==
	    NULL, "its dependency and array_spec read NULL");
	m = job_more(&dj.j);
	ok(m != NULL && dj.j.more == m, "job_more() gives it a part");
	is_int(m->time_min, NO_VAL, "…at job_init()'s time_min");
	djob_job(&dj, &got);
	ok(same_wire(&got, &want), "…which changes nothing in the record");
	djob_clear(&dj);
	ok(dj.j.more == NULL && dj.j.name == NULL, "djob_clear() empties it");
	job_free(&want);

	for (int i = 0; i < NRARE; i++) {
		plain(&j, 2);
		w = rare(&j, i);
		take(&dj, &j, &want);
		ok(dj.j.more != NULL, "%s set: the job has a more part", w);
		djob_job(&dj, &got);
		ok(same_wire(&got, &want), "%s set: it reads back as it went in",
		    w);
		djob_clear(&dj);
		job_free(&want);
	}

	plain(&j, 3);
	for (int i = 0; i < NRARE; i++)
		rare(&j, i);
	j.state = JOB_COMPLETE;
	j.start_time = 1700000100;
	j.end_time = 1700000200;
	j.nodelist = xstrdup("n1");
	j.cpu_ids = xstrdup("0-1");
	take(&dj, &j, &want);
	ok(dj.j.more != NULL && dj.end != NULL,
	    "all of them and an end part: both parts");
	djob_job(&dj, &got);
	ok(same_wire(&got, &want), "…and it reads back as it went in");
	job_free(&want);

	plain(&j, 4);
	rare(&j, 4);
	take(&dk, &j, &want);
	job_free(&want);
	ok(DJ_MORE(&dj)->wckey == DJ_MORE(&dk)->wckey,
	    "two jobs' wckey is one interned copy");
	job_set_str(&dk.j, &job_more(&dk.j)->wckey, "other");
	is_str(DJ_MORE(&dk)->wckey, "other", "job_set_str() sets a more field");
	is_str(DJ_MORE(&dj)->wckey, "wk", "…and leaves the other job's");
	job_set_str(&dk.j, &job_more(&dk.j)->comment, "said");
	is_str(DJ_MORE(&dk)->comment, "said", "…and a not interned one");
	djob_clear(&dk);
	djob_clear(&dj);
	return done_testing();
}
