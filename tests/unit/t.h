/* SPDX-License-Identifier: MIT */
/*
 * A tiny TAP harness for unit tests.  ok(cond, fmt...) prints one TAP line;
 * is_str/is_int compare and show both sides on failure; done_testing()
 * prints the plan and returns the exit status for main.
 */
#ifndef BERTH_T_H
#define BERTH_T_H

#include <stdio.h>
#include <string.h>

static int t_n, t_fail;

#define ok(c, ...) do { \
	t_n++; \
	if (c) printf("ok %d - ", t_n); \
	else { printf("not ok %d - ", t_n); t_fail++; } \
	printf(__VA_ARGS__); printf("\n"); \
} while (0)

#define is_str(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int c_ = (g_ == NULL && w_ == NULL) || \
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0); \
	ok(c_, __VA_ARGS__); \
	if (!c_) printf("#   got:  '%s'\n#   want: '%s'\n", \
	    g_ ? g_ : "(NULL)", w_ ? w_ : "(NULL)"); \
} while (0)

#define is_int(got, want, ...) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	ok(g_ == w_, __VA_ARGS__); \
	if (g_ != w_) printf("#   got:  %lld\n#   want: %lld\n", g_, w_); \
} while (0)

static inline int
done_testing(void)
{
	printf("1..%d\n", t_n);
	return t_fail != 0;
}

#endif
