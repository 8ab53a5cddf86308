/* SPDX-License-Identifier: MIT */
/*
 * The sprio request and reply (MSG_PRIO_QUERY -> MSG_PRIO_LIST).
 *
 * Query: a job_filter (job.h; ids, users as names, partitions; each
 * empty = all), the daemon resolving user names.
 * Reply: u8 multifactor, 5 x u32 weights (age, fairshare, jobsize,
 * partition, qos), u32 n, n x row: u32 id, u32 uid, str user, str
 * partition, u32 priority, i32 nice (as u32), u8 fixed, 5 x f64 weighted
 * factors (age, fs, js, part, qos) sent as their IEEE-754 bits in a u64.
 *
 * Ownership: prio_list_get allocates rows and their strings;
 * prio_list_free frees them.
 */
#ifndef BERTH_PROTO_PRIO_H
#define BERTH_PROTO_PRIO_H

#include <stdbool.h>
#include <stdint.h>

#include "msg.h"

struct prio_row {
	uint32_t	 id;
	uint32_t	 uid;
	char		*user;
	char		*partition;
	uint32_t	 priority;
	int32_t		 nice;
	bool		 fixed;		/* set by scontrol update/top */
	double		 age, fs, js, part, qos;	/* weighted */
};

struct prio_list {
	bool		 multifactor;
	uint32_t	 w_age, w_fs, w_js, w_part, w_qos;
	struct prio_row	*rows;
	uint32_t	 n;
};

void	 prio_row_put(struct msg *, const struct prio_row *);
/* Returns -1 on a malformed message (m->err set). */
int	 prio_list_get(struct msg *, struct prio_list *);
void	 prio_list_free(struct prio_list *);
void	 msg_put_f64(struct msg *, double);
double	 msg_get_f64(struct msg *);

#endif
