/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer.  b->data is always NUL-terminated one byte past
 * b->len so it can be used as a C string.  The buffer owns b->data.
 */
#ifndef BERTH_BUF_H
#define BERTH_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_reserve(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, char);
void	 buf_adds(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Removes the first n bytes. */
void	 buf_consume(struct buf *, size_t);
/* Hands the data to the caller (who frees it) and resets the buffer. */
char	*buf_steal(struct buf *);

#endif
