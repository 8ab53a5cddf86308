/* SPDX-License-Identifier: MIT */
/* Private to src/store/: the handle and prepared statements. */
#ifndef BERTH_STORE_INT_H
#define BERTH_STORE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "store.h"

struct store {
	sqlite3		*db;
	bool		 in_txn;
	char		*col_list;
	sqlite3_stmt	*job_insert;
	sqlite3_stmt	*job_update;
	sqlite3_stmt	*data_insert;
	sqlite3_stmt	*data_select;
	sqlite3_stmt	*data_delete;
	sqlite3_stmt	*step_put;
	sqlite3_stmt	*holder_put;
	sqlite3_stmt	*holder_delete;

	/* The committer thread (store_commit_start/_wait): while it runs
	 * COMMIT, nothing else may touch db. */
	pthread_t	 committer;
	pthread_mutex_t	 cmu;
	pthread_cond_t	 ccv;
	bool		 committer_up;
	bool		 committer_broken;	/* could not start: none */
	bool		 commit_asked;	/* work for the committer */
	bool		 committing;	/* COMMIT under way (under cmu) */
	bool		 commit_out;	/* started, not waited (caller's) */
	bool		 committer_quit;
	int		 commit_rc;
	char		*commit_cause;
};

/* Called with a commit handed to the committer and not waited for. */
#define STORE_MUST_BE_IDLE(st) do {					\
	if ((st)->commit_out)						\
		store_misuse(__func__);					\
} while (0)
void	 store_misuse(const char *) __attribute__((noreturn));

int	 store_job_prepare(struct store *, char **cause);
/* Migration 3 -> 4: rewrite every row's rec from its columns. */
int	 store_job_recode(struct store *, char **cause);
void	 store_job_finalize(struct store *);
int	 store_step_prepare(struct store *, char **cause);
void	 store_step_finalize(struct store *);

#endif
