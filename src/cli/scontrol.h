/* SPDX-License-Identifier: MIT */
/*
 * scontrol's printers, kept apart from cmd-scontrol.c so unit tests can
 * link them without a daemon: each appends one record to a struct buf in
 * Slurm 22.05's layout (slurm_sprint_job_info, slurm_sprint_node_table,
 * slurm_sprint_partition_info, slurm_print_ctl_conf).  They do no I/O,
 * except the passwd/group lookups that fill a job's missing user or group
 * name.
 */
#ifndef BERTH_CLI_SCONTROL_H
#define BERTH_CLI_SCONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/buf.h"
#include "../proto/job.h"

/* What real Slurm prints for --version ("slurm-wlm" is Debian's name). */

struct show_opts {
	bool		 one_liner;	/* -o: one record per line */
	bool		 details;	/* -d: DerivedExitCode, CPU_IDs */
	int32_t		 derived;	/* -d: the worst step's wait status */
	int64_t		 now;		/* for RunTime of running jobs */
	const char	*host;		/* AllocNode host */
	const char	*gpu_type;	/* -d: the node's GPU type (JOB_GRES) */
	uint32_t	 node_cpus;	/* the node's CPUs; 0 if not asked */
};

/* `scontrol show job`: one job record, ending with its blank line. */
void	 scontrol_show_job(struct buf *, const struct job *,
	    const struct show_opts *);
/*
 * A job's StdOut/StdErr/StdIn path as scontrol prints it: %A %a %j %u %x
 * (with optional zero-pad width, "%5j") and %% expanded, other escapes
 * kept; relative paths are made absolute against the work dir.
 */
void	 scontrol_job_path(struct buf *, const struct job *, const char *);
/*
 * `scontrol show step`: one running step in Slurm's 7-line layout
 * (slurm_sprint_job_step_info); j is its job (partition, memory), or NULL.
 */
struct step;
void	 scontrol_show_step(struct buf *, const struct step *,
	    const struct job *, const struct show_opts *);
/* `scontrol show node`: one node record. */
void	 scontrol_show_node(struct buf *, const struct node_info *,
	    const struct show_opts *);
/* `scontrol show partition`: one partition; the node gives TRES. */
void	 scontrol_show_part(struct buf *, const struct part_info *,
	    const struct node_info *, const struct show_opts *);
/* `scontrol show config` up to and including the blank line. */
void	 scontrol_show_config(struct buf *, const char *const *keys,
	    const char *const *values, size_t n, int64_t now);
/* The line `scontrol ping` prints. */
void	 scontrol_ping_line(struct buf *, const char *host, bool up);

/*
 * scontrol-update.c: `scontrol update job` parsing, without I/O.
 *
 * Slurm's keyword match (xstrncasecmp(tag, name, MAX(len, min_len))):
 * tag is a prefix of name, at least min_len long, any case.
 */
bool	 scontrol_abbrev(const char *tag, size_t taglen, const char *name,
	    size_t min_len);
/* Slurm's _is_job_id(): "12", "12_3", "12,13", "12_[1-3]". */
bool	 scontrol_is_job_id(const char *);

/* The parsed request: keys by their full name, values as the daemon
 * takes them (see scontrol-update.c).  scontrol_update_free releases. */
struct sc_update {
	char		*job_ids;	/* JobId= as typed, or NULL */
	char		*name;		/* JobName=: new name, or the lookup
					 * key when there is no JobId */
	char		*user;		/* UserID= as typed (with JobName),
					 * or NULL */
	uint32_t	 uid;		/* its number; NO_VAL if none given or
					 * the user's number is not known */
	char		**keys;
	char		**vals;
	size_t		 n;
};
/*
 * The job's current time limit in minutes, for TimeLimit=+N/-N; NO_VAL
 * after appending Slurm's message (e.g. "Job ID 5 not found") to err.
 */
typedef uint32_t (*scontrol_limit_fn)(void *arg, const char *job_ids,
    struct buf *err);
/*
 * UserID=NAME: whether the user exists and its number, from the daemon
 * (this binary links statically, without NSS).  Returns 0 with *uid set
 * (NO_VAL when the user exists but its number is not known), -1 when there
 * is no such user, -2 after appending another failure's message to err.
 */
typedef int (*scontrol_uid_fn)(void *arg, const char *user, uint32_t *uid,
    struct buf *err);
/*
 * Parse the words after "update" (all of them, JobId= included).  Returns
 * 0, or -1 with Slurm's message(s) in err (the command then exits 1).
 * Messages of skipped values (a bad StartTime) may be in err on success.
 */
int	 scontrol_update_parse(int argc, char **argv, int64_t now,
	    scontrol_limit_fn, scontrol_uid_fn, void *arg, struct sc_update *,
	    struct buf *err);
void	 scontrol_update_free(struct sc_update *);

#endif
