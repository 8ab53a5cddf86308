/* SPDX-License-Identifier: MIT */
/*
 * The job's process tree.  The supervisor is a child subreaper
 * (PR_SET_CHILD_SUBREAPER), so every process the job starts stays its
 * descendant even when its parent exits or it changes session: walking
 * /proc/<pid>/task/<tid>/children from the supervisor finds them all,
 * where kill(-pgid) misses processes that left the job's process group.
 * This is how "kill the whole step" works without cgroups.
 *
 * The walk is a snapshot: a process forked during it may be missed, so
 * callers that must empty the tree repeat the kill until waitpid reports
 * ECHILD.
 */
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "jobsup.h"

struct pidv {
	pid_t	*v;
	size_t	 n;
	size_t	 cap;
};

static void	pidv_add(struct pidv *, pid_t);
static void	tree_children(struct pidv *, pid_t);
static void	tree_collect(struct pidv *);

static void
pidv_add(struct pidv *p, pid_t pid)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i] == pid)
			return;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	p->v[p->n++] = pid;
}

static void
pidv_add_cb(pid_t pid, void *p)
{
	pidv_add(p, pid);
}

/* Append the children of every thread of pid. */
static void
tree_children(struct pidv *p, pid_t pid)
{
	proc_children(pid, pidv_add_cb, p);
}

/* All descendants of the calling process, parents before children. */
static void
tree_collect(struct pidv *p)
{
	tree_children(p, getpid());
	for (size_t i = 0; i < p->n; i++)
		tree_children(p, p->v[i]);
}

int
jobsup_tree_signal(int sig, pid_t skip)
{
	struct pidv p = { NULL, 0, 0 };
	int n = 0;

	tree_collect(&p);
	for (size_t i = 0; i < p.n; i++) {
		if (skip > 0 && getpgid(p.v[i]) == skip)
			continue;
		if (kill(p.v[i], sig) == 0)
			n++;
	}
	free(p.v);
	return n;
}

void
jobsup_tree_usage(uint64_t *rss_kb, uint64_t *vsize_kb)
{
	struct pidv p = { NULL, 0, 0 };
	unsigned long long size, resident;
	uint64_t page_kb = (uint64_t)sysconf(_SC_PAGESIZE) / 1024;
	char path[64], *text;

	*rss_kb = *vsize_kb = 0;
	tree_collect(&p);
	for (size_t i = 0; i < p.n; i++) {
		snprintf(path, sizeof path, "/proc/%ld/statm", (long)p.v[i]);
		if ((text = read_file(path, 4096, NULL)) == NULL)
			continue;
		if (sscanf(text, "%llu %llu", &size, &resident) == 2) {
			*vsize_kb += size * page_kb;
			*rss_kb += resident * page_kb;
		}
		free(text);
	}
	free(p.v);
}
