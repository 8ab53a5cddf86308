/* SPDX-License-Identifier: MIT */
/* Typed, bounds-checked message payloads: see msg.h. */
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "msg.h"
#include "proto.h"

#define STR_NULL	0xffffffffu

void
msg_init(struct msg *m)
{
	buf_init(&m->b);
	m->pos = 0;
	m->err = false;
}

void
msg_free(struct msg *m)
{
	buf_free(&m->b);
	m->pos = 0;
	m->err = false;
}

void
msg_load(struct msg *m, const void *p, size_t n)
{
	buf_reset(&m->b);
	buf_add(&m->b, p, n);
	m->pos = 0;
	m->err = false;
}

void
msg_put_u8(struct msg *m, uint8_t v)
{
	buf_add(&m->b, &v, 1);
}

void
msg_put_u32(struct msg *m, uint32_t v)
{
	uint8_t p[4] = { v, v >> 8, v >> 16, v >> 24 };

	buf_add(&m->b, p, 4);
}

void
msg_put_u64(struct msg *m, uint64_t v)
{
	msg_put_u32(m, (uint32_t)v);
	msg_put_u32(m, (uint32_t)(v >> 32));
}

void
msg_put_i64(struct msg *m, int64_t v)
{
	msg_put_u64(m, (uint64_t)v);
}

/* The length and the bytes with one buf_reserve: a request carries
 * the whole environment, a string at a time. */
void
msg_put_bytes(struct msg *m, const void *p, size_t n)
{
	uint8_t *d;

	buf_reserve(&m->b, 4 + n);
	d = (uint8_t *)m->b.data + m->b.len;
	d[0] = (uint8_t)n;
	d[1] = (uint8_t)(n >> 8);
	d[2] = (uint8_t)(n >> 16);
	d[3] = (uint8_t)(n >> 24);
	if (n > 0)
		memcpy(d + 4, p, n);
	m->b.len += 4 + n;
	m->b.data[m->b.len] = '\0';
}

void
msg_put_str(struct msg *m, const char *s)
{
	if (s == NULL) {
		msg_put_u32(m, STR_NULL);
		return;
	}
	msg_put_bytes(m, s, strlen(s));
}

void
msg_put_strv(struct msg *m, char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	msg_put_u32(m, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		msg_put_str(m, v[i]);
}

static const uint8_t *
take(struct msg *m, size_t n)
{
	const uint8_t *p;

	if (m->err || n > m->b.len - m->pos) {
		m->err = true;
		return NULL;
	}
	p = (const uint8_t *)m->b.data + m->pos;
	m->pos += n;
	return p;
}

uint8_t
msg_get_u8(struct msg *m)
{
	const uint8_t *p = take(m, 1);

	return p == NULL ? 0 : p[0];
}

uint32_t
msg_get_u32(struct msg *m)
{
	const uint8_t *p = take(m, 4);

	if (p == NULL)
		return 0;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

uint64_t
msg_get_u64(struct msg *m)
{
	uint64_t lo = msg_get_u32(m);
	uint64_t hi = msg_get_u32(m);

	return lo | hi << 32;
}

int64_t
msg_get_i64(struct msg *m)
{
	return (int64_t)msg_get_u64(m);
}

/* A length-prefixed run of bytes: NULL for the NULL string or on error. */
static const uint8_t *
take_counted(struct msg *m, uint32_t *np)
{
	uint32_t n = msg_get_u32(m);

	*np = 0;
	if (m->err || n == STR_NULL || n > PROTO_MAX_FRAME) {
		if (n != STR_NULL)
			m->err = true;
		return NULL;
	}
	*np = n;
	return take(m, n);
}

static char *
dup_bytes(const uint8_t *p, uint32_t n)
{
	char *s = xmalloc((size_t)n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *
msg_get_bytes(struct msg *m, size_t *lenp)
{
	const uint8_t *p;
	uint32_t n;

	if ((p = take_counted(m, &n)) == NULL) {
		if (lenp != NULL)
			*lenp = 0;
		return NULL;
	}
	if (lenp != NULL)
		*lenp = n;
	return dup_bytes(p, n);
}

char *
msg_get_str(struct msg *m)
{
	const uint8_t *p;
	uint32_t n;

	if ((p = take_counted(m, &n)) == NULL)
		return NULL;
	if (memchr(p, '\0', n) != NULL) {	/* embedded NUL */
		m->err = true;
		return NULL;
	}
	return dup_bytes(p, n);
}

char **
msg_get_strv(struct msg *m)
{
	uint32_t n = msg_get_u32(m);
	char **v;

	/* Each string needs at least 4 bytes: bound n before allocating. */
	if (m->err || n > (m->b.len - m->pos) / 4) {
		m->err = true;
		return NULL;
	}
	v = xcalloc((size_t)n + 1, sizeof *v);
	for (uint32_t i = 0; i < n; i++) {
		v[i] = msg_get_str(m);
		if (v[i] == NULL) {
			m->err = true;
			break;
		}
	}
	return v;
}

bool
msg_remaining(const struct msg *m)
{
	return !m->err && m->pos < m->b.len;
}

int
msg_end(struct msg *m)
{
	if (m->err || m->pos != m->b.len) {
		m->err = true;
		return -1;
	}
	return 0;
}
