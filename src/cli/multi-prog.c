// SPDX-License-Identifier: MIT
/*
 * srun --multi-prog: read the configuration file that maps task ranks to
 * commands, check it the way Slurm's srun does before it asks for the
 * step, and build each task's argv once the step's task count is known.
 *
 * The file: one record a line, "RANKS COMMAND [ARGS...]"; RANKS is "*"
 * (every task not named on an earlier line; it must come last) or a
 * comma list of N and N-M; '#' starts a comment line; a line ending in
 * a backslash continues (Slurm skips the continuation line, and so does
 * this).  Without -n the task count starts at 1 and grows to the highest
 * rank named.  In COMMAND and ARGS, %t is the task's rank and %o its
 * offset within its line's range; single or double quotes group words.
 * Errors are Slurm's words (multi_prog.c of 22.05).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "multi-prog.h"

/* Slurm reads lines into a BUF_SIZE (4096) buffer. */
#define MP_LINE_MAX	4096

static void
add_range(struct multi_prog *mp, uint32_t lo, uint32_t hi, bool all,
    const char *cmd)
{
	mp->v = xreallocarray(mp->v, mp->n + 1, sizeof *mp->v);
	mp->v[mp->n].lo = lo;
	mp->v[mp->n].hi = hi;
	mp->v[mp->n].all = all;
	mp->v[mp->n].cmd = xstrdup(cmd);
	mp->n++;
}

/* Mark lo..hi as taken; Slurm's checks of one range. */
static int
take(struct multi_prog *mp, bool **seen, uint32_t lo, uint32_t hi,
    bool ntasks_fixed, bool dups_ok, struct buf *err)
{
	if (lo > hi) {
		buf_printf(err, "Invalid task range, %u-%u\n", lo, hi);
		return -1;
	}
	if (hi >= mp->ntasks) {
		if (ntasks_fixed) {
			buf_printf(err, "Invalid task id, %u >= ntasks\n", hi);
			return -1;
		}
		*seen = xreallocarray(*seen, (size_t)hi + 1, sizeof **seen);
		memset(*seen + mp->ntasks, 0,
		    ((size_t)hi + 1 - mp->ntasks) * sizeof **seen);
		mp->ntasks = hi + 1;
	}
	for (uint32_t i = lo; i <= hi; i++) {
		if ((*seen)[i] && !dups_ok) {
			buf_printf(err, "Duplicate record for task %u\n", i);
			return -1;
		}
		(*seen)[i] = true;
	}
	return 0;
}

/* One record's RANKS; -1 with the reason in err. */
static int
parse_ranks(struct multi_prog *mp, char *ranks, const char *cmd,
    bool **seen, bool *fixed, bool *star, struct buf *err)
{
	char *save = NULL, *r;
	unsigned long lo, hi;
	char *p, *end;

	if (strcmp(ranks, "*") == 0) {
		*fixed = *star = true;
		add_range(mp, 0, 0, true, cmd);
		return take(mp, seen, 0, mp->ntasks - 1, true, true, err);
	}
	for (r = strtok_r(ranks, ",", &save); r != NULL;
	    r = strtok_r(NULL, ",", &save)) {
		if (*star) {
			buf_adds(err, "Task range specification with asterisk "
			    "must be last\n");
			return -1;
		}
		for (p = r; isdigit((unsigned char)*p); p++)
			;
		if (p == r || (*p != '\0' && *p != '-')) {
			buf_printf(err, "Invalid task range specification "
			    "(%s)\n", r);
			return -1;
		}
		errno = 0;
		lo = strtoul(r, &end, 10);
		hi = lo;
		if (*p == '-') {
			for (p++, end = p; isdigit((unsigned char)*p); p++)
				;
			if (p == end || *p != '\0') {
				buf_adds(err, "Invalid task range "
				    "specification\n");
				return -1;
			}
			hi = strtoul(end, NULL, 10);
		}
		if (errno != 0 || lo > UINT32_MAX - 1 || hi > UINT32_MAX - 1) {
			buf_printf(err, "Invalid task range specification "
			    "(%s)\n", r);
			return -1;
		}
		if (take(mp, seen, (uint32_t)lo, (uint32_t)hi, *fixed, false,
		    err) == -1)
			return -1;
		add_range(mp, (uint32_t)lo, (uint32_t)hi, false, cmd);
	}
	return 0;
}

int
multi_prog_load(const char *path, uint32_t ntasks, struct multi_prog *mp,
    char **cause)
{
	FILE *f;
	char line[MP_LINE_MAX];
	struct buf err;
	bool *seen, fixed = ntasks != 0, star = false, cont = false, brk;
	int lineno = 0, rc = 0;
	size_t len;

	memset(mp, 0, sizeof *mp);
	mp->path = xstrdup(path);
	mp->ntasks = ntasks != 0 ? ntasks : 1;
	buf_init(&err);
	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "Unable to open configuration file %s", path);
		multi_prog_free(mp);
		return -1;
	}
	seen = xcalloc(mp->ntasks, sizeof *seen);
	while (fgets(line, sizeof line, f) != NULL) {
		char *p = line, *ranks, *cmd;

		lineno++;
		len = strlen(line);
		if (len >= sizeof line - 1) {
			buf_printf(&err, "Line %d of configuration file %s "
			    "too long\n", lineno, path);
			rc = -1;
			break;
		}
		brk = (len > 0 && line[len - 1] == '\\') ||
		    (len > 1 && line[len - 2] == '\\' && line[len - 1] == '\n');
		if (cont) {
			cont = brk;
			continue;
		}
		cont = brk;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '#' || *p == '\0')
			continue;
		ranks = p;
		p += strcspn(p, " \t");
		if (*p != '\0')
			*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		cmd = p;
		if (*cmd == '\0' || parse_ranks(mp, ranks, cmd, &seen, &fixed,
		    &star, &err) == -1) {
			buf_printf(&err, "Line %d of configuration file %s "
			    "invalid\n", lineno, path);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		buf_printf(&err, "Unable to read configuration file %s: %s\n",
		    path, strerror(errno));
		rc = -1;
	}
	fclose(f);
	for (uint32_t i = 0; rc == 0 && i < mp->ntasks; i++)
		if (!seen[i]) {
			buf_printf(&err, "Configuration file %s invalid, no "
			    "record for task id %u\n", path, i);
			rc = -1;
		}
	free(seen);
	if (rc == -1) {
		if (err.len > 0 && err.data[err.len - 1] == '\n')
			err.data[--err.len] = '\0';
		*cause = buf_steal(&err);
		multi_prog_free(mp);
		return -1;
	}
	buf_free(&err);
	return 0;
}

/* Split CMD into words for rank t at offset o: quotes, %t and %o. */
static char **
split_cmd(const char *cmd, uint32_t t, uint32_t o)
{
	char **v = xcalloc(1, sizeof *v);
	size_t n = 0;
	const char *p = cmd;
	struct buf w;

	buf_init(&w);
	while (*p != '\0') {
		char q = 0;
		bool word = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		for (; *p != '\0'; p++) {
			if (q != 0 && *p == q) {
				q = 0;
				continue;
			}
			if (q == 0 && (*p == '\'' || *p == '"')) {
				q = *p;
				word = true;
				continue;
			}
			if (q == 0 && (*p == ' ' || *p == '\t'))
				break;
			if (*p == '%' && (p[1] == 't' || p[1] == 'o')) {
				buf_printf(&w, "%u", p[1] == 't' ? t : o);
				p++;
			} else
				buf_addc(&w, *p);
			word = true;
		}
		if (!word)
			continue;
		v = xreallocarray(v, n + 2, sizeof *v);
		buf_addc(&w, '\0');
		v[n++] = xstrdup(w.data);
		v[n] = NULL;
		buf_reset(&w);
	}
	buf_free(&w);
	return v;
}

char ***
multi_prog_argv(const struct multi_prog *mp, uint32_t ntasks, char **cause)
{
	char ***argv = xcalloc((size_t)ntasks + 1, sizeof *argv);

	for (uint32_t t = 0; t < ntasks; t++) {
		for (size_t i = 0; i < mp->n && argv[t] == NULL; i++) {
			const struct mp_range *r = &mp->v[i];

			if (r->all)
				argv[t] = split_cmd(r->cmd, t, t);
			else if (t >= r->lo && t <= r->hi)
				argv[t] = split_cmd(r->cmd, t, t - r->lo);
		}
		if (argv[t] == NULL) {
			xasprintf(cause, "Configuration file %s invalid, no "
			    "record for task id %u", mp->path, t);
			multi_prog_argv_free(argv, ntasks);
			return NULL;
		}
	}
	return argv;
}

void
multi_prog_argv_free(char ***argv, uint32_t ntasks)
{
	if (argv == NULL)
		return;
	for (uint32_t t = 0; t < ntasks; t++)
		strv_free(argv[t]);
	free(argv);
}

void
multi_prog_free(struct multi_prog *mp)
{
	for (size_t i = 0; i < mp->n; i++)
		free(mp->v[i].cmd);
	free(mp->v);
	free(mp->path);
	memset(mp, 0, sizeof *mp);
}
