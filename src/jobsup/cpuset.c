/* SPDX-License-Identifier: MIT */
/*
 * CPU lists as the daemon writes them into job.cpu_ids ("0-3,8,10-11", the
 * kernel's cpulist format without strides) turned into a cpu_set_t for
 * sched_setaffinity.  Pure: no I/O.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "jobsup.h"

/* Far beyond any machine berth runs on; guards the allocation. */
#define CPULIST_MAX_CPU	65535

static int	cpulist_number(const char **, unsigned long *);

static int
cpulist_number(const char **pp, unsigned long *out)
{
	const char *p = *pp;
	unsigned long v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > CPULIST_MAX_CPU)
			return -1;
		p++;
	}
	*pp = p;
	*out = v;
	return 0;
}

cpu_set_t *
jobsup_cpulist_parse(const char *list, size_t *sizep, char **cause)
{
	unsigned long lo, hi, max = 0;
	const char *p;
	cpu_set_t *set;
	size_t size;

	/* First pass: validate and find the highest CPU. */
	for (p = list; *p != '\0';) {
		if (cpulist_number(&p, &lo) == -1)
			goto bad;
		hi = lo;
		if (*p == '-') {
			p++;
			if (cpulist_number(&p, &hi) == -1 || hi < lo)
				goto bad;
		}
		if (hi > max)
			max = hi;
		if (*p == ',' && p[1] != '\0')
			p++;
		else if (*p != '\0')
			goto bad;
	}
	if (p == list)
		goto bad;

	set = CPU_ALLOC(max + 1);
	if (set == NULL) {
		xasprintf(cause, "CPU_ALLOC %lu: %s", max + 1, strerror(errno));
		return NULL;
	}
	size = CPU_ALLOC_SIZE(max + 1);
	CPU_ZERO_S(size, set);
	for (p = list; *p != '\0';) {
		(void)cpulist_number(&p, &lo);
		hi = lo;
		if (*p == '-') {
			p++;
			(void)cpulist_number(&p, &hi);
		}
		for (unsigned long c = lo; c <= hi; c++)
			CPU_SET_S(c, size, set);
		if (*p == ',')
			p++;
	}
	*sizep = size;
	return set;
bad:
	xasprintf(cause, "invalid CPU list \"%s\"", list);
	return NULL;
}
