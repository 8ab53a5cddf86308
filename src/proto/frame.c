/* SPDX-License-Identifier: MIT */
/* Frame encoding and decoding: see proto.h. */
#include <string.h>

#include "errors.h"
#include "proto.h"

void
proto_frame(struct buf *out, uint16_t type, const struct msg *payload)
{
	size_t plen = payload != NULL ? payload->b.len : 0;
	uint32_t len = (uint32_t)(plen + 4);
	uint8_t h[PROTO_HDR_LEN] = {
		len, len >> 8, len >> 16, len >> 24,
		PROTO_VERSION & 0xff, PROTO_VERSION >> 8,
		type & 0xff, type >> 8
	};

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
	uint32_t len = (uint32_t)(m->b.len - PROTO_HDR_LEN + 4);
	uint8_t *h = (uint8_t *)m->b.data;

	h[0] = len;
	h[1] = len >> 8;
	h[2] = len >> 16;
	h[3] = len >> 24;
	h[4] = PROTO_VERSION & 0xff;
	h[5] = PROTO_VERSION >> 8;
	h[6] = type & 0xff;
	h[7] = type >> 8;
}

int
proto_unframe(struct buf *in, uint16_t *type, struct msg *payload,
    uint32_t *errcode)
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
	if (in->len < (size_t)len + 4)
		return 0;
	*type = (uint16_t)(p[6] | p[7] << 8);
	msg_load(payload, p + PROTO_HDR_LEN, (size_t)len - 4);
	buf_consume(in, (size_t)len + 4);
	return 1;
}
