/* SPDX-License-Identifier: MIT */
/*
 * The client/daemon protocol.  A frame is
 *	u32 length | u16 version | u16 type | payload
 * (little-endian; length counts version, type and payload).  A frame whose
 * version differs from PROTO_VERSION is answered with MSG_ERROR and the
 * connection closed: CLI and daemon ship together, there is one version.
 * Message types are grouped in ranges: 1xx requests, 2xx replies.
 * Payload layouts are documented beside each type and in docs/protocol.md.
 */
#ifndef BERTH_PROTO_H
#define BERTH_PROTO_H

#include <stdint.h>

#include "msg.h"

#define PROTO_VERSION	5
#define PROTO_MAX_FRAME	(64u * 1024 * 1024)
#define PROTO_HDR_LEN	8

enum msg_type {
	/* requests */
	MSG_PING = 100,		/* empty */
	MSG_SUBMIT = 101,	/* job_desc (see job.h) */
	MSG_JOB_QUERY = 102,	/* job_filter: active + recent jobs */
	MSG_ACCT_QUERY = 103,	/* job_filter: accounting history */
	MSG_CANCEL = 104,	/* cancel_req */
	MSG_NODE_QUERY = 105,	/* empty -> MSG_NODE_INFO */
	MSG_CONFIG_QUERY = 106,	/* empty -> MSG_KV_LIST */
	MSG_JOB_WAIT = 107,	/* u32 job id -> MSG_JOB_DONE when it ends */
	MSG_SHUTDOWN = 108,	/* empty -> MSG_OK; daemon exits, jobs live */
	MSG_RECONFIGURE = 109,	/* empty -> MSG_OK */
	MSG_JOB_CONTROL = 110,	/* job_control -> MSG_CANCEL_RESULT */
	/* steps and interactive allocations: see step.h, docs/steps.md */
	MSG_ALLOC = 111,	/* job_desc, u32 ALLOC_F_*, [step] ->
				 * [MSG_ALLOC_PENDING], MSG_ALLOC_GRANTED */
	MSG_ALLOC_RELEASE = 112,/* u32 job id, u32 wait status,
				 * u32 RELEASE_F_*, [step] -> MSG_OK */
	MSG_STEP_CREATE = 113,	/* step request -> [MSG_STEP_PENDING],
				 * MSG_STEP_CREATED */
	MSG_STEP_COMPLETE = 114,/* final step record -> MSG_OK */
	MSG_STEP_QUERY = 115,	/* job_filter -> MSG_STEP_LIST */
	MSG_STEP_LAUNCHED = 116,/* u32 job id, u32 step id, i32 pgid ->
				 * MSG_OK (tasks forked; no commit) */
	MSG_PRIO_QUERY = 120,	/* prio_query (prio.h) -> MSG_PRIO_LIST */

	/* replies */
	MSG_OK = 200,		/* empty */
	MSG_ERROR = 201,	/* u32 errcode, str message */
	MSG_SUBMITTED = 202,	/* u32 job id */
	MSG_JOB_LIST = 203,	/* u32 count, count x job record */
	MSG_NODE_INFO = 204,	/* node record, u32 n, n x partition record */
	MSG_KV_LIST = 205,	/* u32 n, n x (str key, str value) */
	MSG_JOB_DONE = 206,	/* u32 job id, u32 state, i32 exit status */
	MSG_CANCEL_RESULT = 207,/* u32 n, n x (u32 id, u32 errcode) */
	MSG_ALLOC_PENDING = 208,/* u32 job id, u32 reason */
	MSG_ALLOC_GRANTED = 209,/* job record, u32 has step, [step],
				 * str cluster name, u32 KillWait */
	MSG_STEP_PENDING = 210,	/* u32 job id, u32 reason */
	MSG_STEP_CREATED = 211,	/* job record, step record, str cluster
				 * name, u32 KillWait */
	MSG_STEP_LIST = 212,	/* u32 n, n x step record */
	MSG_JOB_LIST_PART = 213,/* as MSG_JOB_LIST; more frames follow */
	MSG_PRIO_LIST = 220,	/* prio_list (prio.h) */
};

/*
 * MSG_JOB_CONTROL payload (scontrol hold/uhold/release/requeue/
 * requeuehold/top/update job): u32 op (enum job_ctl), u32 n, n x u32 job
 * id, u32 nkv, nkv x (str key, str value) — the "Key=Value" pairs of
 * `scontrol update job`, keys as the user typed them (case-insensitive) —
 * then n x u32 task: for each id, the array task it names when that task
 * is still pending inside the array record with that id, else NO_VAL.
 * The reply is MSG_CANCEL_RESULT: one (id, errcode) per job named.
 */
enum job_ctl {
	CTL_HOLD = 1,		/* admin hold when root, else user hold */
	CTL_UHOLD,		/* user hold */
	CTL_RELEASE,
	CTL_REQUEUE,
	CTL_REQUEUEHOLD,
	CTL_TOP,
	CTL_UPDATE,
};

/* Encode a full frame (header + payload) of type into out (appended). */
void	 proto_frame(struct buf *out, uint16_t type, const struct msg *payload);
/* The header of a frame of type whose payload is plen bytes, to send it
 * before the payload without copying both into one buffer. */
void	 proto_frame_header(uint8_t h[PROTO_HDR_LEN], uint16_t type,
	    size_t plen);
/*
 * Build a frame in place, for large replies: proto_frame_open leaves room
 * for the header at the start of an empty payload; the caller appends the
 * payload; proto_frame_close fills the header.  m->b then holds the whole
 * frame, ready to send without another copy.  (Its payload must not be
 * read back with msg_get_*: it starts with the header.)
 */
void	 proto_frame_open(struct msg *m);
void	 proto_frame_close(struct msg *m, uint16_t type);
/*
 * Try to take one frame from the front of in.  Returns 1 and fills *type and
 * the payload (msg_load) when a whole frame is there, 0 when more bytes are
 * needed, -1 on a malformed frame (bad length or version; *errcode set to
 * BERTH_E*).  The frame is consumed from in on success.
 */
int	 proto_unframe(struct buf *in, uint16_t *type, struct msg *payload,
	    uint32_t *errcode);
/*
 * The same, except that when in holds exactly one whole frame, payload
 * takes over in's memory instead of a copy (its read position is then
 * the payload's first byte, after the header) and in is left empty: for
 * clients reading large replies.
 */
int	 proto_unframe_take(struct buf *in, uint16_t *type, struct msg *payload,
	    uint32_t *errcode);
/* Bytes still missing from the first frame of in, once its header is
 * there (0 if not, or if the frame is whole). */
size_t	 proto_frame_missing(const struct buf *in);

#endif
