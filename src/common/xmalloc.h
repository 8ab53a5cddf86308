/* SPDX-License-Identifier: MIT */
/*
 * Allocation wrappers that never return NULL: on exhaustion they print the
 * size and abort.  Callers never check the result.  The caller owns (and
 * frees with free(3)) everything these return.
 */
#ifndef BERTH_XMALLOC_H
#define BERTH_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* xstrdup that maps NULL to NULL. */
char	*xstrdup0(const char *);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Returns a new string, like xasprintf but returning the pointer. */
char	*xprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
