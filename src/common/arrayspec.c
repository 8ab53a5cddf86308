/* SPDX-License-Identifier: MIT */
/*
 * Job array index sets as range lists (see arrayspec.h).  Ranges are
 * sorted by lo and do not overlap, so take/remove/has walk the list and
 * the cost of a set is the number of ranges, not of indexes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arrayspec.h"
#include "buf.h"
#include "xmalloc.h"

static int
num(const char **sp, uint32_t *out)
{
	const char *s = *sp;
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || v > 0xfffffff0ul)
		return -1;
	*out = (uint32_t)v;
	*sp = end;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_range(const void *a, const void *b)
{
	const struct array_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/*
 * Join neighbours that continue one another ("0,1,2" is "0-2", "1,3,5-9:2"
 * is "1-9:2"), so that a long comma list costs one range per run.
 */
static void
compact(struct arrayspec *a)
{
	uint32_t out = 0;

	for (uint32_t i = 0; i < a->n; i++) {
		struct array_range *c = out ? &a->r[out - 1] : NULL;
		const struct array_range *x = &a->r[i];
		uint32_t gap = c != NULL ? x->lo - c->hi : 0;

		if (c != NULL && c->lo == c->hi &&
		    (x->lo == x->hi || x->step == gap)) {
			c->step = gap;
			c->hi = x->hi;
		} else if (c != NULL && gap == c->step &&
		    (x->lo == x->hi || x->step == c->step))
			c->hi = x->hi;
		else
			a->r[out++] = *x;
	}
	a->n = out;
}

/*
 * Sort by lo.  Overlapping ranges (rare: "0-3,2") are expanded into
 * single indexes, deduplicated and folded back into step-1 runs; at most
 * EXPAND_MAX of them, so that no request makes us allocate without bound
 * (-1: refused).
 */
#define EXPAND_MAX	(8u * 1024 * 1024)

static int
normalize(struct arrayspec *a)
{
	struct arrayspec out = { NULL, 0 };
	uint32_t *v = NULL;
	size_t nv = 0;
	bool overlap = false;

	qsort(a->r, a->n, sizeof *a->r, cmp_range);
	for (uint32_t i = 0; i + 1 < a->n; i++)
		if (a->r[i].hi >= a->r[i + 1].lo)
			overlap = true;
	if (!overlap) {
		compact(a);
		return 0;
	}
	if (arrayspec_count(a) > EXPAND_MAX)
		return -1;
	v = xreallocarray(NULL, arrayspec_count(a), sizeof *v);
	for (uint32_t i = 0; i < a->n; i++) {
		const struct array_range *r = &a->r[i];

		for (uint32_t k = r->lo;; k += r->step) {
			v[nv++] = k;
			if (k == r->hi)
				break;
		}
	}
	qsort(v, nv, sizeof *v, cmp_u32);
	for (size_t i = 0; i < nv; i++) {
		struct array_range *last = out.n ? &out.r[out.n - 1] : NULL;

		if (last != NULL && v[i] == last->hi)
			continue;
		if (last != NULL && v[i] == last->hi + 1) {
			last->hi++;
			continue;
		}
		out.r = xreallocarray(out.r, out.n + 1, sizeof *out.r);
		out.r[out.n++] = (struct array_range){ v[i], v[i], 1 };
	}
	free(v);
	free(a->r);
	*a = out;
	return 0;
}

int
arrayspec_parse(const char *s, uint32_t max_size, struct arrayspec *a,
    uint32_t *throttle, char **cause)
{
	const char *p = s;
	uint32_t cap = 0;

	a->r = NULL;
	a->n = 0;
	if (throttle != NULL)
		*throttle = 0;
	if (s == NULL || *s == '\0')
		goto bad;
	for (;;) {
		struct array_range r;

		if (num(&p, &r.lo) == -1 || a->n == UINT32_MAX / 2)
			goto bad;
		r.hi = r.lo;
		r.step = 1;
		if (*p == '-') {
			p++;
			if (num(&p, &r.hi) == -1 || r.hi < r.lo)
				goto bad;
			if (*p == ':') {
				p++;
				if (num(&p, &r.step) == -1 || r.step == 0)
					goto bad;
			}
			r.hi -= (r.hi - r.lo) % r.step;
		}
		if (r.hi >= max_size)
			goto bad;
		if (a->n == cap) {
			cap = cap ? cap * 2 : 4;
			a->r = xreallocarray(a->r, cap, sizeof *a->r);
		}
		a->r[a->n++] = r;
		if (*p == ',') {
			p++;
			continue;
		}
		break;
	}
	if (*p == '%' && throttle != NULL) {
		/*
		 * slurmctld's atoi(): the leading number, cast to int; none
		 * if not > 0 (checked on 22.05.8: "1%2x" and "1%4294967298"
		 * are 2, "1%abc" and "1%2147483649" no throttle).
		 */
		long long t = strtoll(p + 1, NULL, 10);
		int32_t ti = (int32_t)(uint32_t)(unsigned long long)t;

		*throttle = ti > 0 ? (uint32_t)ti : 0;
		p += strlen(p);
	}
	if (*p != '\0' || normalize(a) == -1)
		goto bad;
	return 0;
bad:
	arrayspec_free(a);
	if (cause != NULL)
		xasprintf(cause, "Invalid job array specification");
	return -1;
}

void
arrayspec_free(struct arrayspec *a)
{
	free(a->r);
	a->r = NULL;
	a->n = 0;
}

uint64_t
arrayspec_count(const struct arrayspec *a)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < a->n; i++)
		n += (a->r[i].hi - a->r[i].lo) / a->r[i].step + 1;
	return n;
}

bool
arrayspec_empty(const struct arrayspec *a)
{
	return a->n == 0;
}

uint32_t
arrayspec_min(const struct arrayspec *a)
{
	return a->n ? a->r[0].lo : 0;
}

uint32_t
arrayspec_max(const struct arrayspec *a)
{
	return a->n ? a->r[a->n - 1].hi : 0;
}

uint32_t
arrayspec_step(const struct arrayspec *a)
{
	uint32_t step = 0, prev = 0;
	bool have = false;

	for (uint32_t i = 0; i < a->n; i++) {
		const struct array_range *r = &a->r[i];
		uint32_t gap;

		if (have) {
			gap = r->lo - prev;
			if (step != 0 && gap != step)
				return 1;
			step = gap;
		}
		if (r->hi > r->lo) {
			if (step != 0 && r->step != step)
				return 1;
			step = r->step;
		}
		prev = r->hi;
		have = true;
	}
	return step ? step : 1;
}

/* Ranges are sorted and disjoint: look in the last one starting at or
 * below idx. */
bool
arrayspec_has(const struct arrayspec *a, uint32_t idx)
{
	const struct array_range *r;
	uint32_t lo = 0, hi = a->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (a->r[mid].lo <= idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	r = &a->r[lo - 1];
	return idx <= r->hi && (idx - r->lo) % r->step == 0;
}

uint32_t
arrayspec_take(struct arrayspec *a)
{
	uint32_t idx = a->r[0].lo;

	if (a->r[0].lo == a->r[0].hi) {
		memmove(a->r, a->r + 1, (a->n - 1) * sizeof *a->r);
		a->n--;
	} else
		a->r[0].lo += a->r[0].step;
	return idx;
}

int
arrayspec_append(struct arrayspec *a, uint32_t idx)
{
	struct array_range *last = a->n ? &a->r[a->n - 1] : NULL;

	if (last != NULL && idx <= last->hi)
		return -1;
	if (last != NULL && last->lo == last->hi) {
		last->step = idx - last->lo;
		last->hi = idx;
	} else if (last != NULL && idx - last->hi == last->step)
		last->hi = idx;
	else {
		a->r = xreallocarray(a->r, a->n + 1, sizeof *a->r);
		a->r[a->n++] = (struct array_range){ idx, idx, 1 };
	}
	return 0;
}

bool
arrayspec_remove(struct arrayspec *a, uint32_t idx)
{
	for (uint32_t i = 0; i < a->n; i++) {
		struct array_range *r = &a->r[i], tail;

		if (idx < r->lo || idx > r->hi || (idx - r->lo) % r->step != 0)
			continue;
		if (r->lo == r->hi) {
			memmove(r, r + 1, (a->n - i - 1) * sizeof *r);
			a->n--;
		} else if (idx == r->lo)
			r->lo += r->step;
		else if (idx == r->hi)
			r->hi -= r->step;
		else {
			tail.lo = idx + r->step;
			tail.hi = r->hi;
			tail.step = r->step;
			r->hi = idx - r->step;
			a->r = xreallocarray(a->r, a->n + 1, sizeof *a->r);
			memmove(&a->r[i + 2], &a->r[i + 1],
			    (a->n - i - 1) * sizeof *a->r);
			a->r[i + 1] = tail;
			a->n++;
		}
		return true;
	}
	return false;
}

char *
arrayspec_format(const struct arrayspec *a)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "%s", "");
	for (uint32_t i = 0; i < a->n; i++) {
		const struct array_range *r = &a->r[i];

		buf_printf(&b, "%s%u", i ? "," : "", r->lo);
		if (r->hi != r->lo)
			buf_printf(&b, "-%u", r->hi);
		if (r->hi != r->lo && r->step != 1)
			buf_printf(&b, ":%u", r->step);
	}
	return buf_steal(&b);
}

char *
arrayspec_display(const struct arrayspec *a)
{
	struct buf b;
	bool first = true;

	buf_init(&b);
	buf_printf(&b, "%s", "");
	for (uint32_t i = 0; i < a->n; i++) {
		const struct array_range *r = &a->r[i];

		if (r->step == 1) {
			buf_printf(&b, "%s%u", first ? "" : ",", r->lo);
			if (r->hi != r->lo)
				buf_printf(&b, "-%u", r->hi);
			first = false;
			continue;
		}
		for (uint32_t k = r->lo;; k += r->step) {
			buf_printf(&b, "%s%u", first ? "" : ",", k);
			first = false;
			if (k == r->hi)
				break;
		}
	}
	return buf_steal(&b);
}
