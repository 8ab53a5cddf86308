/* SPDX-License-Identifier: MIT */
/*
 * Who may use a partition: AllowGroups and AllowAccounts of berth.conf,
 * checked at submission (rpc-submit.c) and for what sinfo and scontrol
 * show partition list without -a (rpc-query.c), with slurmctld's rules
 * (partition_mgr.c validate_group, part_policy_valid_acct):
 *   AllowGroups   root and the daemon's own user (SlurmUser) may use any
 *                 partition; others must have one of the groups as their
 *                 primary or a supplementary group.
 *   AllowAccounts the job's account must be one of the list (no
 *                 exception for root).
 * Both lists are comma-separated; unset (or ALL) allows everyone.
 */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "daemon.h"

/* The uid's groups (primary first); caller frees.  -1 if unknown. */
static int
user_groups(uid_t uid, gid_t **gids, int *n)
{
	struct passwd *pw;
	int cnt = 16;

	if ((pw = getpwuid(uid)) == NULL)
		return -1;
	for (;;) {
		int want = cnt;

		*gids = xreallocarray(NULL, (size_t)cnt, sizeof **gids);
		if (getgrouplist(pw->pw_name, pw->pw_gid, *gids, &want) != -1) {
			*n = want;
			return 0;
		}
		free(*gids);
		*gids = NULL;
		if (want <= cnt)
			return -1;
		cnt = want;
	}
}

bool
part_group_ok(const struct part_conf *pc, uid_t uid)
{
	char **names;
	gid_t *gids = NULL;
	struct group *gr;
	int n = 0;
	bool ok = false;

	if (pc->allow_groups == NULL || uid == 0 || uid == getuid())
		return true;
	if (user_groups(uid, &gids, &n) == -1)
		return false;
	names = strv_split(pc->allow_groups, ",", NULL);
	for (size_t i = 0; names[i] != NULL && !ok; i++) {
		if ((gr = getgrnam(names[i])) == NULL)
			continue;
		for (int k = 0; k < n && !ok; k++)
			ok = gids[k] == gr->gr_gid;
	}
	strv_free(names);
	free(gids);
	return ok;
}

bool
part_account_ok(const struct part_conf *pc, const char *account)
{
	char **names;
	bool ok = false;

	if (pc->allow_accounts == NULL)
		return true;
	if (account == NULL)
		return false;
	names = strv_split(pc->allow_accounts, ",", NULL);
	for (size_t i = 0; names[i] != NULL && !ok; i++)
		ok = strcmp(names[i], account) == 0;
	strv_free(names);
	return ok;
}
