// links:
/* SPDX-License-Identifier: MIT */
/*
 * covers: message codec bounds checks, frame decoding of truncated,
 * oversized and wrong-version frames, job record round trips (the compact
 * layout: extremes, defaults left out, omitted fields, malformed bitmaps
 * and varints refused).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "proto/errors.h"
#include "proto/job.h"
#include "proto/proto.h"
#include "proto/spec.h"
#include "t.h"

static void
test_codec(void)
{
	struct msg m;
	char *s, **v;
	char a1[] = "a", a2[] = "", a3[] = "ccc";
	char *in[] = { a1, a2, a3, NULL };

	msg_init(&m);
	msg_put_u8(&m, 7);
	msg_put_u32(&m, 0xdeadbeef);
	msg_put_u64(&m, 0x0123456789abcdefull);
	msg_put_i64(&m, -5);
	msg_put_str(&m, "hello");
	msg_put_str(&m, NULL);
	msg_put_strv(&m, in);
	m.pos = 0;
	is_int(msg_get_u8(&m), 7, "u8 round trip");
	is_int(msg_get_u32(&m), 0xdeadbeef, "u32 round trip");
	ok(msg_get_u64(&m) == 0x0123456789abcdefull, "u64 round trip");
	is_int(msg_get_i64(&m), -5, "i64 round trip");
	s = msg_get_str(&m);
	is_str(s, "hello", "string round trip");
	free(s);
	ok(msg_get_str(&m) == NULL && !m.err, "NULL string round trip");
	v = msg_get_strv(&m);
	ok(v != NULL && strcmp(v[2], "ccc") == 0 && v[3] == NULL,
	    "string vector round trip");
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
	is_int(msg_end(&m), 0, "msg_end accepts a fully read payload");
	is_int(msg_get_u32(&m), 0, "reading past the end yields 0");
	ok(m.err, "and marks the message bad");
	is_int(msg_end(&m), -1, "msg_end then fails");
	msg_free(&m);

	/* Trailing bytes are an error. */
	msg_init(&m);
	msg_put_u32(&m, 1);
	msg_put_u8(&m, 2);
	m.pos = 0;
	msg_get_u32(&m);
	is_int(msg_end(&m), -1, "trailing bytes make msg_end fail");
	msg_free(&m);

	/* A string length larger than the payload. */
	msg_init(&m);
	msg_put_u32(&m, 1000);
	buf_add(&m.b, "abc", 3);
	m.pos = 0;
	ok(msg_get_str(&m) == NULL && m.err, "overlong string is refused");
	msg_free(&m);

	/* Embedded NUL in a string. */
	msg_init(&m);
	msg_put_bytes(&m, "a\0b", 3);
	m.pos = 0;
	ok(msg_get_str(&m) == NULL && m.err, "string with NUL is refused");
	msg_free(&m);

	/* A vector count that cannot fit. */
	msg_init(&m);
	msg_put_u32(&m, 0x7fffffff);
	m.pos = 0;
	ok(msg_get_strv(&m) == NULL && m.err, "huge vector count refused");
	msg_free(&m);
}

static void
test_frames(void)
{
	struct buf in;
	struct msg p, m;
	uint16_t type;
	uint32_t err = 0;
	uint8_t bad[8] = { 0xff, 0xff, 0xff, 0x7f, 1, 0, 100, 0 };
	uint8_t badver[8] = { 4, 0, 0, 0, 99, 0, 100, 0 };

	buf_init(&in);
	msg_init(&p);
	msg_init(&m);
	msg_put_str(&p, "payload");
	proto_frame(&in, MSG_PING, &p);
	proto_frame(&in, MSG_SUBMIT, &p);
	/* Feed byte by byte: incomplete frames wait. */
	{
		struct buf part;
		size_t flen = 8 + 4 + 7;	/* header + str len + "payload" */
		int early = 0, r = 0;

		buf_init(&part);
		for (size_t i = 0; i < flen; i++) {
			buf_add(&part, in.data + i, 1);
			r = proto_unframe(&part, &type, &m, &err);
			if (r != 0 && i + 1 < flen)
				early++;
		}
		is_int(early, 0, "partial frames are not decoded");
		is_int(r, 1, "a frame delivered byte by byte decodes once "
		    "complete");
		is_int(type, MSG_PING, "with its type");
		buf_free(&part);
	}
	is_int(proto_unframe(&in, &type, &m, &err), 1, "first frame");
	is_int(proto_unframe(&in, &type, &m, &err), 1, "second frame");
	is_int(type, MSG_SUBMIT, "second frame type");
	is_int(proto_unframe(&in, &type, &m, &err), 0, "then nothing");

	buf_reset(&in);
	buf_add(&in, bad, sizeof bad);
	is_int(proto_unframe(&in, &type, &m, &err), -1,
	    "oversized frame length is rejected");
	is_int(err, BERTH_EPROTO, "as a protocol error");
	buf_reset(&in);
	buf_add(&in, badver, sizeof badver);
	is_int(proto_unframe(&in, &type, &m, &err), -1,
	    "wrong protocol version is rejected");
	is_int(err, BERTH_EVERSION, "as a version error");
	buf_reset(&in);
	buf_add(&in, "\x01\x00\x00\x00\x01\x00", 6);
	is_int(proto_unframe(&in, &type, &m, &err), 0,
	    "short header waits for more");
	buf_add(&in, "\x00\x00", 2);
	is_int(proto_unframe(&in, &type, &m, &err), -1,
	    "frame length below the header size is rejected");
	buf_free(&in);
	msg_free(&p);
	msg_free(&m);
}

static void
test_job_record(void)
{
	struct job a, b;
	struct msg m;

	job_init(&a);
	a.id = 42;
	a.state = JOB_RUNNING;
	a.exit_status = -1;
	a.mem_mb = 123456789012ull;
	a.submit_time = 1795321244;
	a.name = xstrdup("train");
	a.workdir = xstrdup("/tmp/w");
	a.array_job_id = 42;
	a.array_max_running = 2;
	a.array_task_count = 100000;
	a.array_task_max = 99999;
	a.array_task_step = 1;
	a.array_spec = xstrdup("3-99999");
	msg_init(&m);
	proto_job_put(&m, &a);
	m.pos = 0;
	is_int(proto_job_get(&m, &b), 0, "job record decodes");
	is_int(msg_end(&m), 0, "and consumes the whole payload");
	is_int(b.id, 42, "id");
	is_int(b.exit_status, -1, "negative exit status");
	ok(b.mem_mb == 123456789012ull, "64-bit memory");
	is_str(b.name, "train", "name");
	ok(b.comment == NULL, "NULL strings stay NULL");
	is_int(b.array_task_id, NO_VAL, "defaults survive");
	ok(b.array_job_id == 42 && b.array_max_running == 2 &&
	    b.array_task_count == 100000 && b.array_task_max == 99999 &&
	    b.array_task_step == 1, "array fields");
	is_str(b.array_spec, "3-99999", "array_spec");
	job_free(&b);

	/* Every truncation of the record must be refused, never crash. */
	{
		int bad = 0;

		for (size_t cut = 0; cut < m.b.len; cut++) {
			struct msg t;

			msg_init(&t);
			msg_load(&t, m.b.data, cut);
			if (proto_job_get(&t, &b) == 0) {
				bad++;
				job_free(&b);
			}
			msg_free(&t);
		}
		is_int(bad, 0, "all %zu truncations are rejected", m.b.len);
	}
	/* An out-of-range state is refused. */
	a.state = 99;
	msg_free(&m);
	msg_init(&m);
	proto_job_put(&m, &a);
	m.pos = 0;
	is_int(proto_job_get(&m, &b), -1, "bad state value is refused");
	msg_free(&m);
	job_free(&a);

	is_str(job_state_name(JOB_OOM), "OUT_OF_MEMORY", "state name");
	is_str(job_state_short(JOB_COMPLETE), "CD", "short state name");
	is_int(job_state_parse("pd"), JOB_PENDING, "parse short, any case");
	is_int(job_state_parse("bogus"), -1, "unknown state");
	is_str(job_reason_name(WAIT_PART_CONFIG), "PartitionConfig",
	    "reason name");
}

/* Decode a record from raw bytes: 0 and *b filled, or -1. */
static int
get_raw(const void *p, size_t n, struct job *b)
{
	struct msg t;
	int rc;

	msg_init(&t);
	msg_load(&t, p, n);
	rc = proto_job_get(&t, b);
	if (rc == 0 && msg_end(&t) == -1) {
		job_free(b);
		rc = -1;
	}
	msg_free(&t);
	return rc;
}

/*
 * Decode a hand-made record holding only the name: its bitmap (the name's
 * bit, found by job_field_bit), length n, then the 3 bytes of s.
 */
static int
name_rec(uint8_t n, const char *s, struct job *b)
{
	uint8_t rec[32], *o = rec;
	uint64_t bit = job_field_bit(offsetof(struct job, name));
	unsigned i = (unsigned)__builtin_ctzll(bit);

	for (; i >= 7; i -= 7)
		*o++ = 0x80;
	*o++ = (uint8_t)(1u << i);
	*o++ = n;
	memcpy(o, s, 3);
	return get_raw(rec, (size_t)(o + 3 - rec), b);
}

static void
test_job_compact(void)
{
	struct job a, b;
	struct msg m;
	uint64_t omit;
	int bad;

	/* A record at its defaults is the one-byte empty bitmap. */
	job_init(&a);
	msg_init(&m);
	proto_job_put(&m, &a);
	is_int((int)m.b.len, 1, "a default record is one byte");
	is_int(get_raw(m.b.data, m.b.len, &b), 0, "and decodes");
	ok(memcmp(&a, &b, sizeof a) == 0, "to the defaults");
	job_free(&b);
	msg_free(&m);

	/* Extremes of every kind of field, and "" apart from NULL. */
	job_init(&a);
	a.id = UINT32_MAX;
	a.array_task_id = 0;
	a.nice = INT32_MIN;
	a.exit_status = INT32_MAX;
	a.batch_status = -1;
	a.mem_mb = UINT64_MAX;
	a.max_rss_kb = 0x8000000000000000ull;
	a.submit_time = INT64_MIN;
	a.end_time = INT64_MAX;
	a.start_time = -1;
	a.ntasks = 0;
	a.time_limit = INFINITE;
	a.comment = xstrdup("");
	a.exc_nodes = xstrdup("last field");
	a.name = xstrdup("n");
	msg_init(&m);
	proto_job_put(&m, &a);
	is_int(get_raw(m.b.data, m.b.len, &b), 0, "extreme record decodes");
	ok(b.id == UINT32_MAX && b.array_task_id == 0 &&
	    b.nice == INT32_MIN && b.exit_status == INT32_MAX &&
	    b.batch_status == -1, "32-bit extremes");
	ok(b.mem_mb == UINT64_MAX && b.max_rss_kb == 0x8000000000000000ull &&
	    b.submit_time == INT64_MIN && b.end_time == INT64_MAX &&
	    b.start_time == -1, "64-bit extremes");
	ok(b.ntasks == 0 && b.time_limit == INFINITE,
	    "values differing from a non-zero default");
	ok(b.comment != NULL && *b.comment == '\0', "empty string kept");
	ok(b.account == NULL, "NULL string kept");
	is_str(b.exc_nodes, "last field", "last field");
	job_free(&b);

	/* Every truncation is refused. */
	bad = 0;
	for (size_t cut = 0; cut < m.b.len; cut++)
		if (get_raw(m.b.data, cut, &b) == 0) {
			bad++;
			job_free(&b);
		}
	is_int(bad, 0, "all %zu truncations are refused", m.b.len);
	msg_free(&m);

	/* Omitted fields decode as defaults, the others intact. */
	omit = job_field_bit(offsetof(struct job, comment)) |
	    job_field_bit(offsetof(struct job, nice));
	ok(omit != 0 && (omit & (omit - 1)) != 0, "two field bits");
	is_int((int)job_field_bit(1), 0, "no field at offset 1");
	msg_init(&m);
	proto_job_put_some(&m, &a, omit);
	is_int(get_raw(m.b.data, m.b.len, &b), 0, "record with omissions");
	ok(b.comment == NULL && b.nice == 0, "omitted fields are defaults");
	ok(b.id == UINT32_MAX && b.exit_status == INT32_MAX &&
	    b.name != NULL && strcmp(b.name, "n") == 0, "others are kept");
	job_free(&b);
	msg_free(&m);
	job_free(&a);

	/* Malformed records. */
	{
		/* bit 127: past the table */
		static const uint8_t far[] = { 0x80, 0x80, 0x80, 0x80, 0x80,
		    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		    0x80, 0x80, 0x80, 0x80, 0x02 };
		/* bit 128 and beyond: past the bitmap */
		static const uint8_t huge[] = { 0x80, 0x80, 0x80, 0x80, 0x80,
		    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		    0x80, 0x80, 0x80, 0x80, 0x04 };
		static const uint8_t toolong[] = { 0x80, 0x80, 0x80, 0x80,
		    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
		/* id (bit 0) = 2^32: too big for a u32 */
		static const uint8_t big32[] = { 0x01, 0x80, 0x80, 0x80, 0x80,
		    0x10 };
		/* id as an 11-byte varint */
		static const uint8_t varint11[] = { 0x01, 0x81, 0x80, 0x80,
		    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
		/* state (bit 5) = 99 */
		static const uint8_t state[] = { 0x20, 99 };
		is_int(get_raw(far, sizeof far, &b), -1,
		    "a bit past the field table is refused");
		is_int(get_raw(huge, sizeof huge, &b), -1,
		    "a bit past the bitmap's size is refused");
		is_int(get_raw(toolong, sizeof toolong, &b), -1,
		    "a bitmap over 19 bytes is refused");
		is_int(get_raw(big32, sizeof big32, &b), -1,
		    "a u32 field over 32 bits is refused");
		is_int(get_raw(varint11, sizeof varint11, &b), -1,
		    "an 11-byte varint is refused");
		is_int(get_raw(state, sizeof state, &b), -1,
		    "a bad state is refused");
		is_int(name_rec(5, "abc", &b), -1,
		    "a string past the end is refused");
		is_int(name_rec(3, "a\0c", &b), -1,
		    "a string with a NUL is refused");
		is_int(name_rec(3, "abc", &b), 0,
		    "a hand-made record decodes");
		is_str(b.name, "abc", "to its name");
		job_free(&b);
	}
}

/*
 * The GPU requests as given (TresPerJob, TresPerTask; protocol 5) are the
 * last fields of the table: a record without them (as protocol 4 wrote
 * it, and the store still holds) decodes with them NULL.  The node record
 * ends with the GPU type.
 */
static void
test_gpu_fields(void)
{
	/* warn_signal = 10, the last field of protocol 4 (bit 62) */
	static const uint8_t v4[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	    0x80, 0x80, 0x40, 10 };
	struct node_info n, n2;
	struct job a, b;
	struct msg m;

	is_int(get_raw(v4, sizeof v4, &b), 0, "a protocol 4 record decodes");
	ok(b.warn_signal == 10 && b.tres_per_job == NULL &&
	    b.tres_per_task == NULL, "without TresPerJob and TresPerTask");
	job_free(&b);
	ok(job_field_bit(offsetof(struct job, warn_signal)) == 1ull << 62 &&
	    job_field_bit(offsetof(struct job, tres_per_job)) == 1ull << 63,
	    "the new fields follow warn_signal (bits 63 and 64)");

	job_init(&a);
	a.gpus = 2;
	a.gres = xstrdup("gpu:1,gpu:2");
	a.tres_per_job = xstrdup("gpu:tesla:2");
	a.tres_per_task = xstrdup("gpu:1");
	msg_init(&m);
	proto_job_put(&m, &a);
	is_int(get_raw(m.b.data, m.b.len, &b), 0, "GPU record decodes");
	is_str(b.gres, "gpu:1,gpu:2", "TresPerNode kept");
	is_str(b.tres_per_job, "gpu:tesla:2", "TresPerJob kept");
	is_str(b.tres_per_task, "gpu:1", "TresPerTask kept");
	job_free(&b);
	m.b.len = 0;
	proto_job_put_some(&m, &a, job_field_bit(offsetof(struct job,
	    tres_per_job)));
	is_int(get_raw(m.b.data, m.b.len, &b), 0, "with one left out");
	ok(b.tres_per_job == NULL && b.tres_per_task != NULL,
	    "TresPerJob omitted, TresPerTask kept (bit 64: never omitted)");
	job_free(&b);
	job_copy(&b, &a);
	ok(b.tres_per_job != a.tres_per_job && strcmp(b.tres_per_job,
	    a.tres_per_job) == 0, "job_copy copies them");
	job_free(&b);
	job_free(&a);
	msg_free(&m);

	memset(&n, 0, sizeof n);
	n.name = xstrdup("vm");
	n.gpus = 2;
	n.gpu_type = xstrdup("tesla");
	msg_init(&m);
	proto_node_put(&m, &n);
	m.pos = 0;
	ok(proto_node_get(&m, &n2) == 0 && msg_end(&m) == 0,
	    "node record decodes");
	is_str(n2.gpu_type, "tesla", "node GPU type kept");
	node_info_free(&n2);
	free(n.gpu_type);
	n.gpu_type = NULL;
	m.b.len = 0;
	proto_node_put(&m, &n);
	m.pos = 0;
	ok(proto_node_get(&m, &n2) == 0 && n2.gpu_type == NULL,
	    "untyped node: NULL");
	node_info_free(&n2);
	node_info_free(&n);
	msg_free(&m);
}

/* A MSG_JOB_LIST payload: count, then records. */
static void
put_list(struct msg *m, struct job *v, uint32_t n)
{
	msg_init(m);
	msg_put_u32(m, n);
	for (uint32_t i = 0; i < n; i++)
		proto_job_put(m, &v[i]);
	m->pos = 0;
}

static void
test_job_list(void)
{
	struct job v[4];
	struct job_list l;
	struct msg m;
	size_t full;
	int bad;

	for (int i = 0; i < 4; i++) {
		job_init(&v[i]);
		v[i].id = 100 + (uint32_t)i;
		v[i].priority = 7 * (uint32_t)i;
		v[i].submit_time = -5 + i;
		v[i].exit_status = -1;
		v[i].partition = xstrdup(i == 2 ? "gpu" : "cpu");
		v[i].name = xstrdup(i < 2 ? "same" : "sam");
		v[i].user = i == 1 ? NULL : xstrdup("alice");
		v[i].comment = xstrdup("");
	}
	v[3].workdir = xstrdup("/tmp/x");

	put_list(&m, v, 4);
	is_int(proto_job_list_get(&m, &l), 0, "job list decodes");
	is_int(msg_end(&m), 0, "and consumes the whole payload");
	is_int((int)l.n, 4, "four records");
	is_int(l.jobs[3].id, 103, "fourth id");
	is_int(l.jobs[2].priority, 14, "priority");
	ok(l.jobs[0].submit_time == -5, "negative time");
	is_int(l.jobs[1].exit_status, -1, "negative exit status");
	is_int(l.jobs[1].array_task_id, NO_VAL, "defaults survive");
	is_str(l.jobs[0].partition, "cpu", "first partition");
	is_str(l.jobs[2].partition, "gpu", "a different string");
	is_str(l.jobs[3].partition, "cpu", "a string seen before");
	ok(l.jobs[0].name == l.jobs[1].name, "equal neighbours share");
	is_str(l.jobs[2].name, "sam", "a prefix of the previous one");
	is_str(l.jobs[1].name, "same", "is not mistaken for it");
	ok(l.jobs[1].user == NULL, "NULL between equal strings");
	is_str(l.jobs[2].user, "alice", "string after a NULL");
	is_str(l.jobs[3].comment, "", "empty string");
	ok(l.jobs[2].workdir == NULL && l.jobs[3].workdir != NULL &&
	    strcmp(l.jobs[3].workdir, "/tmp/x") == 0, "NULL then a string");
	job_list_free(&l);
	ok(l.jobs == NULL && l.n == 0, "job_list_free empties the list");
	full = m.b.len;

	/* Every truncation is refused, never crashes. */
	bad = 0;
	for (size_t cut = 0; cut < full; cut++) {
		struct msg t;

		msg_init(&t);
		msg_load(&t, m.b.data, cut);
		if (proto_job_list_get(&t, &l) == 0) {
			bad++;
			job_list_free(&l);
		} else if (!t.err || l.jobs != NULL || l.n != 0)
			bad++;
		msg_free(&t);
	}
	is_int(bad, 0, "all %zu truncations are rejected", full);
	msg_free(&m);

	/*
	 * 70,000 records at their defaults, one byte each: the record array
	 * is a mapping (over 2 MB) that grows past its first 65,536.
	 */
	msg_init(&m);
	msg_put_u32(&m, 70000);
	for (int i = 0; i < 70000; i++)
		msg_put_u8(&m, 0);
	m.pos = 0;
	is_int(proto_job_list_get(&m, &l), 0, "70,000 small records decode");
	ok(l.n == 70000 && l.map_len > 0 && l.jobs[69999].ntasks == 1 &&
	    l.jobs[69999].time_limit == NO_VAL && l.jobs[0].name == NULL,
	    "into a mapped array of defaults");
	job_list_free(&l);
	msg_free(&m);
	msg_init(&m);
	msg_put_u32(&m, 70000);
	for (int i = 0; i < 69999; i++)
		msg_put_u8(&m, 0);
	msg_put_u8(&m, 0x80);		/* a bitmap cut short */
	m.pos = 0;
	is_int(proto_job_list_get(&m, &l), -1,
	    "a bad last record of 70,000 is refused");
	ok(l.jobs == NULL && l.n == 0, "and the list is released");
	msg_free(&m);

	/* A listing in two parts appends into one list. */
	put_list(&m, v, 2);
	is_int(proto_job_list_get(&m, &l), 0, "first part decodes");
	msg_free(&m);
	put_list(&m, v + 2, 2);
	is_int(proto_job_list_add(&m, &l), 0, "second part appends");
	ok(l.n == 4 && l.jobs[0].id == 100 && l.jobs[3].id == 103 &&
	    strcmp(l.jobs[3].workdir, "/tmp/x") == 0 &&
	    strcmp(l.jobs[1].name, "same") == 0, "four records, in order");
	msg_free(&m);
	/* Skipped strings stay NULL; the rest decodes as without. */
	put_list(&m, v + 2, 2);
	is_int(proto_job_list_add_some(&m, &l, job_field_bit(offsetof(struct
	    job, workdir)) | job_field_bit(offsetof(struct job, name))), 0,
	    "a part with skipped fields");
	ok(l.n == 6 && l.jobs[5].id == 103 && l.jobs[5].workdir == NULL &&
	    l.jobs[5].name == NULL && strcmp(l.jobs[5].partition, "cpu") == 0 &&
	    strcmp(l.jobs[5].user, "alice") == 0 && l.jobs[4].priority == 14,
	    "skipped strings NULL, other fields decoded");
	is_int(msg_end(&m), 0, "skipping consumes the whole part");
	msg_free(&m);
	msg_init(&m);
	msg_put_u32(&m, 1);
	msg_put_u8(&m, 0x20);	/* state, then nothing */
	m.pos = 0;
	is_int(proto_job_list_add(&m, &l), -1, "a bad third part is refused");
	ok(l.n == 0 && l.jobs == NULL && l.narenas == 0,
	    "and the whole list is released");
	msg_free(&m);
	is_int(job_list_expect(&l, 6000), 0, "room for 6000 records");
	ok(l.map_len > 0 && l.cap >= 6000 && l.n == 0,
	    "as a mapping, empty");
	put_list(&m, v, 4);
	is_int(proto_job_list_add(&m, &l), 0, "records go into it");
	is_int(l.jobs[2].id, 102, "third id");
	job_list_free(&l);
	msg_free(&m);

	/* A count the payload cannot hold is refused before allocating. */
	msg_init(&m);
	msg_put_u32(&m, 0xffffffffu);
	msg_put_u32(&m, 1);
	m.pos = 0;
	is_int(proto_job_list_get(&m, &l), -1, "huge count is refused");
	msg_free(&m);

	/* Empty list. */
	put_list(&m, v, 0);
	is_int(proto_job_list_get(&m, &l), 0, "empty list decodes");
	is_int((int)l.n, 0, "no records");
	job_list_free(&l);
	msg_free(&m);

	/* A NUL inside a string, equal to the previous one up to it. */
	free(v[1].name);
	v[1].name = xstrdup("samX");
	put_list(&m, v, 2);
	{
		char *p = memmem(m.b.data, m.b.len, "samX", 4);

		ok(p != NULL, "found the second name");
		if (p != NULL)
			p[3] = '\0';
	}
	is_int(proto_job_list_get(&m, &l), -1, "embedded NUL is refused");
	ok(m.err, "and marks the message bad");
	msg_free(&m);

	/* A bad state in the last record. */
	v[3].state = 99;
	put_list(&m, v, 4);
	is_int(proto_job_list_get(&m, &l), -1, "bad state is refused");
	msg_free(&m);

	for (int i = 0; i < 4; i++)
		job_free(&v[i]);
}

/* scancel's request: the task set of each id travels beside it. */
static void
test_cancel(void)
{
	struct cancel_req a, b;
	struct msg m;
	uint32_t ids[2] = { 12, 13 };
	char *tasks[2] = { NULL, (char *)"1-3,5" };

	memset(&a, 0, sizeof a);
	a.ids = ids;
	a.tasks = tasks;
	a.nids = 2;
	a.signal = 10;
	msg_init(&m);
	proto_cancel_put(&m, &a);
	m.pos = 0;
	is_int(proto_cancel_get(&m, &b), 0, "cancel request decodes");
	is_int(msg_end(&m), 0, "and consumes the whole payload");
	ok(b.nids == 2 && b.ids[0] == 12 && b.ids[1] == 13, "ids");
	ok(b.tasks != NULL && b.tasks[0] == NULL, "no task set: whole job");
	is_str(b.tasks != NULL ? b.tasks[1] : NULL, "1-3,5", "task set");
	is_int(b.signal, 10, "signal");
	cancel_req_free(&b);
	msg_free(&m);

	a.tasks = NULL;		/* no id names tasks */
	msg_init(&m);
	proto_cancel_put(&m, &a);
	m.pos = 0;
	is_int(proto_cancel_get(&m, &b), 0, "without task sets");
	ok(b.tasks[0] == NULL && b.tasks[1] == NULL, "all NULL");
	ok(b.steps == NULL, "no step ids");
	cancel_req_free(&b);
	msg_free(&m);

	{
		uint32_t steps[2] = { NO_VAL, 3 };

		a.steps = steps;	/* scancel 12 13.3 */
		msg_init(&m);
		proto_cancel_put(&m, &a);
		m.pos = 0;
		is_int(proto_cancel_get(&m, &b), 0, "with step ids");
		is_int(msg_end(&m), 0, "whole payload");
		ok(b.steps != NULL && b.steps[0] == NO_VAL && b.steps[1] == 3,
		    "step ids beside the job ids");
		cancel_req_free(&b);
		msg_free(&m);
	}
}

static void
test_result(void)
{
	struct job_result r, q;
	char *text;

	memset(&r, 0, sizeof r);
	r.status = 3 << 8;
	r.start_time = 10;
	r.end_time = 20;
	r.max_rss_kb = 3088;
	r.timeout = 1;
	r.error = xstrdup("chdir /nope:\nNo such file");
	text = job_result_format(&r);
	is_int(job_result_parse(text, &q), 0, "result parses");
	is_int(q.status, 3 << 8, "status");
	is_int(q.max_rss_kb, 3088, "maxrss");
	is_int(q.timeout, 1, "timeout flag");
	is_str(q.error, "chdir /nope: No such file",
	    "error text kept on one line");
	job_result_free(&r);
	is_int(job_result_parse("end=5\n", &r), -1,
	    "a result without status is refused");
	free(text);
	job_result_free(&q);
	job_result_free(&r);
}

int
main(void)
{
	test_codec();
	test_frames();
	test_job_record();
	test_job_compact();
	test_gpu_fields();
	test_job_list();
	test_cancel();
	test_result();
	return done_testing();
}
