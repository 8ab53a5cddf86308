/* SPDX-License-Identifier: MIT */
/*
 * User and group names, cached: squeue/sacct replies name the owner of
 * every job, and getpwuid() reads /etc/passwd each time.  The cache is
 * tiny (one machine has few users) and lives in struct daemon's lifetime.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "daemon.h"

#define NAME_CACHE	32

struct name_ent {
	unsigned	 id;
	char		*name;
};

struct name_cache {
	struct name_ent	 ent[NAME_CACHE];
	unsigned	 n;
	unsigned	 next;	/* round-robin replacement */
};

static const char *
cache_lookup(struct name_cache *c, unsigned id, bool user)
{
	struct passwd *pw;
	struct group *gr;
	struct name_ent *e;
	char *name;

	for (unsigned i = 0; i < c->n; i++)
		if (c->ent[i].id == id)
			return c->ent[i].name;
	if (user)
		name = (pw = getpwuid(id)) != NULL ? xstrdup(pw->pw_name) :
		    xprintf("%u", id);
	else
		name = (gr = getgrgid(id)) != NULL ? xstrdup(gr->gr_name) :
		    xprintf("%u", id);
	if (c->n < NAME_CACHE)
		e = &c->ent[c->n++];
	else {
		e = &c->ent[c->next];
		c->next = (c->next + 1) % NAME_CACHE;
		free(e->name);
	}
	e->id = id;
	e->name = name;
	return name;
}

const char *
user_name(uid_t uid)
{
	if (D->users == NULL)
		D->users = xcalloc(1, sizeof *D->users);
	return cache_lookup(D->users, uid, true);
}

const char *
group_name(gid_t gid)
{
	if (D->groups == NULL)
		D->groups = xcalloc(1, sizeof *D->groups);
	return cache_lookup(D->groups, gid, false);
}

int
user_parse(const char *s, uid_t *uid)
{
	struct passwd *pw;
	uint32_t v;

	/* Slurm's uid_from_string: a number must be a known uid too. */
	if (parse_u32(s, &v) == 0) {
		if (getpwuid((uid_t)v) == NULL)
			return -1;
		*uid = v;
		return 0;
	}
	if ((pw = getpwnam(s)) == NULL)
		return -1;
	*uid = pw->pw_uid;
	return 0;
}
