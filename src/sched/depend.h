/* SPDX-License-Identifier: MIT */
/*
 * Job dependencies (sbatch -d/--dependency, scontrol Dependency=) as a pure
 * module: parse the spec, evaluate it against the jobs it names, and print
 * it the way squeue %E and scontrol show job do.  No I/O, no clock, no
 * globals: the daemon passes "now" and answers questions about other jobs
 * through a callback.
 *
 * Syntax (Slurm 22.05):
 *   type:jobid[:jobid...][,type:jobid...]   all must be satisfied
 *   type:jobid[:jobid...][?type:jobid...]   any one suffices
 *   jobid[,jobid...]                         old form, means afterany
 *   singleton
 * type is after, afterany, afterok, afternotok, aftercorr or
 * afterburstbuffer (any case).  A jobid is N (a job, or a whole array when
 * N is an array's id), N_T (task T of array N), N_* (the whole array N) or
 * N_[1,3-5] (those tasks).  A jobid may be followed by +M (M minutes of
 * delay, M > 0) and by "(state)" as scontrol prints it, so that the output
 * of depend_format can be parsed back; "(failed)" keeps the item failed,
 * any other state reads as unfulfilled.  "" and "0" mean no dependency.
 *
 * Lifecycle, as the daemon uses it:
 *   1. Submit: depend_parse(); on -1 reply BERTH_EDEPENDENCY ("Job
 *      dependency problem").  Reject with the same error when
 *      depend_refers_to(list, new job id) (a job may not depend on
 *      itself).  Then call depend_eval() once before replying, as Slurm
 *      does: items naming unknown jobs are dropped (afterok:999999 is
 *      accepted and shows "(null)"), and plain ids of arrays become N_*.
 *   2. Every scheduling pass, for each pending job with a list, call
 *      depend_eval() and set job.reason from depend_reason(): Dependency
 *      while DEP_WAIT, DependencyNeverSatisfied on DEP_NEVER (berth keeps
 *      such a job pending, like Slurm without kill_invalid_depend; an
 *      admin or the user cancels it).  A job may start only on
 *      DEP_SATISFIED.  Re-evaluate when any job changes state and at the
 *      *wake time depend_eval reports (a +M delay expiring).
 *   3. After each depend_eval(), store depend_format() in
 *      job.dependency (NULL shows as "(null)").  That string is also a
 *      faithful serialization for the store: depend_parse() of it gives a
 *      list that evaluates the same (fulfilled items are dropped from it,
 *      which cannot change the outcome).
 *
 * Results are sticky, as in Slurm: an item once fulfilled or failed stays
 * so, a list once DEP_SATISFIED stays satisfied (Slurm flushes it), and a
 * list once DEP_NEVER is not evaluated again, so squeue keeps showing the
 * items as they were when the dependency failed (13_sbatch_dependency:
 * "afterok:11908(unfulfilled),afterok:11910(failed),..." although 11908
 * completed later).  Replacing the dependency (scontrol update) means
 * parsing a new list.
 */
#ifndef BERTH_DEPEND_H
#define BERTH_DEPEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Task ids in dep_item.task_id and the lookup callback (see proto/job.h). */
#define DEP_TASK_NONE	0xfffffffeu	/* NO_VAL: plain job id */
#define DEP_TASK_ALL	0xffffffffu	/* INFINITE: the whole array, "N_*" */

enum dep_type {
	DEP_AFTER,		/* started (or ended without starting) */
	DEP_AFTERANY,		/* ended in any state */
	DEP_AFTEROK,		/* ended COMPLETED, exit 0 */
	DEP_AFTERNOTOK,		/* ended in any other final state */
	DEP_AFTERCORR,		/* task i after task i of another array, ok */
	DEP_AFTERBB,		/* afterburstbuffer: no burst buffers here,
				 * so the same as afterany */
	DEP_SINGLETON		/* no earlier job of this user and name */
};

enum dep_state {
	DEP_UNFULFILLED = 0,
	DEP_FULFILLED,
	DEP_FAILED
};

enum dep_result {
	DEP_WAIT = 0,		/* not yet: reason Dependency */
	DEP_SATISFIED,		/* may start */
	DEP_NEVER		/* can never be satisfied: reason
				 * DependencyNeverSatisfied */
};

struct dep_item {
	enum dep_type	 type;
	enum dep_state	 state;
	uint32_t	 job_id;	/* 0 for singleton */
	uint32_t	 task_id;	/* DEP_TASK_NONE, DEP_TASK_ALL or a task */
	uint32_t	 delay;		/* +M in seconds (M * 60); 0 if none */
};

/*
 * A parsed dependency.  Callers may read the fields; only depend_* change
 * them.  items are unique by (type, job_id, task_id), in spec order.
 */
struct dep_list {
	struct dep_item	*items;
	size_t		 n;
	bool		 any;		/* joined by '?' rather than ',' */
	enum dep_result	 result;	/* of the last depend_eval */
};

/*
 * What the daemon tells the evaluator about a job named in a dependency.
 * For a single job or array task: state, exit_status, start_time and
 * end_time.  For a whole array (is_array true): the task counts, plus
 * start_time = when its last task started (0 while any is pending) and
 * end_time = when its last task ended (0 while any is not finished); state
 * and exit_status are then ignored.
 */
struct dep_job {
	uint32_t	 state;		/* enum job_state */
	int32_t		 exit_status;	/* wait(2) status; 0 = exit 0 */
	int64_t		 start_time;	/* 0 if it never started */
	int64_t		 end_time;	/* 0 until it ended */
	bool		 is_array;
	uint32_t	 n_pending;	/* tasks PENDING */
	uint32_t	 n_running;	/* RUNNING or SUSPENDED */
	uint32_t	 n_ok;		/* COMPLETED with exit 0 */
	uint32_t	 n_failed;	/* any other final state */
};

/*
 * The evaluator's view of the world, implemented by the daemon.
 *
 * lookup(arg, job_id, task_id, out): fill *out (it is zeroed first) and
 * return 0, or return -1 when no such job is known (purged or never
 * existed); the item is then treated as fulfilled and disappears from the
 * display, as Slurm does for jobs it no longer has.  task_id is
 *   DEP_TASK_NONE  job_id as given: when it is an array's id (the
 *                  array_job_id), describe the whole array (is_array);
 *                  otherwise the job (a regular job, or one array task by
 *                  its own job id);
 *   DEP_TASK_ALL   the whole array job_id (is_array); for a job that is
 *                  not an array, describe the job itself;
 *   T              task T of array job_id, including a task still pending
 *                  inside the array record (state PENDING); -1 if the
 *                  array has no task T.
 *
 * singleton_busy(arg): true when another job of the same user with the
 * same name is RUNNING or SUSPENDED, or is PENDING and was submitted
 * earlier (lower job id), which is Slurm's rule.  NULL means never busy.
 *
 * task_id: the array task id of the job being evaluated, used only by
 * aftercorr.  Set it even for plain jobs: a zeroed query means task 0.
 * DEP_TASK_NONE for a job that is not an array task;
 * DEP_TASK_ALL for an array record still holding pending tasks (then
 * aftercorr is fulfilled only once the whole other array completed OK,
 * and never fails).  To decide whether task T of such a record may start,
 * evaluate a copy: c = depend_copy(list), depend_eval(c, {..task_id = T}),
 * and give c to the task's own record when it is split out (Slurm copies
 * the list into each split task the same way).  Needed only when
 * depend_has_corr(list); otherwise all tasks share the record's result.
 */
struct dep_query {
	int		(*lookup)(void *arg, uint32_t job_id,
			    uint32_t task_id, struct dep_job *out);
	bool		(*singleton_busy)(void *arg);
	void		*arg;
	uint32_t	 task_id;
};

/*
 * Parse spec into *out (a new list the caller frees with dep_list_free).
 * Returns 0; *out is NULL for "" or "0" (no dependency).  Returns -1 with
 * *cause set to "Job dependency problem" (caller frees) for a bad spec:
 * unknown type (garbage:1), empty or zero job id, bad task, +M not a
 * positive number of minutes, "," and "?" mixed, trailing separators or
 * junk, more than 10000 items (after N_[a-b] expansion).
 */
int		 depend_parse(const char *spec, struct dep_list **out,
		    char **cause);
void		 dep_list_free(struct dep_list *);
/* A deep copy (NULL for NULL).  Caller frees with dep_list_free. */
struct dep_list	*depend_copy(const struct dep_list *);

/*
 * Evaluate: check each unfulfilled item (lookups, singleton_busy) and mark
 * it fulfilled or failed, then combine.  ',' lists: satisfied when all
 * items are fulfilled, never once one failed.  '?' lists: satisfied once
 * one is fulfilled, never when all failed.  A NULL or empty list is
 * DEP_SATISFIED.  If wake is not NULL it is set to the earliest time after
 * now at which a +M delay expires (0 if none): evaluate again then.
 *
 * Rules per item (X is the job named; for whole arrays "pending" means
 * any task pending, "ended" all tasks ended, "ok" all tasks COMPLETED
 * with exit 0):
 *   after       fulfilled once X is not pending (started, or cancelled or
 *               failed before starting), +M after its start (or end
 *               if it never started)
 *   afterany    fulfilled once X ended, +M after its end
 *   afterok     fulfilled once X ended ok (+M after its end); failed if
 *               it ended otherwise
 *   afternotok  fulfilled once X ended not ok (+M); failed if it ended ok
 *   aftercorr   with query task_id T: as afterok on task T of X; when X
 *               has no task T, as afterok on the whole array X
 *   afterburstbuffer  as afterany
 *   singleton   fulfilled when !singleton_busy
 */
enum dep_result	 depend_eval(struct dep_list *, const struct dep_query *,
		    int64_t now, int64_t *wake);

/*
 * A held job's list, which depend_eval() only looks at (on a copy): drop
 * the items naming a job lookup does not know, as Slurm's periodic pass
 * over a held job lifts them (within a minute of the submission, 22.05
 * shows "afterok:999999(unfulfilled)" until then, "(null)" after), so a
 * job that takes the id later is not waited for.  Returns DEP_SATISFIED
 * when that meets the list (a '?' list lost an item, or no item is
 * left): the caller drops it.  Otherwise DEP_WAIT, or the list's sticky
 * result.
 */
enum dep_result	 depend_lift_gone(struct dep_list *, const struct dep_query *);

/* WAIT_NO_REASON, WAIT_DEPENDENCY or WAIT_DEP_INVALID (enum job_reason). */
uint32_t	 depend_reason(enum dep_result);

/*
 * The string squeue %E and scontrol Dependency= show: the items not yet
 * fulfilled with their state, e.g. "afterok:11908(unfulfilled),
 * afterok:11910(failed)" or "afterok:1(unfulfilled)?afterok:2
 * (unfulfilled)", "after:5+10(unfulfilled)", "afterany:7_*(unfulfilled)",
 * "aftercorr:7_3(unfulfilled)", "singleton(unfulfilled)".  NULL when
 * nothing is left to show (no list, or satisfied): the caller prints
 * "(null)".  Caller frees.
 */
char		*depend_format(const struct dep_list *);

/* True if an item names job_id (as a job or as an array).  For the
 * self-dependency check at submit and circular checks on update. */
bool		 depend_refers_to(const struct dep_list *, uint32_t job_id);
/* True if the list has an aftercorr item (see dep_query.task_id). */
bool		 depend_has_corr(const struct dep_list *);

#endif
