/* SPDX-License-Identifier: MIT */
/*
 * What every command of the multi-call `berth` binary shares: the tool
 * table, Slurm-style error output, and the client side of the protocol.
 *
 * Errors: cli_err("...") prints "<tool>: error: ...\n" to stderr, as Slurm's
 * commands do; cli_warn prints without "error: ".  Exit codes follow Slurm
 * exactly (see each cmd-*.c).
 */
#ifndef BERTH_CLI_H
#define BERTH_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "../proto/errors.h"
#include "../proto/job.h"
#include "../proto/proto.h"

/* What every tool's --version prints: the Slurm release berth follows
 * (tools that check the Slurm version parse this line). */
#define BERTH_SLURM_VERSION	"22.05.8"
#define BERTH_VERSION_LINE	"slurm-wlm " BERTH_SLURM_VERSION

struct cli_tool {
	const char	*name;
	int		(*main)(int, char **);
};

/* The name the user typed ("sbatch"); set by main before dispatch. */
extern const char *cli_prog;

void	 cli_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 cli_warn(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * One connection to the daemon.  client_open finds the socket
 * ($BERTH_SOCKET, else <state dir>/berthd.sock with the state dir from
 * $BERTH_STATE_DIR, else $XDG_STATE_HOME/berth, else ~/.local/state/berth)
 * and starts the daemon when none answers (autostart unless
 * $BERTH_NO_AUTOSTART is set).  Returns NULL and fills *cause on failure.
 */
struct client;
struct client	*client_open(char **cause);
void		 client_close(struct client *);
/*
 * Send one request and read one reply frame.  Returns 0 with *rtype and
 * resp filled (resp is msg_load'ed; the caller msg_free's it), -1 on a
 * transport error with *cause set.
 */
int		 client_call(struct client *, uint16_t type,
		    const struct msg *req, uint16_t *rtype, struct msg *resp,
		    char **cause);
/* Read one more reply frame (for streams such as MSG_JOB_WAIT). */
int		 client_recv(struct client *, uint16_t *rtype,
		    struct msg *resp, char **cause);
/*
 * Convenience: open, call, close.  On MSG_ERROR fills *errcode and *errtext
 * (caller frees) and returns 1; on transport failure prints
 * "<tool>: error: ..." and returns -1; on success returns 0.
 */
int		 client_request(uint16_t type, const struct msg *req,
		    uint16_t *rtype, struct msg *resp, uint32_t *errcode,
		    char **errtext);
/*
 * client_request for a request that creates a job: refused with
 * BERTH_EAGAIN (MaxJobCount reached), it prints note once as an error
 * and asks again after 1, 2, ... seconds, up to retries times, as Slurm's
 * clients do (sbatch: "Slurm temporarily unable to accept job, sleeping
 * and retrying", 15 times); then returns the refusal.
 */
/*
 * -M/--clusters (clusters.c): 1 when one of list's comma-separated
 * names is the daemon's ClusterName (any case) or "all", with *name set
 * to that name; 0 when none is; -1 when the daemon could not tell
 * (printed).  *unknown: the names that are not it (NULL-terminated; both
 * for the caller to free).
 */
int		 client_clusters(const char *list, char **name,
		    char ***unknown);
/*
 * client_clusters, printing Slurm's lines: "No cluster 'X' known by
 * database." for each unknown name and, when none is known, "'list'
 * can't be reached now, ..." (then -1: the caller exits 1).  0 with
 * *name (to free) when the list names berth's cluster.
 */
int		 client_clusters_check(const char *list, char **name);
/*
 * A refusal for a full queue (MaxJobCount) is asked again, as Slurm's
 * tools do: note printed before the first retry, then a sleep of 1, 2,
 * ... seconds; false once retries were made (*n counts them).
 */
bool		 client_retry_wait(unsigned *n, unsigned retries,
		    const char *note);
int		 client_request_retry(uint16_t type, const struct msg *req,
		    uint16_t *rtype, struct msg *resp, uint32_t *errcode,
		    char **errtext, const char *note, unsigned retries);

/*
 * A job listing: type is MSG_JOB_QUERY or MSG_ACCT_QUERY and req a
 * job_filter with FILTER_F_PARTS, so the daemon may send the records in
 * MSG_JOB_LIST_PART frames before the closing MSG_JOB_LIST; each part is
 * decoded into *jl as it arrives, while the daemon builds the next.
 * Returns as client_request does (an unexpected or malformed reply is
 * printed and -1); *jl is filled only when 0 (job_list_free it).
 */
int		 client_request_list(uint16_t type, const struct msg *req,
		    struct job_list *jl, uint32_t *errcode, char **errtext);
/*
 * The same, leaving out the strings of the fields in skip
 * (proto_job_list_add_some), and calling each (if not NULL) after every
 * part and after the closing MSG_JOB_LIST (last true) with the records
 * decoded so far (jl->jobs may move between calls).  each may drop
 * records it is done with: it moves the others to the front of
 * jl->jobs and lowers jl->n (their strings stay valid).
 */
typedef void	 client_list_fn(void *arg, struct job_list *, bool last);
int		 client_request_list_some(uint16_t type,
		    const struct msg *req, uint64_t skip, client_list_fn *each,
		    void *arg, struct job_list *jl, uint32_t *errcode,
		    char **errtext);

/*
 * The daemon's MSG_SUBMITTED reply to d: the job id in *id; with
 * --test-only (d->test_only) Slurm's line "Job N to start at T using C
 * processors on nodes H in partition P" on stderr.  -1 if malformed.
 */
int		 client_submitted(struct msg *resp, const struct job_desc *d,
		    uint32_t *id);

/*
 * The steps of the jobs ids[0..nids) (MSG_STEP_QUERY), *n of them, in job
 * and step id order; NULL if none or on error (the caller goes on without
 * them).  step_free each, then free the vector.
 */
struct step	*client_steps(uint32_t *ids, uint32_t nids, size_t *n);

/*
 * Does the daemon know user (a name or a number)?  The client links
 * statically, so it has no NSS and the daemon resolves user names for it.
 * With uid NULL this costs one job query that matches nothing; else *uid
 * is the user's number, taken from one of its jobs, a number as typed, or
 * the passwd file, and NO_VAL when none of them tells it.  Returns 1
 * (known), 0 (unknown: the daemon said BERTH_EUSER), or -1 with *cause
 * set (caller frees).
 */
int		 client_user_known(const char *user, uint32_t *uid,
		    char **cause);

/* Resolved paths (static storage). */
const char	*berth_state_dir(void);
const char	*berth_socket_path(void);

/* Client-side job filters shared by squeue and sacct (match.c). */
struct job_match {
	char		**names;	/* NULL: no filter */
	char		**partitions;
	char		**accounts;
	char		**qos;
	char		*nodes;
	bool		  names_icase;
};
bool	 job_match(const struct job_match *, const struct job *);

/* Tools, one cmd-*.c each. */
int	 cmd_sbatch(int, char **);
int	 cmd_srun(int, char **);
int	 cmd_salloc(int, char **);
int	 cmd_sattach(int, char **);
int	 cmd_squeue(int, char **);
int	 cmd_sacct(int, char **);
int	 cmd_scancel(int, char **);
int	 cmd_sinfo(int, char **);
int	 cmd_sprio(int, char **);
int	 cmd_scontrol(int, char **);
int	 cmd_sstat(int, char **);
int	 cmd_seff(int, char **);
int	 cmd_berth(int, char **);

#endif
