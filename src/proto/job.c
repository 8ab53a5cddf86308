/* SPDX-License-Identifier: MIT */
/*
 * Job, submission, filter, node and partition records: init/free/copy and
 * wire encodings.  The job record's layout is described once, in job_fields[],
 * and every walk (encode, decode, free, deep copy) is driven by that table,
 * so adding a field means adding one line there.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "../common/arrayspec.h"
#include "../common/xmalloc.h"
#include "job.h"
#include "proto.h"

enum ftype { F_U32, F_I32, F_U64, F_I64, F_STR };

struct jfield {
	enum ftype	type;
	size_t		off;
};

#define U32(f)	{ F_U32, offsetof(struct job, f) }
#define I32(f)	{ F_I32, offsetof(struct job, f) }
#define U64(f)	{ F_U64, offsetof(struct job, f) }
#define I64(f)	{ F_I64, offsetof(struct job, f) }
#define STR(f)	{ F_STR, offsetof(struct job, f) }

static const struct jfield job_fields[] = {
	U32(id), U32(array_job_id), U32(array_task_id), U32(uid), U32(gid),
	U32(state), U32(reason), U32(flags), U32(priority), I32(nice),
	U32(ntasks), U32(cpus_per_task), U32(min_nodes), U32(max_nodes),
	U32(ncpus), U64(mem_mb), U32(gpus), U32(time_limit), U32(time_min),
	U32(restarts), U32(kill_uid), I64(submit_time), I64(eligible_time),
	I64(begin_time), I64(start_time), I64(end_time), I64(deadline),
	I32(exit_status),
	U32(batch_state), I32(batch_status), U64(max_rss_kb),
	U64(max_vsize_kb), U64(user_usec), U64(sys_usec),
	U32(array_max_running), U32(array_task_count), U32(array_task_min),
	U32(array_task_max), U32(array_task_step), STR(array_spec),
	STR(name), STR(user), STR(group), STR(partition), STR(account),
	STR(qos), STR(wckey), STR(comment), STR(workdir), STR(std_out),
	STR(std_err), STR(std_in), STR(command), STR(dependency),
	STR(features), STR(gres), STR(nodelist), STR(cpu_ids), STR(gpu_ids),
	STR(submit_line), STR(req_nodes), STR(exc_nodes), U32(warn_signal),
	STR(tres_per_job), STR(tres_per_task), STR(extra),
};

#define FIELD(j, f)	((char *)(j) + (f)->off)
#define FIELD_C(j, f)	((const void *)((const char *)(j) + (f)->off))

/* job_init()'s values; absent wire fields take them too. */
static const struct job job_default = {
	.array_task_id = NO_VAL,
	.ntasks = 1,
	.cpus_per_task = 1,
	.min_nodes = 1,
	.max_nodes = 1,
	.ncpus = 1,
	.time_limit = NO_VAL,
	.time_min = NO_VAL,
	.kill_uid = NO_VAL,
	.batch_state = JOB_NONE,
	.exit_status = 0,
};

void
job_init(struct job *j)
{
	memcpy(j, &job_default, sizeof *j);
}

void
job_free(struct job *j)
{
	for (size_t i = 0; i < sizeof job_fields / sizeof job_fields[0]; i++) {
		const struct jfield *f = &job_fields[i];
		char **sp;

		if (f->type != F_STR)
			continue;
		sp = (char **)(void *)FIELD(j, f);
		free(*sp);
		*sp = NULL;
	}
}

void
job_copy(struct job *dst, const struct job *src)
{
	memcpy(dst, src, sizeof *dst);
	for (size_t i = 0; i < sizeof job_fields / sizeof job_fields[0]; i++) {
		const struct jfield *f = &job_fields[i];
		char **sp;

		if (f->type != F_STR)
			continue;
		sp = (char **)(void *)FIELD(dst, f);
		*sp = xstrdup0(*sp);
	}
}

/*
 * The job record's wire layout (also the store's rec column):
 *
 *	presence bitmap | the present fields, in job_fields[] order
 *
 * The bitmap has one bit per entry of job_fields[] (bit i: field i is
 * present), written 7 bits a byte from the low end, each byte but the last
 * with its high bit set (LEB128), at most WIRE_MAXF bits.  An absent field
 * has its default: job_init()'s value, NULL for strings.  Numbers are
 * unsigned LEB128 varints, signed ones zigzag-encoded first; a string is a
 * varint length and that many bytes, without NUL.  The encoder leaves out
 * every field at its default (a pending job uses about 20 of the 65), and
 * fields a request does not want (job_field_bit); fields appended to the
 * table later leave older records readable.
 */
#define NFIELDS		(sizeof job_fields / sizeof job_fields[0])
#define WIRE_MAXF	128
#define MASK_BYTES	((WIRE_MAXF + 6) / 7)
#define VARINT_MAX	10

_Static_assert(NFIELDS <= WIRE_MAXF, "job_fields[] outgrew the bitmap");

static bool
at_default(const struct jfield *f, const struct job *j)
{
	const void *p = FIELD_C(j, f), *d = FIELD_C(&job_default, f);

	switch (f->type) {
	case F_U32:
	case F_I32:
		return *(const uint32_t *)p == *(const uint32_t *)d;
	case F_U64:
	case F_I64:
		return *(const uint64_t *)p == *(const uint64_t *)d;
	case F_STR:
		return *(char *const *)p == NULL;
	}
	return false;
}

static inline uint8_t *
put_varint(uint8_t *o, uint64_t v)
{
	while (v >= 0x80) {
		*o++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*o++ = (uint8_t)v;
	return o;
}

static inline uint64_t
zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t
unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static uint8_t *
put_mask(uint8_t *o, const uint64_t *mask)
{
	uint64_t lo = mask[0], hi = mask[1];
	uint8_t b;

	do {
		b = lo & 0x7f;
		lo = lo >> 7 | hi << 57;
		hi >>= 7;
		if (lo != 0 || hi != 0)
			b |= 0x80;
		*o++ = b;
	} while (b & 0x80);
	return o;
}

uint64_t
job_field_bit(size_t off)
{
	for (size_t i = 0; i < NFIELDS && i < 64; i++)
		if (job_fields[i].off == off)
			return 1ull << i;
	return 0;
}

/*
 * The encoder runs once per job of every squeue/sacct reply, so it makes
 * one pass: the fields go after room for the longest bitmap, which is
 * then written in front of them (moving them back by what it did not
 * use).
 */
void
proto_job_put_some(struct msg *m, const struct job *j, uint64_t omit)
{
	uint64_t mask[2] = { 0, 0 };
	uint8_t head[MASK_BYTES], *o, *h;
	size_t start = m->b.len, at, n, body;
	const size_t most = NFIELDS * VARINT_MAX;

	buf_reserve(&m->b, MASK_BYTES + most);
	o = (uint8_t *)m->b.data + start + MASK_BYTES;
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct jfield *f = &job_fields[i];
		const void *p = FIELD_C(j, f);
		const char *str;

		if ((i < 64 && (omit >> i) & 1) || at_default(f, j))
			continue;
		mask[i / 64] |= 1ull << (i % 64);
		switch (f->type) {
		case F_U32:
			o = put_varint(o, *(const uint32_t *)p);
			break;
		case F_I32:
			o = put_varint(o, zigzag(*(const int32_t *)p));
			break;
		case F_U64:
			o = put_varint(o, *(const uint64_t *)p);
			break;
		case F_I64:
			o = put_varint(o, zigzag(*(const int64_t *)p));
			break;
		case F_STR:
			str = *(char *const *)p;
			n = strlen(str);
			at = (size_t)((char *)o - m->b.data);
			buf_reserve(&m->b, at - start + n + most);
			o = (uint8_t *)m->b.data + at;
			o = put_varint(o, n);
			memcpy(o, str, n);
			o += n;
			break;
		}
	}
	h = (uint8_t *)m->b.data + start;
	body = (size_t)(o - h) - MASK_BYTES;
	n = (size_t)(put_mask(head, mask) - head);
	memmove(h + n, h + MASK_BYTES, body);
	memcpy(h, head, n);
	m->b.len = start + n + body;
	m->b.data[m->b.len] = '\0';
}

void
proto_job_put(struct msg *m, const struct job *j)
{
	proto_job_put_some(m, j, 0);
}

/*
 * Decoding.  Strings go either to their own allocations (proto_job_get:
 * the record owns them) or to an arena (proto_job_list_get), where a
 * string equal to the same field of the previous record is not copied
 * again but shared.
 */
struct arena {
	char		*next;		/* free space, large enough by design */
	const struct job *prev;		/* previous record, or NULL */
	uint32_t	 len[NFIELDS];	/* its string lengths, by field */
};

/* A varint at *pp: -1 if truncated or over 64 bits. */
static inline int
get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t r = 0;

	if (p != end && *p < 0x80) {	/* most fields: one byte */
		*v = *p;
		*pp = p + 1;
		return 0;
	}
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (p == end)
			return -1;
		if (shift == 63 && *p > 1)
			return -1;
		r |= (uint64_t)(*p & 0x7f) << shift;
		if (!(*p++ & 0x80)) {
			*v = r;
			*pp = p;
			return 0;
		}
	}
	return -1;
}

/* The presence bitmap at *pp: -1 if truncated, too long, or naming a
 * field this build does not have. */
static int
get_mask(const uint8_t **pp, const uint8_t *end, uint64_t *mask)
{
	const uint8_t *p = *pp;
	uint64_t v;
	unsigned shift = 0;

	mask[0] = mask[1] = 0;
	for (;;) {
		if (p == end || shift >= WIRE_MAXF)
			return -1;
		v = *p & 0x7f;
		if (shift + 7 > WIRE_MAXF && (v >> (WIRE_MAXF - shift)) != 0)
			return -1;
		if (shift < 64) {
			mask[0] |= v << shift;
			if (shift > 57)
				mask[1] |= v >> (64 - shift);
		} else
			mask[1] |= v << (shift - 64);
		shift += 7;
		if (!(*p++ & 0x80))
			break;
	}
	if (NFIELDS < 64 ? (mask[0] >> NFIELDS != 0 || mask[1] != 0) :
	    NFIELDS < 128 && mask[1] >> (NFIELDS - 64) != 0)
		return -1;
	*pp = p;
	return 0;
}

/*
 * The string of n bytes at p for field i: a copy (in the arena, or its own
 * allocation without one), or the previous record's string when equal.
 * NULL if it holds a NUL.
 */
static char *
take_str(struct arena *a, const uint8_t *p, uint32_t n, size_t i)
{
	const char *old;
	char *s;

	if (a != NULL && a->prev != NULL && a->len[i] == n &&
	    (old = *(char *const *)(const void *)((const char *)a->prev +
	    job_fields[i].off)) != NULL && memcmp(old, p, n) == 0)
		return (char *)old;	/* old has no NUL, so neither has p */
	if (memchr(p, '\0', n) != NULL)
		return NULL;
	if (a != NULL) {
		a->len[i] = n;
		s = a->next;
		a->next += (size_t)n + 1;
	} else
		s = xmalloc((size_t)n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/*
 * Decode one record from *pp (not past end) into j (defaults first); the
 * strings of the fields in skip are stepped over, left NULL.  Returns -1
 * on a short or malformed record, leaving j with the strings decoded so
 * far.
 */
static int
decode_job(const uint8_t **pp, const uint8_t *end, struct job *j,
    struct arena *a, uint64_t skip)
{
	const uint8_t *p = *pp;
	uint64_t mask[2], bits, v;
	int64_t s;
	size_t i;

	memcpy(j, &job_default, sizeof *j);
	if (get_mask(&p, end, mask) == -1)
		return -1;
	for (size_t w = 0; w < 2; w++) {
		for (bits = mask[w]; bits != 0; bits &= bits - 1) {
			const struct jfield *f;
			void *dst;

			i = w * 64 + (size_t)__builtin_ctzll(bits);
			f = &job_fields[i];
			dst = FIELD(j, f);
			if (get_varint(&p, end, &v) == -1)
				return -1;
			switch (f->type) {
			case F_U32:
				if (v > UINT32_MAX)
					return -1;
				*(uint32_t *)dst = (uint32_t)v;
				break;
			case F_I32:
				s = unzigzag(v);
				if (s < INT32_MIN || s > INT32_MAX)
					return -1;
				*(int32_t *)dst = (int32_t)s;
				break;
			case F_U64:
				*(uint64_t *)dst = v;
				break;
			case F_I64:
				*(int64_t *)dst = unzigzag(v);
				break;
			case F_STR:
				if (v > (uint64_t)(end - p) ||
				    v > PROTO_MAX_FRAME)
					return -1;
				if (i < 64 && (skip >> i) & 1) {
					p += v;
					break;
				}
				if ((*(char **)dst = take_str(a, p,
				    (uint32_t)v, i)) == NULL)
					return -1;
				p += v;
				break;
			}
		}
	}
	if (j->state >= JOB_STATE_MAX || j->reason >= WAIT_REASON_MAX)
		return -1;
	*pp = p;
	return 0;
}

int
proto_job_get(struct msg *m, struct job *j)
{
	const uint8_t *p, *end;

	memset(j, 0, sizeof *j);
	if (m->err || m->b.data == NULL)
		goto bad;
	p = (const uint8_t *)m->b.data + m->pos;
	end = (const uint8_t *)m->b.data + m->b.len;
	if (decode_job(&p, end, j, NULL, 0) != 0)
		goto bad;
	m->pos = (size_t)(p - (const uint8_t *)m->b.data);
	return 0;

bad:
	m->err = true;
	job_free(j);
	return -1;
}

/*
 * Room for cap + 1 records in l->jobs, keeping the l->n there.  Large
 * arrays are a mapping of their own with huge pages asked for: 10,000
 * records are 4 MB, and faulting them in 4 KB at a time was a fifth of
 * squeue's time.  -1 if the array cannot grow.
 */
#define JOBS_MAP_MIN	(2u * 1024 * 1024)

static int
jobs_reserve(struct job_list *l, size_t cap)
{
	size_t len = (cap + 1) * sizeof *l->jobs;
	void *p;

	if (l->jobs != NULL && cap <= l->cap)
		return 0;
	if (l->map_len == 0 && len < JOBS_MAP_MIN) {
		l->jobs = xreallocarray(l->jobs, cap + 1, sizeof *l->jobs);
		l->cap = cap;
		return 0;
	}
	len = (len + JOBS_MAP_MIN - 1) & ~(size_t)(JOBS_MAP_MIN - 1);
	if (l->map_len != 0)
		p = mremap(l->jobs, l->map_len, len, MREMAP_MAYMOVE);
	else {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		    MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED && l->jobs != NULL) {
			memcpy(p, l->jobs, l->n * sizeof *l->jobs);
			free(l->jobs);
		}
	}
	if (p == MAP_FAILED)
		return -1;
	(void)madvise(p, len, MADV_HUGEPAGE);	/* a hint: may fail */
	l->jobs = p;
	l->map_len = len;
	l->cap = len / sizeof *l->jobs - 1;
	return 0;
}

int
proto_job_list_add(struct msg *m, struct job_list *l)
{
	return proto_job_list_add_some(m, l, 0);
}

int
proto_job_list_add_some(struct msg *m, struct job_list *l, uint64_t skip)
{
	struct arena a;
	const uint8_t *p, *end;
	uint32_t count;
	size_t left, want;
	char *arena;

	count = msg_get_u32(m);
	if (m->err)
		goto bad;
	p = (const uint8_t *)m->b.data + m->pos;
	end = (const uint8_t *)m->b.data + m->b.len;
	left = (size_t)(end - p);
	if (count > left)	/* a record is at least one byte */
		goto bad;
	/*
	 * The record array grows as records arrive (a count alone must not
	 * make us allocate much).  A string of n bytes takes at least 1 + n
	 * bytes of payload and n + 1 of arena, so the payload's size bounds
	 * the part's arena; pages never written are never touched.
	 */
	want = l->n + (count < 65536 ? count : 65536);
	if (want > l->cap && want < 2 * l->cap)
		want = 2 * l->cap;	/* parts: grow geometrically */
	if (jobs_reserve(l, want) == -1)
		goto bad;
	l->arenas = xreallocarray(l->arenas, l->narenas + 1,
	    sizeof *l->arenas);
	arena = l->arenas[l->narenas++] = xmalloc(left + 1);
	memset(&a, 0, sizeof a);
	a.next = arena;
	for (uint32_t i = 0; i < count; i++) {
		if (l->n == l->cap &&
		    jobs_reserve(l, l->n + l->n / 2 + 1) == -1)
			goto bad;
		/* (the array may have moved) */
		a.prev = i > 0 ? &l->jobs[l->n - 1] : NULL;
		if (decode_job(&p, end, &l->jobs[l->n], &a, skip) != 0)
			goto bad;
		l->n++;
	}
	m->pos = (size_t)(p - (const uint8_t *)m->b.data);
	return 0;

bad:
	m->err = true;
	job_list_free(l);
	return -1;
}

int
job_list_expect(struct job_list *l, size_t n)
{
	return jobs_reserve(l, n);
}

int
proto_job_list_get(struct msg *m, struct job_list *l)
{
	memset(l, 0, sizeof *l);
	return proto_job_list_add(m, l);
}

void
job_list_free(struct job_list *l)
{
	if (l->map_len != 0)
		munmap(l->jobs, l->map_len);
	else
		free(l->jobs);
	for (size_t i = 0; i < l->narenas; i++)
		free(l->arenas[i]);
	free(l->arenas);
	memset(l, 0, sizeof *l);
}

void
job_desc_init(struct job_desc *d)
{
	memset(d, 0, sizeof *d);
	job_init(&d->job);
}

void
job_desc_free(struct job_desc *d)
{
	job_free(&d->job);
	free(d->script);
	if (d->env != NULL) {
		for (char **p = d->env; *p != NULL; p++)
			free(*p);
		free(d->env);
	}
	if (d->argv != NULL) {
		for (char **p = d->argv; *p != NULL; p++)
			free(*p);
		free(d->argv);
	}
	free(d->array);
	free(d->gpu_type);
	memset(d, 0, sizeof *d);
}

void
proto_job_desc_put(struct msg *m, const struct job_desc *d)
{
	proto_job_put(m, &d->job);
	msg_put_str(m, d->script);
	msg_put_strv(m, d->env);
	msg_put_strv(m, d->argv);
	msg_put_str(m, d->array);
	msg_put_u32(m, d->cwd_uid);
	msg_put_u8(m, d->test_only);
	msg_put_u8(m, d->wait);
	msg_put_str(m, d->gpu_type);
}

int
proto_job_desc_get(struct msg *m, struct job_desc *d)
{
	memset(d, 0, sizeof *d);
	if (proto_job_get(m, &d->job) == -1)
		return -1;
	d->script = msg_get_str(m);
	d->env = msg_get_strv(m);
	d->argv = msg_get_strv(m);
	d->array = msg_get_str(m);
	d->cwd_uid = msg_get_u32(m);
	d->test_only = msg_get_u8(m);
	d->wait = msg_get_u8(m);
	d->gpu_type = msg_get_str(m);
	if (m->err) {
		job_desc_free(d);
		return -1;
	}
	return 0;
}

static void
strv_release(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

static void
put_ids(struct msg *m, const uint32_t *ids, uint32_t n)
{
	msg_put_u32(m, n);
	for (uint32_t i = 0; i < n; i++)
		msg_put_u32(m, ids[i]);
}

static uint32_t *
get_ids(struct msg *m, uint32_t *np)
{
	uint32_t n = msg_get_u32(m);
	uint32_t *ids;

	if (m->err || n > (m->b.len - m->pos) / 4) {
		m->err = true;
		*np = 0;
		return NULL;
	}
	ids = xcalloc(n + 1, sizeof *ids);
	for (uint32_t i = 0; i < n; i++)
		ids[i] = msg_get_u32(m);
	*np = n;
	return ids;
}

void
job_filter_free(struct job_filter *f)
{
	free(f->ids);
	strv_release(f->users);
	strv_release(f->names);
	strv_release(f->partitions);
	memset(f, 0, sizeof *f);
}

void
proto_filter_put(struct msg *m, const struct job_filter *f)
{
	put_ids(m, f->ids, f->nids);
	msg_put_u32(m, f->states);
	msg_put_strv(m, f->users);
	msg_put_strv(m, f->names);
	msg_put_strv(m, f->partitions);
	msg_put_i64(m, f->start);
	msg_put_i64(m, f->end);
	msg_put_u32(m, f->flags);
	msg_put_u64(m, f->omit);
}

int
proto_filter_get(struct msg *m, struct job_filter *f)
{
	memset(f, 0, sizeof *f);
	f->ids = get_ids(m, &f->nids);
	f->states = msg_get_u32(m);
	f->users = msg_get_strv(m);
	f->names = msg_get_strv(m);
	f->partitions = msg_get_strv(m);
	f->start = msg_get_i64(m);
	f->end = msg_get_i64(m);
	f->flags = msg_get_u32(m);
	f->omit = msg_get_u64(m);
	if (m->err) {
		job_filter_free(f);
		return -1;
	}
	return 0;
}

void
cancel_req_free(struct cancel_req *c)
{
	if (c->tasks != NULL)
		for (uint32_t i = 0; i < c->nids; i++)
			free(c->tasks[i]);
	free(c->tasks);
	free(c->steps);
	free(c->ids);
	strv_release(c->users);
	strv_release(c->names);
	strv_release(c->partitions);
	memset(c, 0, sizeof *c);
}

void
proto_cancel_put(struct msg *m, const struct cancel_req *c)
{
	put_ids(m, c->ids, c->nids);
	for (uint32_t i = 0; i < c->nids; i++)
		msg_put_str(m, c->tasks != NULL ? c->tasks[i] : NULL);
	msg_put_u32(m, c->signal);
	msg_put_u32(m, c->flags);
	msg_put_u32(m, c->states);
	msg_put_strv(m, c->users);
	msg_put_strv(m, c->names);
	msg_put_strv(m, c->partitions);
	/* Step ids (added with steps): a flag, then one per id. */
	msg_put_u32(m, c->steps != NULL);
	for (uint32_t i = 0; c->steps != NULL && i < c->nids; i++)
		msg_put_u32(m, c->steps[i]);
}

int
proto_cancel_get(struct msg *m, struct cancel_req *c)
{
	memset(c, 0, sizeof *c);
	c->ids = get_ids(m, &c->nids);
	if (!m->err) {
		c->tasks = xcalloc((size_t)c->nids + 1, sizeof *c->tasks);
		for (uint32_t i = 0; i < c->nids && !m->err; i++)
			c->tasks[i] = msg_get_str(m);
	}
	c->signal = msg_get_u32(m);
	c->flags = msg_get_u32(m);
	c->states = msg_get_u32(m);
	c->users = msg_get_strv(m);
	c->names = msg_get_strv(m);
	c->partitions = msg_get_strv(m);
	if (!m->err && msg_get_u32(m) != 0 && !m->err) {
		c->steps = xcalloc((size_t)c->nids + 1, sizeof *c->steps);
		for (uint32_t i = 0; i < c->nids && !m->err; i++)
			c->steps[i] = msg_get_u32(m);
	}
	if (m->err) {
		cancel_req_free(c);
		return -1;
	}
	return 0;
}

void
node_info_free(struct node_info *n)
{
	free(n->name);
	free(n->features);
	free(n->arch);
	free(n->os);
	free(n->state);
	free(n->partitions);
	free(n->gpu_type);
	memset(n, 0, sizeof *n);
}

void
proto_node_put(struct msg *m, const struct node_info *n)
{
	msg_put_str(m, n->name);
	msg_put_u32(m, n->cpus);
	msg_put_u32(m, n->alloc_cpus);
	msg_put_u64(m, n->real_mem_mb);
	msg_put_u64(m, n->alloc_mem_mb);
	msg_put_u64(m, n->free_mem_mb);
	msg_put_u32(m, n->gpus);
	msg_put_u32(m, n->alloc_gpus);
	msg_put_u32(m, n->sockets);
	msg_put_u32(m, n->cores_per_socket);
	msg_put_u32(m, n->threads_per_core);
	msg_put_u32(m, n->load_x100);
	msg_put_str(m, n->features);
	msg_put_str(m, n->arch);
	msg_put_str(m, n->os);
	msg_put_str(m, n->state);
	msg_put_str(m, n->partitions);
	msg_put_i64(m, n->boot_time);
	msg_put_i64(m, n->start_time);
	msg_put_str(m, n->gpu_type);
}

int
proto_node_get(struct msg *m, struct node_info *n)
{
	n->name = msg_get_str(m);
	n->cpus = msg_get_u32(m);
	n->alloc_cpus = msg_get_u32(m);
	n->real_mem_mb = msg_get_u64(m);
	n->alloc_mem_mb = msg_get_u64(m);
	n->free_mem_mb = msg_get_u64(m);
	n->gpus = msg_get_u32(m);
	n->alloc_gpus = msg_get_u32(m);
	n->sockets = msg_get_u32(m);
	n->cores_per_socket = msg_get_u32(m);
	n->threads_per_core = msg_get_u32(m);
	n->load_x100 = msg_get_u32(m);
	n->features = msg_get_str(m);
	n->arch = msg_get_str(m);
	n->os = msg_get_str(m);
	n->state = msg_get_str(m);
	n->partitions = msg_get_str(m);
	n->boot_time = msg_get_i64(m);
	n->start_time = msg_get_i64(m);
	n->gpu_type = msg_get_str(m);
	if (m->err) {
		node_info_free(n);
		return -1;
	}
	return 0;
}

void
part_info_free(struct part_info *p)
{
	free(p->name);
	free(p->nodes);
	free(p->allow_groups);
	free(p->allow_accounts);
	memset(p, 0, sizeof *p);
}

void
proto_part_put(struct msg *m, const struct part_info *p)
{
	msg_put_str(m, p->name);
	msg_put_u8(m, p->is_default);
	msg_put_u8(m, p->state_up);
	msg_put_u32(m, p->max_time);
	msg_put_u32(m, p->default_time);
	msg_put_u32(m, p->max_nodes);
	msg_put_u32(m, p->priority_tier);
	msg_put_u32(m, p->total_cpus);
	msg_put_str(m, p->nodes);
	msg_put_str(m, p->allow_groups);
	msg_put_str(m, p->allow_accounts);
	msg_put_u32(m, p->priority_job_factor);
	msg_put_u8(m, p->hidden);
	msg_put_u32(m, p->max_cpus_per_node);
	msg_put_u64(m, p->max_mem_per_node);
}

int
proto_part_get(struct msg *m, struct part_info *p)
{
	p->name = msg_get_str(m);
	p->is_default = msg_get_u8(m);
	p->state_up = msg_get_u8(m);
	p->max_time = msg_get_u32(m);
	p->default_time = msg_get_u32(m);
	p->max_nodes = msg_get_u32(m);
	p->priority_tier = msg_get_u32(m);
	p->total_cpus = msg_get_u32(m);
	p->nodes = msg_get_str(m);
	p->allow_groups = msg_get_str(m);
	p->allow_accounts = msg_get_str(m);
	p->priority_job_factor = msg_get_u32(m);
	p->hidden = msg_get_u8(m);
	p->max_cpus_per_node = msg_get_u32(m);
	p->max_mem_per_node = msg_get_u64(m);
	if (m->err) {
		part_info_free(p);
		return -1;
	}
	return 0;
}

static const char *const state_names[JOB_STATE_MAX][2] = {
	[JOB_PENDING] = { "PENDING", "PD" },
	[JOB_RUNNING] = { "RUNNING", "R" },
	[JOB_SUSPENDED] = { "SUSPENDED", "S" },
	[JOB_COMPLETE] = { "COMPLETED", "CD" },
	[JOB_CANCELLED] = { "CANCELLED", "CA" },
	[JOB_FAILED] = { "FAILED", "F" },
	[JOB_TIMEOUT] = { "TIMEOUT", "TO" },
	[JOB_NODE_FAIL] = { "NODE_FAIL", "NF" },
	[JOB_PREEMPTED] = { "PREEMPTED", "PR" },
	[JOB_BOOT_FAIL] = { "BOOT_FAIL", "BF" },
	[JOB_DEADLINE] = { "DEADLINE", "DL" },
	[JOB_OOM] = { "OUT_OF_MEMORY", "OOM" },
};

const char *
job_state_name(uint32_t s)
{
	return s < JOB_STATE_MAX ? state_names[s][0] : "UNKNOWN";
}

const char *
job_state_short(uint32_t s)
{
	return s < JOB_STATE_MAX ? state_names[s][1] : "?";
}

int
job_state_parse(const char *s)
{
	for (int i = 0; i < JOB_STATE_MAX; i++)
		if (strcasecmp(s, state_names[i][0]) == 0 ||
		    strcasecmp(s, state_names[i][1]) == 0)
			return i;
	return -1;
}

bool
job_state_is_final(uint32_t s)
{
	return s != JOB_PENDING && s != JOB_RUNNING && s != JOB_SUSPENDED;
}

/*
 * The script's exit code, 1 when a signal killed it (03_sbatch_wait), and
 * 1 for a job that ended other than COMPLETED with a zero status (a job
 * cancelled before it ran; Slurm would say 0 there).
 */
int
job_wait_code(uint32_t state, int32_t status)
{
	int ec;

	ec = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	if (ec == 0 && state != JOB_COMPLETE)
		ec = 1;
	return ec;
}

static const char *const reason_names[WAIT_REASON_MAX] = {
	[WAIT_NO_REASON] = "None",
	[WAIT_PRIORITY] = "Priority",
	[WAIT_RESOURCES] = "Resources",
	[WAIT_DEPENDENCY] = "Dependency",
	[WAIT_DEP_INVALID] = "DependencyNeverSatisfied",
	[WAIT_BEGIN_TIME] = "BeginTime",
	[WAIT_HELD] = "JobHeldAdmin",
	[WAIT_HELD_USER] = "JobHeldUser",
	[WAIT_PART_CONFIG] = "PartitionConfig",
	[WAIT_PART_NODE_LIMIT] = "PartitionNodeLimit",
	[WAIT_PART_TIME_LIMIT] = "PartitionTimeLimit",
	[WAIT_PART_DOWN] = "PartitionDown",
	[WAIT_PART_INACTIVE] = "PartitionInactive",
	[WAIT_NODES_DOWN] = ("Nodes required for job are DOWN, DRAINED or "
	    "reserved for jobs in higher priority partitions"),
	[WAIT_BAD_CONSTRAINTS] = "BadConstraints",
	[FAIL_TIMEOUT] = "TimeLimit",
	[FAIL_EXIT_CODE] = "NonZeroExitCode",
	[FAIL_LAUNCH] = "JobLaunchFailure",
	[FAIL_OOM] = "OutOfMemory",
	[FAIL_SYSTEM] = "SystemFailure",
	[FAIL_SIGNAL] = "RaisedSignal",
	[WAIT_ARRAY_TASK_LIMIT] = "JobArrayTaskLimit",
	[FAIL_DEADLINE] = "DeadLine",
	[FAIL_DOWN_NODE] = "NodeDown",
};

const char *
job_reason_name(uint32_t r)
{
	return r < WAIT_REASON_MAX ? reason_names[r] : "None";
}

bool
job_is_task(const struct job *j, uint32_t array_id, uint32_t task)
{
	struct arrayspec a;
	bool has;

	if (j->array_job_id != array_id)
		return false;
	if (j->array_spec == NULL)
		return j->array_task_id == task;
	if (arrayspec_parse(j->array_spec, UINT32_MAX, &a, NULL, NULL) == -1)
		return false;
	has = arrayspec_has(&a, task);
	arrayspec_free(&a);
	return has;
}

uint32_t
job_nodes(const struct job *j)
{
	if (j->nodelist != NULL && *j->nodelist != '\0')
		return 1;
	return j->min_nodes > 0 ? j->min_nodes : 1;
}

uint64_t
job_mem_node(const struct job *j)
{
	return job_mem_node_of(j->mem_mb, j->flags, j->ncpus);
}

uint64_t
job_mem_node_of(uint64_t mem_mb, uint32_t flags, uint32_t ncpus)
{
	if (flags & JOB_F_MEM_PER_CPU)
		return mem_mb * (ncpus > 0 ? ncpus : 1);
	return mem_mb;
}

uint64_t
job_mem_total(const struct job *j)
{
	if (j->flags & JOB_F_MEM_PER_CPU)
		return job_mem_node(j);
	return j->mem_mb * job_nodes(j);
}

const char *
job_extra(const char *extra, const char *key, size_t *len)
{
	size_t kl = strlen(key);

	for (const char *p = extra; p != NULL && *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t l = nl != NULL ? (size_t)(nl - p) : strlen(p);

		if (l > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
			*len = l - kl - 1;
			return p + kl + 1;
		}
		p += l + (nl != NULL);
	}
	return NULL;
}
