/* SPDX-License-Identifier: MIT */
/* Frame encoding and decoding: see proto.h. */
#include <string.h>

#include "errors.h"
#include "proto.h"

void
proto_frame_header(uint8_t h[PROTO_HDR_LEN], uint16_t type, size_t plen)
{
	uint32_t len = (uint32_t)(plen + 4);

	h[0] = len;
	h[1] = len >> 8;
	h[2] = len >> 16;
	h[3] = len >> 24;
	h[4] = PROTO_VERSION & 0xff;
	h[5] = PROTO_VERSION >> 8;
	h[6] = type & 0xff;
	h[7] = type >> 8;
}

void
proto_frame(struct buf *out, uint16_t type, const struct msg *payload)
{
	size_t plen = payload != NULL ? payload->b.len : 0;
	uint8_t h[PROTO_HDR_LEN];

	proto_frame_header(h, type, plen);
	buf_add(out, h, sizeof h);
	if (plen > 0)
		buf_add(out, payload->b.data, plen);
}

void
proto_frame_open(struct msg *m)
{
	static const uint8_t zero[PROTO_HDR_LEN];

	buf_reset(&m->b);
	buf_add(&m->b, zero, sizeof zero);
}

void
proto_frame_close(struct msg *m, uint16_t type)
{
	proto_frame_header((uint8_t *)m->b.data, type,
	    m->b.len - PROTO_HDR_LEN);
}

/* The first frame's header: 1 and its whole size in *size, 0 if the
 * header is not all there, -1 if it is bad (*errcode set). */
static int
frame_header(const struct buf *in, size_t *size, uint32_t *errcode)
{
	const uint8_t *p = (const uint8_t *)in->data;
	uint32_t len;
	uint16_t ver;

	if (in->len < PROTO_HDR_LEN)
		return 0;
	len = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	ver = (uint16_t)(p[4] | p[5] << 8);
	if (len < 4 || len > PROTO_MAX_FRAME) {
		*errcode = BERTH_EPROTO;
		return -1;
	}
	if (ver != PROTO_VERSION) {
		*errcode = BERTH_EVERSION;
		return -1;
	}
	*size = (size_t)len + 4;
	return 1;
}

int
proto_unframe(struct buf *in, uint16_t *type, struct msg *payload,
    uint32_t *errcode)
{
	const uint8_t *p = (const uint8_t *)in->data;
	size_t size;
	int r;

	if ((r = frame_header(in, &size, errcode)) != 1)
		return r;
	if (in->len < size)
		return 0;
	*type = (uint16_t)(p[6] | p[7] << 8);
	msg_load(payload, p + PROTO_HDR_LEN, size - PROTO_HDR_LEN);
	buf_consume(in, size);
	return 1;
}

int
proto_unframe_take(struct buf *in, uint16_t *type, struct msg *payload,
    uint32_t *errcode)
{
	const uint8_t *p = (const uint8_t *)in->data;
	size_t size;
	int r;

	if ((r = frame_header(in, &size, errcode)) != 1 || in->len != size)
		return r == 1 ? proto_unframe(in, type, payload, errcode) : r;
	*type = (uint16_t)(p[6] | p[7] << 8);
	msg_free(payload);
	payload->b = *in;
	payload->pos = PROTO_HDR_LEN;
	buf_init(in);
	return 1;
}

size_t
proto_frame_missing(const struct buf *in)
{
	size_t size;
	uint32_t errcode;

	if (frame_header(in, &size, &errcode) != 1 || in->len >= size)
		return 0;
	return size - in->len;
}
