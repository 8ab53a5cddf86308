/* SPDX-License-Identifier: MIT */
/*
 * Encoding of sprio's reply rows (layout in prio.h).  The header (type,
 * weights, count) is written by the daemon with msg_put_* directly.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "prio.h"

void
msg_put_f64(struct msg *m, double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	msg_put_u64(m, u);
}

double
msg_get_f64(struct msg *m)
{
	uint64_t u = msg_get_u64(m);
	double d;

	memcpy(&d, &u, sizeof d);
	return d;
}

void
prio_row_put(struct msg *m, const struct prio_row *r)
{
	msg_put_u32(m, r->id);
	msg_put_u32(m, r->uid);
	msg_put_str(m, r->user);
	msg_put_str(m, r->partition);
	msg_put_u32(m, r->priority);
	msg_put_u32(m, (uint32_t)r->nice);
	msg_put_u8(m, r->fixed);
	msg_put_f64(m, r->age);
	msg_put_f64(m, r->fs);
	msg_put_f64(m, r->js);
	msg_put_f64(m, r->part);
	msg_put_f64(m, r->qos);
}

int
prio_list_get(struct msg *m, struct prio_list *l)
{
	uint32_t n;

	memset(l, 0, sizeof *l);
	l->multifactor = msg_get_u8(m) != 0;
	l->w_age = msg_get_u32(m);
	l->w_fs = msg_get_u32(m);
	l->w_js = msg_get_u32(m);
	l->w_part = msg_get_u32(m);
	l->w_qos = msg_get_u32(m);
	n = msg_get_u32(m);
	if (m->err || n > m->b.len)	/* each row takes bytes */
		return -1;
	l->rows = xcalloc(n == 0 ? 1 : n, sizeof *l->rows);
	for (uint32_t i = 0; i < n && !m->err; i++) {
		struct prio_row *r = &l->rows[i];

		r->id = msg_get_u32(m);
		r->uid = msg_get_u32(m);
		r->user = msg_get_str(m);
		r->partition = msg_get_str(m);
		r->priority = msg_get_u32(m);
		r->nice = (int32_t)msg_get_u32(m);
		r->fixed = msg_get_u8(m) != 0;
		r->age = msg_get_f64(m);
		r->fs = msg_get_f64(m);
		r->js = msg_get_f64(m);
		r->part = msg_get_f64(m);
		r->qos = msg_get_f64(m);
		l->n = i + 1;
	}
	return m->err ? -1 : 0;
}

void
prio_list_free(struct prio_list *l)
{
	for (uint32_t i = 0; i < l->n; i++) {
		free(l->rows[i].user);
		free(l->rows[i].partition);
	}
	free(l->rows);
	memset(l, 0, sizeof *l);
}
