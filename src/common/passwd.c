/* SPDX-License-Identifier: MIT */
/*
 * A passwd(5) file parsed by hand: see passwd.h for why the client cannot
 * use getpwnam().  A line is "name:password:uid:gid:gecos:dir:shell".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "passwd.h"
#include "util.h"
#include "xmalloc.h"

#define PASSWD_FIELDS	7

/* Split line at ':' into exactly PASSWD_FIELDS fields; -1 otherwise. */
static int
split_line(char *line, char **f)
{
	size_t n = 0;
	char *p = line;

	line[strcspn(line, "\n")] = '\0';
	for (;;) {
		if (n == PASSWD_FIELDS)
			return -1;
		f[n++] = p;
		if ((p = strchr(p, ':')) == NULL)
			break;
		*p++ = '\0';
	}
	return n == PASSWD_FIELDS ? 0 : -1;
}

int
passwd_find(const char *file, const char *name, uint32_t uid,
    struct passwd_ent *pe)
{
	FILE *fp;
	char *line = NULL, *f[PASSWD_FIELDS];
	size_t size = 0;
	uint32_t u, g;
	int rc = -1;

	if ((fp = fopen(file, "re")) == NULL)
		return -1;
	while (getline(&line, &size, fp) != -1) {
		if (line[0] == '#' || line[0] == '+' || line[0] == '-')
			continue;
		if (split_line(line, f) == -1 || *f[0] == '\0' ||
		    parse_u32(f[2], &u) == -1 || parse_u32(f[3], &g) == -1)
			continue;
		if (name != NULL ? strcmp(f[0], name) != 0 : u != uid)
			continue;
		pe->name = xstrdup(f[0]);
		pe->uid = u;
		pe->gid = g;
		pe->dir = xstrdup(f[5]);
		pe->shell = xstrdup(f[6]);
		rc = 0;
		break;
	}
	free(line);
	fclose(fp);
	return rc;
}

void
passwd_ent_free(struct passwd_ent *pe)
{
	free(pe->name);
	free(pe->dir);
	free(pe->shell);
	pe->name = pe->dir = pe->shell = NULL;
}
