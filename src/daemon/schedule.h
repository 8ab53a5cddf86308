/* SPDX-License-Identifier: MIT */
/*
 * The scheduler's submission fast path (schedule.c): a submission that
 * is all that changed since the last pass is decided against what that
 * pass left (sched_fast_pass) instead of a pass over every pending job.
 * Whatever else may change a pass's outcome says so by calling
 * schedule_changed(), which also asks for the pass (D->sched_needed).
 */
#ifndef BERTH_SCHEDULE_H
#define BERTH_SCHEDULE_H

struct djob;

/* A pending job was submitted: schedule it (sets D->sched_needed). */
void	 schedule_submitted(struct djob *);
/* Something other than a submission changed: a full pass is needed. */
void	 schedule_changed(void);

#endif
