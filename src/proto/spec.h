/* SPDX-License-Identifier: MIT */
/*
 * What the daemon hands a supervisor (berth-jobsup), and what the
 * supervisor leaves behind.  Two files per running job, in <state>/jobs/:
 *
 *   <id>     the job file.  The daemon creates (or reuses) it, flocks it
 *            (LOCK_EX), writes JOBFILE_HDR header bytes then the spec (struct
 *            job_spec encoded with proto_spec_put), and hands it to the
 *            supervisor as fd 3.  The flock is held through that shared
 *            open file while the supervisor has the job (it closes the
 *            file after the result, or dies): a restarted daemon that can
 *            take the lock knows no supervisor has the job.  The
 *            supervisor's pid is in the header before it has the job
 *            (jobfile_set_pids with job pid 0: the daemon writes it before
 *            handing the file to an idle supervisor, and right after
 *            posix_spawn for a supervisor it spawns itself, which also
 *            writes it first thing), so a restarted daemon can adopt a
 *            supervisor that holds the lock; the job's pid is written by
 *            the job's process before it execs, so a job never runs
 *            unrecorded; jobfile_set_result as the supervisor's last act
 *            for the job, which appends the result text and then marks it
 *            present).
 *   <id>.sh  the batch script, mode 0700, written by the daemon.
 *
 * One inode per side: job start and end cost a few syscalls, not a
 * directory tree, and the daemon reuses the inodes of ended jobs' files
 * (renamed to spare-<id>, spare-<id>.sh; see supervise.c and
 * docs/performance.md).
 *
 * The supervisor is `berth-jobsup <jobs>/<id>`: fd 0 /dev/null, fd 1 and
 * 2 the daemon log (append), fd 3 the job file.  It runs in its own
 * session.
 *
 * Control, daemon -> supervisor, by signals to the supervisor's pid:
 *   SIGTERM           cancel: TERM to the job's processes, after
 *                     spec.kill_wait seconds KILL; result gets cancelled=1
 *   SPEC_CTL_SIG with sigqueue value (spec_ctl_value(): the job id in the
 *                     upper 32 bits, 0 for any job, v in the lower):
 *                     send signal (v & 0xff) to the job:
 *                     v & SPEC_SIG_BATCH: only the batch shell's pid;
 *                     otherwise the job's whole process group;
 *                     v == SPEC_CTL_REQUEUE: cancel for a requeue;
 *                     v == SPEC_CTL_CANCEL: cancel, as SIGTERM;
 *                     v & SPEC_CTL_TIMELIMIT: a new time limit
 * The supervisor enforces the time limit itself (timeout=1).
 *
 * A supervisor forked by the zygote runs one job after another (zygote.c,
 * zygote_job_done()): after a job it closes the job file and sends "d" on
 * its socket to the daemon.  So the daemon cancels such a supervisor's job
 * with SPEC_CTL_CANCEL rather than SIGTERM: a signal sent just as the job
 * ended must not end the next one, and a control signal naming another
 * job is dropped (real-time signals queue; a second SIGTERM would merge
 * with a stale one).
 */
#ifndef BERTH_SPEC_H
#define BERTH_SPEC_H

#include <signal.h>
#include <stdint.h>

#include "job.h"
#include "msg.h"

/*
 * The control signal, daemon -> supervisor (and -> srun/salloc, step.h).
 * A fixed number, not SIGRTMIN: glibc's SIGRTMIN is 34 and musl's 35, and
 * the daemon (glibc) and the static programs (musl, see the Makefile) must
 * agree.  SIGRTMAX is 64 in both.
 */
#define SPEC_CTL_SIG	(SIGRTMAX - 1)

#define SPEC_SIG_BATCH	0x100
/* In an SPEC_CTL_SIG value: not a signal to forward but "end the job for a
 * requeue" (cancel, with Slurm's "DUE TO JOB REQUEUE" line). */
#define SPEC_CTL_REQUEUE	0x200
/* In an SPEC_CTL_SIG value: "cancel the job" (what SIGTERM says, but for
 * the job named with it only). */
#define SPEC_CTL_CANCEL		0x300
/* In an SPEC_CTL_SIG value: "the time limit is now (v >> SPEC_LIMIT_SHIFT)
 * minutes from the job's start" (SPEC_LIMIT_NONE: no limit), after
 * `scontrol update TimeLimit=` of a running job. */
#define SPEC_CTL_TIMELIMIT	0x400
#define SPEC_LIMIT_SHIFT	11
#define SPEC_LIMIT_NONE		0xfffff	/* 20 bits: ~2 years of minutes */

/* The sigqueue value of SPEC_CTL_SIG: v for job id. */
static inline union sigval
spec_ctl_value(uint32_t id, int v)
{
	union sigval sv;

	sv.sival_ptr = (void *)(uintptr_t)(((uint64_t)id << 32) |
	    (uint32_t)v);
	return sv;
}

/*
 * The supervisor zygote (`berth-jobsup -w <placeholder>`, fd 3 a
 * SOCK_SEQPACKET socket to the daemon; src/jobsup/zygote.c).  For each
 * byte the daemon sends, the zygote forks an idle supervisor and answers
 * with two of these, both naming its pid: the first carries a pidfd of it,
 * the second the daemon's end of a socket to it (SCM_RIGHTS).  pid 0: no
 * supervisor (err is the errno; one message, no descriptor).  The daemon
 * hands a job to an idle supervisor by sending the job file's path with
 * the job file's descriptor over that socket.
 */
struct spec_zygote_reply {
	int32_t		pid;
	int32_t		err;
};

struct job_spec {
	struct job	 job;		/* full record incl. allocation */
	char		**env;		/* submission environment (--export) */
	char		**argv;		/* script arguments */
	char		*cluster_name;
	char		*node_name;	/* SLURMD_NODENAME, %N */
	char		*submit_host;	/* SLURM_SUBMIT_HOST */
	char		*conf_path;	/* SLURM_CONF */
	char		*daemon_socket;	/* for future step requests */
	uint32_t	 kill_wait;	/* seconds between TERM and KILL */
	uint32_t	 cgroup_mode;	/* reserved: 0 none */
	char		*script_path;	/* <jobs>/<id>.sh */
	/*
	 * The job user's account as the daemon resolved it (passwd and
	 * groups through NSS), so the supervisor, a static binary, never
	 * needs NSS.  user_known 0: the uid has no passwd entry.
	 */
	uint32_t	 user_known;
	char		*user_home;
	char		*user_shell;
	uint32_t	 ngroups;	/* supplementary groups incl. gid */
	uint32_t	*groups;
};

void	 job_spec_free(struct job_spec *);
void	 proto_spec_put(struct msg *, const struct job_spec *);
int	 proto_spec_get(struct msg *, struct job_spec *);

struct job_result {
	int32_t		 status;	/* wait(2) status of the batch script */
	int64_t		 start_time;
	int64_t		 end_time;
	uint64_t	 max_rss_kb;
	uint64_t	 max_vsize_kb;
	uint64_t	 user_usec;
	uint64_t	 sys_usec;
	uint32_t	 timeout;	/* killed for its time limit */
	uint32_t	 cancelled;	/* killed by a cancel request */
	uint32_t	 oom;		/* killed for memory */
	uint32_t	 launch_failed;	/* could not start (chdir, exec, files) */
	char		*error;		/* why launch failed, or NULL */
};

/*
 * The job file header: JOBFILE_HDR bytes of text, two fixed lines,
 *   "P <supervisor pid> <job pid>" padded to 64 bytes (spaces, '\n' last)
 *   "R <offset> <length>"          padded to 64 bytes: the result's place
 * both blank until written.  The spec follows the header.
 */
#define JOBFILE_HDR	128

/* Daemon: blank the header (no pids, no result). */
int	 jobfile_clear(int fd);
/* Daemon: write header + spec into a new or reused, locked job file. */
int	 jobfile_write_spec(int fd, const struct job_spec *);
/* Supervisor: read the spec back. */
int	 jobfile_read_spec(int fd, struct job_spec *);
int	 jobfile_set_pids(int fd, long sup, long job);
int	 jobfile_set_result(int fd, const struct job_result *);
/*
 * Daemon: read what the supervisor recorded.  *sup and *job are 0 when
 * not yet written; returns 1 with *r filled if a result is present, 0 if
 * not, -1 on a read error.
 */
int	 jobfile_read_state(int fd, long *sup, long *job,
	    struct job_result *r);

/* Text form: "status=..\nstart=..\nend=..\nmaxrss=..\nmaxvsize=..\n
 * utime=..\nstime=..\ntimeout=..\ncancelled=..\noom=..\nlaunch_failed=..\n
 * error=...\n".  Caller frees the string. */
char	*job_result_format(const struct job_result *);
/* Unknown keys are ignored; -1 if status= is missing. */
int	 job_result_parse(const char *, struct job_result *);
void	 job_result_free(struct job_result *);

/*
 * The resource limits that travel with a job (Slurm's rlimits_info, in
 * its order): sbatch puts SLURM_RLIMIT_<name>=[U]<soft limit> into the
 * job's environment, the supervisor applies them and removes them.
 */
struct spec_rlimit {
	const char	*name;		/* "CPU", ..., "AS" */
	int		 resource;	/* RLIMIT_CPU, ... */
};
#define SPEC_NRLIMITS	10
extern const struct spec_rlimit spec_rlimits[SPEC_NRLIMITS];

#endif
