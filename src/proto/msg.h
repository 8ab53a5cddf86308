/* SPDX-License-Identifier: MIT */
/*
 * Typed message payloads.  Writers append with msg_put_*; readers take with
 * msg_get_*, which check bounds: after the first failure every further get
 * fails and returns a zero value, so a decoder may read a whole record and
 * test msg->err (or the result of msg_end) once.  msg_end fails when bytes
 * are left over.  Integers are little-endian; a string is u32 length then
 * bytes, with length 0xffffffff standing for NULL.  Gotten strings are new
 * allocations owned by the caller.
 */
#ifndef BERTH_MSG_H
#define BERTH_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/buf.h"

struct msg {
	struct buf	 b;	/* payload being written, or read */
	size_t		 pos;	/* read position */
	bool		 err;	/* a get ran past the end or found garbage */
};

void	 msg_init(struct msg *);
void	 msg_free(struct msg *);
/* Start reading a payload (copied). */
void	 msg_load(struct msg *, const void *, size_t);

void	 msg_put_u8(struct msg *, uint8_t);
void	 msg_put_u32(struct msg *, uint32_t);
void	 msg_put_u64(struct msg *, uint64_t);
void	 msg_put_i64(struct msg *, int64_t);
void	 msg_put_str(struct msg *, const char *);
void	 msg_put_bytes(struct msg *, const void *, size_t);
/* A NULL-terminated string vector (count, then strings). */
void	 msg_put_strv(struct msg *, char *const *);

uint8_t	 msg_get_u8(struct msg *);
uint32_t msg_get_u32(struct msg *);
uint64_t msg_get_u64(struct msg *);
int64_t	 msg_get_i64(struct msg *);
char	*msg_get_str(struct msg *);
/* Returns a new buffer of *lenp bytes (NUL-terminated for convenience). */
char	*msg_get_bytes(struct msg *, size_t *lenp);
char	**msg_get_strv(struct msg *);
bool	 msg_remaining(const struct msg *);
/* 0 if everything was read cleanly, -1 on any error or trailing bytes. */
int	 msg_end(struct msg *);

#endif
