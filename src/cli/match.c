/* SPDX-License-Identifier: MIT */
/*
 * The job filters squeue and sacct apply on the client (the daemon applies
 * ids, states and users): names, partitions, accounts, QOS and node name.
 * Slurm compares accounts and QOS without regard to case; squeue compares
 * job names that way too, sacct does not (names_icase).
 */
#include <string.h>
#include <strings.h>

#include "cli.h"

static bool
in_list(char *const *v, const char *s, bool icase)
{
	if (s == NULL)
		return false;
	for (size_t i = 0; v[i] != NULL; i++)
		if ((icase ? strcasecmp(v[i], s) : strcmp(v[i], s)) == 0)
			return true;
	return false;
}

bool
job_match(const struct job_match *m, const struct job *j)
{
	if (m->names != NULL && !in_list(m->names, j->name, m->names_icase))
		return false;
	if (m->partitions != NULL && !in_list(m->partitions, j->partition,
	    false))
		return false;
	if (m->accounts != NULL && !in_list(m->accounts, j->account, true))
		return false;
	if (m->qos != NULL && !in_list(m->qos, j->qos, true))
		return false;
	if (m->nodes != NULL && (j->nodelist == NULL ||
	    strstr(j->nodelist, m->nodes) == NULL))
		return false;
	return true;
}
