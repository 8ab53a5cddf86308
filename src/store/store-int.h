/* SPDX-License-Identifier: MIT */
/* Private to src/store/: the handle and prepared statements. */
#ifndef BERTH_STORE_INT_H
#define BERTH_STORE_INT_H

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
	sqlite3_stmt	*begin;		/* BEGIN IMMEDIATE, prepared once */
	sqlite3_stmt	*commit;	/* COMMIT */

};

/* The VFS that gathers the WAL's writes into one (store-vfs.c). */
#define STORE_VFS	"berth-wal"
int	 store_vfs_register(void);
/* How many WAL syncs were full fdatasync()s and how many by range. */
void	 store_vfs_syncs(unsigned long *full, unsigned long *range);

/* The WAL's commit sync by its written range and a flush (store-flush.c):
 * the barrier file for the WAL open on walfd, or -1 (always fdatasync). */
int	 store_flush_open(int walfd, const char *wal_name);
/* Of n inode numbers, the index of one in a full inode-table group of
 * them (its first number in *base), or 0 (*base 0). */
int	 store_flush_pick(const unsigned long long *ino, int n,
	    unsigned long long *base);

int	 store_job_prepare(struct store *, char **cause);
/* Migration 3 -> 4: rewrite every row's rec from its columns. */
int	 store_job_recode(struct store *, char **cause);
void	 store_job_finalize(struct store *);
int	 store_step_prepare(struct store *, char **cause);
void	 store_step_finalize(struct store *);

#endif
