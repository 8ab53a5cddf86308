/* SPDX-License-Identifier: MIT */
/*
 * What is left of a job whose supervisor died without a result, when the
 * supervisor was not ours: re-adopted after a restart, or found dead by
 * recovery.  (The processes of a supervisor of ours, or of our zygote's,
 * become our children when it dies and are killed by orphans_kill() in
 * supervise.c.)  Two ways, both on this rare path only, none per job:
 *
 * - The keeper: the zygote is a child subreaper, and one whose daemon
 *   went away stays while supervisors it forked still run jobs
 *   (src/jobsup/zygote.c, zygote_linger()), so a dead supervisor's
 *   processes (those that left the job's process group too) become its
 *   children.  It kills them itself; keeper_kill() kills them as well,
 *   so that they are gone before the job ends or pends again.  (Our
 *   own zygote is such a keeper too: orphans_kill().)
 * - The job's process group, for a supervisor without a keeper (one the
 *   old daemon spawned itself, or the zygote died too): group_kill().
 *
 * Never by a number alone: a group whose members are all gone frees its
 * number, which a new process may have taken since (a restart, a
 * reboot, or simply time).  Each process is signalled through a pidfd
 * opened before its /proc record is checked (the record read after the
 * open is that process's if it is alive, and a dead one is not
 * signalled: ESRCH), and only if that record says it is the job's: a
 * keeper's child, or a member of the job's group (the batch shell's pid)
 * in the job's session (the supervisor's pid), started after the job, in
 * this boot.
 *
 * A step's tasks (steps.c) are killed the same way, never by a number
 * alone, but with a pidfd of their group's leader in hand, taken while it
 * led the group: group_kill_led().  The search of /proc is left for an
 * old kernel and a leader already reaped.
 */
#include <sys/syscall.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "daemon.h"
#include "leftovers.h"

/* pidfd_send_signal(2)'s flag for the process group the pidfd's pid
 * leads (Linux 6.9, <linux/pidfd.h>; Debian 12's headers predate it). */
#ifndef PIDFD_SIGNAL_PROCESS_GROUP
#define PIDFD_SIGNAL_PROCESS_GROUP	(1U << 2)
#endif

static int64_t	boot_time(void);

/* Fields 3-6 and 22 of /proc/<pid>/stat. */
int
pstat_read(pid_t pid, struct pstat *ps)
{
	char path[64], buf[1024], *p;
	long ppid, pgrp, sid;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name may hold anything: fields follow the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return -1;
	p += 2;
	if (sscanf(p, "%c %ld %ld %ld", &ps->state, &ppid, &pgrp, &sid) != 4)
		return -1;
	ps->ppid = (pid_t)ppid;
	ps->pgrp = (pid_t)pgrp;
	ps->sid = (pid_t)sid;
	for (field = 3; field < 22 && p != NULL; field++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	if (p == NULL)
		return -1;
	ps->start = strtoull(p, NULL, 10);
	return 0;
}

/* The boot time (btime of /proc/stat), 0 if unknown. */
static int64_t
boot_time(void)
{
	char *text, *p;
	int64_t bt = 0;

	if ((text = read_file("/proc/stat", 1 << 20, NULL)) == NULL)
		return 0;
	if ((p = strstr(text, "\nbtime ")) != NULL)
		bt = strtoll(p + 7, NULL, 10);
	free(text);
	return bt;
}

/* Is cmd (len bytes, NUL-separated) "<path>\0-w\0<jobs>/idle-supervisor-
 * waiting\0", our zygote's command line? */
static bool
is_zygote_cmd(const char *cmd, size_t len, const char *jobs_dir)
{
	const char *a1, *a2;
	char *want;
	bool match;

	if ((a1 = memchr(cmd, '\0', len)) == NULL || (size_t)(++a1 - cmd) +
	    3 > len || memcmp(a1, "-w", 3) != 0)
		return false;
	a2 = a1 + 3;
	want = xprintf("%s/idle-supervisor-waiting", jobs_dir);
	match = (size_t)(a2 - cmd) + strlen(want) + 1 <= len &&
	    memcmp(a2, want, strlen(want) + 1) == 0;
	free(want);
	return match;
}

pid_t
keeper_open(pid_t sup, const char *jobs_dir, int *fdp)
{
	struct pstat ps;
	char path[64], *cmd;
	size_t len;
	pid_t keeper;
	bool zyg;
	int fd;

	*fdp = -1;
	if (pstat_read(sup, &ps) == -1 || ps.ppid <= 1)
		return 0;
	keeper = ps.ppid;
	snprintf(path, sizeof path, "/proc/%ld/cmdline", (long)keeper);
	if ((cmd = read_file(path, 8192, &len)) == NULL)
		return 0;
	zyg = is_zygote_cmd(cmd, len, jobs_dir);
	free(cmd);
	if (!zyg || (fd = sys_pidfd_open(keeper, 0)) == -1)
		return 0;
	/* Still the supervisor's parent, now that we hold the pidfd: so the
	 * pidfd is of that parent. */
	if (pstat_read(sup, &ps) == -1 || ps.ppid != keeper) {
		close(fd);
		return 0;
	}
	*fdp = fd;
	return keeper;
}

struct keeper_walk {
	pid_t		  keeper;
	bool		(*known)(pid_t);
};

/* Is pid an idle supervisor (it still has the zygote's command line)? */
static bool
is_idle_sup(pid_t pid)
{
	char path[64], *cmd;
	size_t len;
	bool idle;

	snprintf(path, sizeof path, "/proc/%ld/cmdline", (long)pid);
	if ((cmd = read_file(path, 8192, &len)) == NULL)
		return false;
	idle = is_zygote_cmd(cmd, len, D->jobs_dir);
	free(cmd);
	return idle;
}

static void
keeper_child(pid_t pid, void *arg)
{
	struct keeper_walk *w = arg;
	struct pstat ps;
	int fd;

	/* Not one the zygote has just forked, its answer still on its way
	 * to us, nor one we let go. */
	if (w->known(pid) || is_idle_sup(pid) ||
	    (fd = sys_pidfd_open(pid, 0)) == -1)
		return;
	if (pstat_read(pid, &ps) == 0 && ps.ppid == w->keeper &&
	    ps.state != 'Z' && pidfd_signal(fd, SIGKILL, NULL) == 0)
		log_warnx("killing process %ld, left by a dead supervisor",
		    (long)pid);
	close(fd);
}

void
keeper_kill(pid_t keeper, int keeper_fd, bool (*known)(pid_t))
{
	struct keeper_walk w = { keeper, known };

	/* A keeper gone means its pid may be somebody else's now (not
	 * for our child, keeper_fd -1: its pid is ours until we reap it). */
	if (keeper <= 1 || (keeper_fd != -1 &&
	    pidfd_signal(keeper_fd, 0, NULL) == -1))
		return;
	proc_children(keeper, keeper_child, &w);
}

/*
 * SIGKILL each process of group pgid in session sid that started since
 * since (epoch seconds; bt the boot time), through a pidfd opened before
 * its record is read again; what names the group in the log.
 */
static void
members_kill(pid_t sid, pid_t pgid, int64_t since, int64_t bt,
    const char *what)
{
	struct pstat ps, ps2;
	struct dirent *de;
	int64_t hz;
	DIR *d;
	pid_t pid;
	char *end;
	int fd;

	hz = sysconf(_SC_CLK_TCK);
	if ((d = opendir("/proc")) == NULL) {
		log_warn("opendir /proc");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		pid = (pid_t)strtol(de->d_name, &end, 10);
		if (pid <= 1 || *end != '\0' || pstat_read(pid, &ps) == -1 ||
		    ps.pgrp != pgid || ps.sid != sid || ps.state == 'Z')
			continue;
		/* Started before (a second's slack: btime is rounded
		 * down): not of the group we mean. */
		if (since > 0 && bt > 0 && hz > 0 &&
		    bt + (int64_t)(ps.start / (uint64_t)hz) + 1 < since)
			continue;
		if ((fd = sys_pidfd_open(pid, 0)) == -1)
			continue;
		if (pstat_read(pid, &ps2) == 0 && ps2.start == ps.start &&
		    ps2.pgrp == pgid && ps2.sid == sid &&
		    pidfd_signal(fd, SIGKILL, NULL) == 0)
			log_warnx("killing process %ld of %s", (long)pid, what);
		close(fd);
	}
	closedir(d);
}

void
group_kill(pid_t sid, pid_t pgid, int64_t job_start)
{
	struct pstat ps;
	char what[96];
	int64_t bt;

	if (sid <= 1 || pgid <= 1)
		return;
	/* The job ran before this boot: nothing of it is left. */
	bt = boot_time();
	if (job_start > 0 && bt > 0 && job_start < bt)
		return;
	/* A live process with the session's number: the session is another
	 * one (the job's kept the number while any member lived). */
	if (pstat_read(sid, &ps) == 0 && ps.state != 'Z')
		return;
	snprintf(what, sizeof what, "the job's process group %ld, left by a "
	    "dead supervisor", (long)pgid);
	members_kill(sid, pgid, job_start, bt, what);
}

/*
 * BERTH_TEST_OLD_KERNEL=pgrp (e2e 98-step-group-reuse): do as on a
 * kernel without PIDFD_SIGNAL_PROCESS_GROUP.  Read once.
 */
static bool
pgrp_signal_test_off(void)
{
	static bool read, off;
	const char *e;

	if (!read) {
		e = getenv("BERTH_TEST_OLD_KERNEL");
		off = e != NULL && strcmp(e, "pgrp") == 0;
		read = true;
	}
	return off;
}

int
group_kill_led(int leader_fd, pid_t pgid, pid_t sid, int64_t since)
{
	struct pstat ps;
	char what[64];

	if (leader_fd == -1 || pgid <= 1)
		return 0;
	/* Linux >= 6.9: the group of the pidfd's pid itself, not of its
	 * number (ESRCH: no member left). */
	if (!pgrp_signal_test_off()) {
		if (syscall(SYS_pidfd_send_signal, leader_fd, SIGKILL, NULL,
		    PIDFD_SIGNAL_PROCESS_GROUP) == 0 || errno == ESRCH)
			return 0;
		if (errno != EINVAL)
			return -1;
	}
	/* The leader not reaped (a zombie too): the number is still its,
	 * so the group of that number is the one it led. */
	if (pidfd_signal(leader_fd, 0, NULL) == 0) {
		if (kill(-pgid, SIGKILL) == -1 && errno != ESRCH)
			return -1;
		return 0;
	}
	if (errno != ESRCH)
		return -1;
	/* Reaped.  A process with the number now (a zombie too) means
	 * the group had no member left when it was given out again: a
	 * group of that number is another one. */
	if (pstat_read(pgid, &ps) == 0)
		return 0;
	snprintf(what, sizeof what, "a step's process group %ld", (long)pgid);
	members_kill(sid, pgid, since, boot_time(), what);
	return 0;
}
