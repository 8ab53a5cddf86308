/* SPDX-License-Identifier: MIT */
/*
 * berthd's state.  struct daemon is the only mutable global (`D`, like
 * redis' `server`).  One thread, one epoll loop: the listening socket,
 * client sockets, a signalfd, a timerfd and one pidfd per supervisor.
 *
 * Loop iteration invariant: handlers only stage changes (store writes go
 * into the open transaction, replies into client out-buffers); at the end
 * of the iteration the transaction commits, then replies are flushed, then
 * the scheduler runs, commits the jobs it starts, and only then spawns
 * their supervisors.  So no reply and no job start ever precedes the
 * commit that makes it durable.
 */
#ifndef BERTH_DAEMON_H
#define BERTH_DAEMON_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include "../common/buf.h"
#include "../proto/job.h"
#include "../proto/msg.h"
#include "../proto/step.h"
#include "../sched/depend.h"
#include "../sched/sched.h"
#include "../store/store.h"
#include "config.h"
#include "jobrec.h"

/* What an epoll event's data.ptr points at starts with one of these. */
enum ev_kind { EV_LISTEN, EV_CLIENT, EV_SIGNAL, EV_TIMER, EV_PIDFD,
	EV_STEP, EV_DEAD };	/* EV_DEAD: freed at the iteration's end */

struct ev {
	enum ev_kind	 kind;
};

/* A job step (steps.c): granted CPUs inside its job, watched by the
 * pidfd of its srun ("holder"); pending ones wait for CPUs. */
struct dstep {
	struct ev		 ev;		/* EV_STEP */
	struct step		 s;
	struct djob		*dj;
	int			 pidfd;		/* srun's, -1 if none */
	int			 grpfd;		/* the tasks' group leader's,
						   -1 if none */
	pid_t			 grp_sid;	/* its session then */
	struct client		*waiter;	/* MSG_STEP_CREATE pending */
	int64_t			 kill_at;	/* SIGKILL the tasks after */
	bool			 cancelled;	/* STEP_CTL_CANCEL sent */
	bool			 timed_out;	/* STEP_CTL_TIMEOUT sent */
	bool			 dirty;		/* pgid not yet stored */
	LIST_ENTRY(dstep)	 entry;
};
LIST_HEAD(dstep_list, dstep);

/*
 * What few jobs need: a started job's supervisor or holder (the pidfd
 * watched with this part as its event, its job file: supervise.c,
 * alloc.c), a running job's steps and its interactive allocation's
 * bookkeeping (steps.c, alloc.c), a pending job's parsed dependency
 * (depend.c).  Allocated on first use (djob_rt) and freed with
 * the job, so the plain pending jobs that make up a long queue do not
 * carry it (W5, docs/performance.md).
 */
struct djob_run {
	struct ev		 ev;		/* EV_PIDFD */
	pid_t			 sup_pid;	/* supervisor, 0 if none */
	struct djob		*dj;		/* whose part this is */
	int			 pidfd;		/* -1 if none */
	int			 jobfd;		/* the job file, -1 if none */
	bool			 launching;	/* committed RUNNING, unspawned */
	bool			 own_child;	/* sup_pid is ours to reap */
	bool			 sup_pooled;	/* pidfd is our socket to a
						   supervisor from the zygote */
	struct dep_list		*deps;		/* parsed dependency, or NULL */
	struct dstep_list	 steps;		/* running and pending steps */
	uint32_t		 next_step;	/* next step id */
	uint32_t		 alloc_flags;	/* ALLOC_F_* of its MSG_ALLOC */
	struct client		*alloc_client;	/* MSG_ALLOC awaiting a grant */
	struct step		*alloc_step;	/* ALLOC_F_STEP request */
	pid_t			 holder_pid;	/* salloc/srun holding it, 0 */
	bool			 timed_out;	/* STEP_CTL_TIMEOUT sent */
	bool			 warned;	/* --signal@T sent to steps */
	bool			 ilisted;	/* in D->ijobs */
	uint8_t			 nostart;	/* supervisors in a row that
						   died before starting it */
	uint64_t		 holder_start;	/* its /proc start time */
	int64_t			 kill_at;	/* SIGKILL the holder after */
	LIST_ENTRY(djob)	 ilink;		/* D->ijobs (via dj->run) */
};

/* Ordered to leave no holes: 10,000 of these pend in a
 * long queue.  Allocated in slabs of their own (djob-pool.c).  The job
 * record is j (with j.more if it has one of the rarer options) and, once
 * it left PENDING, end (jobrec.h). */
struct djob {
	struct job_head		 j;
	struct job_end		*end;		/* NULL until set: DJ_END */
	uint16_t		 slots;		/* sched pass: candidates */
	bool			 throttled;	/* sched pass: at its %N limit */
	bool			 kill_dep;	/* cancel: dependency never met */
	bool			 kill_deadline;	/* end: --deadline can't be met */
	union {
		int64_t		 planned_start;	/* pending: from the last
						   sched pass */
		int64_t		 purge_at;	/* final: forget after */
	};
	struct djob		*hnext;		/* id hash chain */
	struct djob_run		*run;		/* NULL until needed */
	TAILQ_ENTRY(djob)	 entry;		/* pending/running/done list */
};
TAILQ_HEAD(djob_list, djob);
/*
 * W5 (docs/performance.md): a queue of 10,000 pending jobs is 10,000 of
 * these, 255 to a 64 KB slab (djob-pool.c) at 256 bytes: 2.5 MB of the
 * daemon's RSS, which was 3.9 MB at 392 bytes.  A field not every pending
 * job needs goes in struct djob_run (started jobs), struct job_more
 * (options most jobs leave unset) or struct job_end (ended jobs), not
 * here.
 */
_Static_assert(sizeof(struct djob) <= 256,
    "struct djob grew past 256 bytes: see W5 in docs/performance.md");

struct client {
	struct ev		 ev;		/* EV_CLIENT */
	int			 fd;
	uid_t			 uid;		/* SO_PEERCRED */
	gid_t			 gid;
	pid_t			 pid;
	struct buf		 in;
	struct buf		 out;
	size_t			 out_off;	/* bytes of out already sent */
	uint32_t		 wait_job;	/* MSG_JOB_WAIT target, or 0 */
	uint32_t		 alloc_job;	/* MSG_ALLOC awaiting a grant */
	bool			 alloc_told;	/* MSG_ALLOC_PENDING sent */
	struct dstep		*step_wait;	/* MSG_STEP_CREATE pending */
	bool			 closing;	/* close once out is flushed */
	uint32_t		 events;	/* registered with epoll */
	bool			 dirty;		/* has unflushed output */
	TAILQ_ENTRY(client)	 entry;
};
TAILQ_HEAD(client_list, client);

struct daemon {
	char			*state_dir;
	char			*socket_path;
	char			*conf_path;
	char			*jobs_dir;
	char			*jobsup_path;
	bool			 foreground;
	bool			 debug;
	int			 epfd;
	int			 lockfd;
	struct ev		 listen_ev;
	int			 listenfd;
	struct ev		 signal_ev;
	int			 sigfd;
	struct ev		 timer_ev;
	int			 timerfd;
	int64_t			 next_begin;	/* earliest future --begin, 0 */
	int64_t			 timer_at;	/* when the timer fires, 0 off */
	bool			 quit;
	bool			 sched_needed;
	int64_t			 start_time;
	struct berth_conf	 conf;
	struct bitmap		 node_cpus;
	struct store		*store;
	uint32_t		 next_id;
	/* jobs */
	struct djob		**hash;
	uint32_t		 hash_size;	/* power of two */
	uint32_t		 njobs;
	/* Jobs as MaxJobCount counts them (job_weight()): the tasks still
	 * inside array records one each.  Moving tasks out of a record into
	 * a new one (job_array_take, cancelled tasks) keeps the sum. */
	uint64_t		 njob_tasks;
	struct djob_list	 pending;
	struct djob_list	 running;
	struct djob_list	 done;		/* final, kept min_job_age */
	uint32_t		 npending;
	uint32_t		 nrunning;
	/* scheduler scratch, grown as needed */
	struct sched_job	*sj;
	struct sched_decision	*sd;
	struct sched_running	*sr;
	uint32_t		*scratch;
	struct djob		**sjob;
	uint32_t		 scap;
	uint32_t		 rcap;
	struct client_list	 clients;
	struct djob		**launch;	/* started this turn, to spawn */
	uint32_t		 nlaunch;	/* after the commit */
	uint32_t		 launch_cap;
	uint32_t		*doomed;	/* job files to remove after */
	uint32_t		 ndoomed;	/* the next commit */
	uint32_t		 ntxn_requests;	/* dispatched since the last commit */
	uint32_t		 doomed_cap;
	struct intern_table	*intern;	/* intern.c */
	struct msg		 rec;		/* job_record() scratch */
	struct name_cache	*users;		/* users.c */
	struct prio_state	*prio;		/* priority.c */
	struct name_cache	*groups;
	/* Running jobs with steps or interactive (alloc.c, steps.c): the
	 * ones the daemon's timer and holder watches care about. */
	LIST_HEAD(, djob)	 ijobs;
	uint32_t		 nalloc_wait;	/* clients with alloc_job */
	uint32_t		 nsteps_dirty;	/* steps with dirty set */
	/* Ended steps, freed at the end of the iteration: an event of
	 * theirs may still wait in the epoll batch being handled. */
	struct dstep_list	 dead_steps;
};

extern struct daemon *D;

/* server.c */
int	 server_listen(char **cause);
void	 server_accept(void);
void	 server_client_event(struct client *, uint32_t events);
void	 server_flush_all(void);
bool	 server_output_pending(void);
void	 client_reply(struct client *, uint16_t type, const struct msg *);
void	 client_error(struct client *, uint32_t code, const char *text);
/* Send a frame built with proto_frame_open (may take m's buffer). */
void	 client_reply_frame(struct client *, uint16_t type, struct msg *);
/* The same, written at once when no transaction is open: a part of a
 * reply still being built (MSG_JOB_LIST_PART). */
void	 client_reply_part(struct client *, uint16_t type, struct msg *);
void	 server_close_all(void);

/* dispatch.c */
void	 dispatch(struct client *, uint16_t type, struct msg *);

/* djob-pool.c: the records' own slabs (zeroed on allocation) */
struct djob	*djob_alloc(void);
void		 djob_release(struct djob *);

/* jobs.c */
/* dj's run-time part, allocated on first use. */
struct djob_run	*djob_rt(struct djob *);
/* The same to read: an empty one (no steps, all 0) if it has none. */
extern const struct djob_run djob_run_none;
#define DJ_RT(dj)	((dj)->run != NULL ? (dj)->run : &djob_run_none)
struct djob	*job_find(uint32_t id);
struct djob	*job_add(struct job *);	/* takes the record's strings */
uint32_t	 job_weight(const struct job_head *);
void		 job_tasks_gone(uint64_t);
void		 job_forget(struct djob *);
/* The one place job states change: validates, persists, logs, notifies. */
int		 job_transition(struct djob *, uint32_t to, uint32_t reason);
void		 job_set_hold(struct job_head *, bool admin);
/* Encode a record as clients receive it (valid until the next call). */
const struct msg *job_record(const struct job *);
/* Persist the job's current record (no state change). */
int		 job_save(struct djob *);
void		 job_purge_old(int64_t now);
bool		 job_owner_or_admin(const struct djob *, uid_t);
uint32_t	 job_base_priority(const struct job_head *);
/* A request's name/partition filter: empty matches all. */
bool		 strv_match(char **, const char *);
/* A request's job ids (a job or its array) and users: empty matches all. */
bool		 job_match_ids_uids(const struct job_head *,
		    const struct job_filter *, const uid_t *, uint32_t);
void		 job_notify_waiters(struct djob *);
/* A job of array array_id other than except is PENDING or RUNNING. */
bool		 job_array_live(uint32_t array_id, const struct djob *except);
/* Open the group-commit transaction if needed; -1 if the store failed. */
int		 txn_begin(void);

/* depend.c */
/* Validate a --dependency at submit; -1 with *cause (Slurm's words). */
int		 depend_check_spec(const char *, uint32_t self_id, char **);
/* A valid --dependency would close a cycle back to the job (or its
 * array): Slurm's "Circular job dependency". */
bool		 depend_circular(const char *, uint32_t self_id,
		    uint32_t self_array);
/* Evaluate a pending job's dependency: its blocking reason (or
 * WAIT_NO_REASON), updating job.dependency; *wake: a +time deadline. */
uint32_t	 depend_update(struct djob *, int64_t now, int64_t *wake);
/*
 * aftercorr on a pending array record: fills *decided (caller frees with
 * arrayspec_free) with the record's pending tasks whose own dependency is
 * decided (met, or never to be met: task T of the other array ended);
 * returns how many.  The caller splits them off, so each pends or starts
 * on its own, as Slurm's per-task records do.
 */
struct arrayspec;
int		 depend_corr_tasks(struct djob *, int64_t now,
		    struct arrayspec *decided);
void		 depend_forget(struct djob *);

/* intern.c: shared strings of jobs in the table (see its head comment) */
void		 job_intern(struct job_head *);
void		 job_unintern(struct job_head *);
/* Replace a string field of a job in the table (interned or not), in its
 * head or its more part (job_more() first). */
void		 job_set_str(struct job_head *, char **field, const char *);
/* The same for the end part (its nodelist is interned). */
void		 job_end_intern(struct job_end *);
void		 job_end_unintern(struct job_end *);
void		 job_end_set_str(struct job_end *, char **field, const char *);

/* supervise.c */
int		 supervise_launch(struct djob *);
/* An EV_PIDFD event: a job's (its djob_run's ev) or the reaper's. */
void		 supervise_exited(struct ev *);
void		 supervise_recover(struct djob *);
int		 supervise_cancel(struct djob *);
int		 supervise_signal(struct djob *, int sig, bool batch_only);
/* Tell a running job's supervisor its (updated) time limit. */
int		 supervise_timelimit(struct djob *);
/* End a running job's attempt; it pends again (held if hold). */
int		 supervise_requeue(struct djob *, bool hold);
/* After each commit: the supervisors of jobs whose requeue it holds are
 * told (a requeue reaches the supervisor only once committed). */
void		 supervise_committed(void);
/* The attempt is over: Restarts+1, the job pends again (held when
 * JOB_F_REQUEUE_HOLD is set).  From RUNNING or a final state. */
void		 job_requeued(struct djob *);
/* Remove the files of jobs whose end is now committed. */
void		 supervise_files_flush(void);
void		 supervise_sweep(void);
/* Keep one supervisor started ahead of time (after the launches). */
void		 supervise_prestart(void);
bool		 supervise_test_die_at(const char *);
void		 supervise_prelaunch(void);
void		 supervise_prelaunch_cancel(void);
void		 supervise_go(void);
void		 supervise_keep_data(uint32_t, char **, char ***, char ***);
void		 supervise_drop_data(void);

/* schedule.c */
/* Decide; jobs it starts are staged RUNNING and queued in D->launch. */
void		 schedule(void);
/* After the commit: spawn the supervisors of D->launch. */
void		 schedule_launch(void);
/* Going idle: free the scheduler's scratch arrays if they are big
 * (then idle_trim_due). */
void		 schedule_release(void);
/*
 * Take pending task idx (NO_VAL: the lowest) out of array record dj: a new
 * pending record with the next id, or dj itself when it was the last task
 * left.  NULL if the store fails or the task is not pending in dj.
 */
struct djob	*job_array_take(struct djob *, uint32_t idx);
/* Plan one would-be job without starting it (sbatch --test-only): its
 * start, 0 if unknown, -1 if it can never run. */
int64_t		 schedule_test(const struct job *);

/* idle.c */
/* Work left freed memory behind: give it back at the next idle moment. */
void		 idle_trim_due(void);
/* Going idle: release scratch, and caches and free heap pages once
 * quiet (the last wait, of the timeout it returned, saw no event); the
 * timeout for epoll_wait, -1 for none. */
int		 daemon_idle(bool quiet);

/* rpc-*.c, one per request type, listed in dispatch.c */
void	 rpc_ping(struct client *, struct msg *);
void	 rpc_submit(struct client *, struct msg *);
void	 rpc_job_query(struct client *, struct msg *);
void	 rpc_acct_query(struct client *, struct msg *);
void	 rpc_cancel(struct client *, struct msg *);
void	 rpc_node_query(struct client *, struct msg *);
void	 rpc_config_query(struct client *, struct msg *);
void	 rpc_job_wait(struct client *, struct msg *);
void	 rpc_shutdown(struct client *, struct msg *);
void	 rpc_job_control(struct client *, struct msg *);	/* rpc-control.c */
void	 rpc_reconfigure(struct client *, struct msg *);	/* rpc-admin.c */
/* Reload berth.conf; on error nothing changes (-1, *cause). */
int	 daemon_reconfigure(char **cause);

/* priority.c: priority/basic or /multifactor with fair share */
void		 prio_init(void);	/* loads the usage */
void		 prio_free(void);
void		 prio_dirty(void);	/* recompute at the next pass */
void		 prio_charge(struct djob *, int64_t now);
uint32_t	 prio_job_priority(const struct job_head *, int64_t now);
void		 prio_update(int64_t now);	/* from schedule() */
void		 rpc_prio_query(struct client *, struct msg *);

/* part-access.c: AllowGroups / AllowAccounts */
bool		 part_group_ok(const struct part_conf *, uid_t);
bool		 part_account_ok(const struct part_conf *, const char *);

/* rpc-submit.c: MSG_SUBMIT's checks and defaults, and the new job's
 * record (shared with MSG_ALLOC) */
uint32_t	 submit_prepare(struct client *, struct job_desc *);
struct djob	*submit_insert(struct client *, struct job_desc *);

/* alloc.c: interactive allocations (salloc, srun outside a job) */
void	 rpc_alloc(struct client *, struct msg *);
void	 rpc_alloc_release(struct client *, struct msg *);
/* After the scheduling pass, before the commit: pending replies, -I. */
void	 alloc_after_schedule(void);
/* After the commit: grant the interactive jobs started (D->launch). */
void	 alloc_grant(void);
void	 alloc_holder_exited(struct djob *);
void	 alloc_recover(struct djob *);
void	 alloc_recover_pending(void);
void	 alloc_step_ended(struct djob *);
int	 alloc_cancel(struct djob *, uid_t);
/* A client went away: a pending MSG_ALLOC/MSG_STEP_CREATE dies. */
void	 alloc_client_gone(struct client *);
/* The earliest deadline of interactive jobs and steps (0 none), and
 * what happens at it. */
int64_t	 alloc_next_deadline(void);
void	 alloc_tick(int64_t now);
/* What /proc/<pid>/stat says of a process (leftovers.c). */
struct pstat {
	char		state;
	pid_t		ppid;
	pid_t		pgrp;
	pid_t		sid;
	uint64_t	start;		/* clock ticks after boot */
};
int	 pstat_read(pid_t, struct pstat *);
int	 proc_start_time(pid_t, uint64_t *);
int	 pidfd_watch(pid_t, void *ptr, int *fdp);
void	 pidfd_unwatch(int *fdp);
/* Signal the process of pidfd (v: sigqueue's value, or NULL as kill):
 * never a process that took over its pid.  -1 with errno. */
int	 pidfd_signal(int pidfd, int sig, const union sigval *v);

/* steps.c */
void	 rpc_step_create(struct client *, struct msg *);
void	 rpc_step_launched(struct client *, struct msg *);
void	 rpc_step_complete(struct client *, struct msg *);
void	 rpc_step_query(struct client *, struct msg *);
/* Grant step 0 of a starting srun allocation (before the commit). */
struct dstep	*step_start(struct djob *, struct step *req, pid_t, uint64_t,
		    uint32_t *err);
void		 step_exited(struct dstep *);
/* SIGKILL the step's tasks (their process group, through grpfd). */
void		 step_kill_tasks(struct dstep *);
/* Apply srun's final record (MSG_STEP_COMPLETE or a release). */
void		 step_finish(struct dstep *, const struct step *fin);
/* The job left RUNNING: kill and account its remaining steps. */
void		 steps_job_ended(struct djob *);
/* Tell every step's srun: a STEP_CTL_* value or a signal. */
void		 steps_signal(struct djob *, int value);
void		 steps_cancel(struct djob *, bool timeout);
/* scancel ID.N: -1 if no such running step. */
uint32_t	 step_cancel(struct djob *, uint32_t step_id, int sig, uid_t);
int		 steps_recover(char **cause);
void		 steps_flush_dirty(void);
void		 steps_reap(void);
struct dstep	*step_find(struct djob *, uint32_t step_id);
void		 ijob_add(struct djob *);
void		 ijob_remove(struct djob *);

/* users.c: cached passwd/group lookups */
const char	*user_name(uid_t);
const char	*group_name(gid_t);
int		 user_parse(const char *, uid_t *);

#endif
