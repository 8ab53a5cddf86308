/* SPDX-License-Identifier: MIT */
/*
 * What the daemon hands a supervisor (berth-jobsup), and what the
 * supervisor leaves behind.  Everything lives in the job's directory
 * <state>/jobs/<id>/:
 *
 *   spec    written by the daemon before spawning: struct job_spec, encoded
 *           with proto_spec_put (a msg payload)
 *   script  the batch script, mode 0700, written by the daemon
 *   lock    flock'ed (LOCK_EX) by the daemon before spawn and inherited by
 *           the supervisor as fd 3; held for the supervisor's whole life.
 *           A restarted daemon that can take the lock knows no supervisor
 *           is alive.
 *   pid     "<supervisor pid> <job pid>\n", written by the supervisor
 *           (atomically) once the job's process is forked
 *   result  written atomically by the supervisor as its last act: text
 *           "key=value\n" lines, see job_result_format().
 *
 * The supervisor is `berth-jobsup <jobdir>`: fd 0 /dev/null, fd 1 and 2 the
 * daemon log (append), fd 3 the lock.  It runs in its own session.
 *
 * Control, daemon -> supervisor, by signals to the supervisor's pid:
 *   SIGTERM           cancel: TERM to the job's process group, after
 *                     spec.kill_wait seconds KILL; result gets cancelled=1
 *   SIGRTMIN+0 with sigqueue value v: send signal (v & 0xff) to the job:
 *                     v & SPEC_SIG_BATCH: only the batch shell's pid;
 *                     otherwise the job's whole process group
 * The supervisor enforces the time limit itself (timeout=1).
 */
#ifndef BERTH_SPEC_H
#define BERTH_SPEC_H

#include <stdint.h>

#include "job.h"
#include "msg.h"

#define SPEC_SIG_BATCH	0x100

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

/* Text form: "status=..\nstart=..\nend=..\nmaxrss=..\nmaxvsize=..\n
 * utime=..\nstime=..\ntimeout=..\ncancelled=..\noom=..\nlaunch_failed=..\n
 * error=...\n".  Caller frees the string. */
char	*job_result_format(const struct job_result *);
/* Unknown keys are ignored; -1 if status= is missing. */
int	 job_result_parse(const char *, struct job_result *);
void	 job_result_free(struct job_result *);

#endif
