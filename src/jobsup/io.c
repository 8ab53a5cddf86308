/* SPDX-License-Identifier: MIT */
/*
 * Output file names of a batch job: Slurm's filename patterns, expanded
 * the way slurmstepd does for the batch step (its fname.c), checked
 * against 11_sbatch_directives and 12_sbatch_array:
 *
 *   %%  a literal %            %j  job id          %J  job id (batch step)
 *   %A  array master job id, or the job id for a non-array job
 *   %a  array task id; 4294967294 (NO_VAL) for a non-array job
 *   %n  node index (0)         %t  task id (0)     %s  step: "batch"
 *   %N  short node name        %u  user name       %x  job name
 *
 * A number between % and the letter zero-pads numeric fields (%5j ->
 * 00042), capped at 10 as in Slurm; string fields ignore it.  A pattern
 * with a backslash is not expanded: the backslashes are removed ("\\"
 * stands for one).  Relative names are taken against the job's working
 * directory.  Pure functions: no I/O.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/xmalloc.h"
#include "jobsup.h"

#define PATTERN_MAX_WIDTH	10

static void	expand_escaped(struct buf *, const char *);
static void	expand_pattern(struct buf *, const char *, const struct job *,
		    const struct jobsup_names *);

char *
jobsup_expand_path(const char *pattern, const struct job *j,
    const struct jobsup_names *n)
{
	struct buf b;

	buf_init(&b);
	if (pattern[0] != '/' && j->workdir != NULL) {
		buf_adds(&b, j->workdir);
		if (b.len == 0 || b.data[b.len - 1] != '/')
			buf_addc(&b, '/');
	}
	if (strchr(pattern, '\\') != NULL)
		expand_escaped(&b, pattern);
	else
		expand_pattern(&b, pattern, j, n);
	return buf_steal(&b);
}

/* "\\" is one backslash, any other backslash is dropped. */
static void
expand_escaped(struct buf *b, const char *p)
{
	while (*p != '\0') {
		if (p[0] == '\\' && p[1] == '\\') {
			buf_addc(b, '\\');
			p += 2;
		} else if (p[0] == '\\')
			p++;
		else
			buf_addc(b, *p++);
	}
}

static void
expand_pattern(struct buf *b, const char *p, const struct job *j,
    const struct jobsup_names *n)
{
	const char *q, *s;
	unsigned long width;
	uint32_t v = 0;
	bool is_str;

	while (*p != '\0') {
		if (*p != '%') {
			buf_addc(b, *p++);
			continue;
		}
		if (p[1] == '%') {
			buf_addc(b, '%');
			p += 2;
			continue;
		}
		width = 0;
		for (q = p + 1; isdigit((unsigned char)*q); q++) {
			if (width <= PATTERN_MAX_WIDTH)
				width = width * 10 + (unsigned long)(*q - '0');
		}
		if (width > PATTERN_MAX_WIDTH)
			width = PATTERN_MAX_WIDTH;

		s = NULL;
		is_str = *q != '\0' && strchr("Nsux", *q) != NULL;
		switch (*q) {
		case 'A':
			v = j->array_job_id != 0 ? j->array_job_id : j->id;
			break;
		case 'a':
			v = j->array_task_id;
			break;
		case 'J':
		case 'j':
			v = j->id;
			break;
		case 'n':
		case 't':
			v = 0;
			break;
		case 's':
			s = "batch";
			break;
		case 'N':
			s = n->node;
			break;
		case 'u':
			s = n->user;
			break;
		case 'x':
			s = j->name;
			break;
		default:
			/* Not a pattern: keep it as written. */
			if (*q == '\0') {
				buf_add(b, p, (size_t)(q - p));
				p = q;
			} else {
				buf_add(b, p, (size_t)(q - p) + 1);
				p = q + 1;
			}
			continue;
		}
		if (is_str)
			buf_adds(b, s != NULL ? s : "(null)");
		else
			buf_printf(b, "%0*u", (int)width, v);
		p = q + 1;
	}
}

void
jobsup_paths_build(const struct job *j, const struct jobsup_names *n,
    struct jobsup_paths *paths)
{
	const char *out;

	memset(paths, 0, sizeof *paths);
	if (j->std_in != NULL && *j->std_in != '\0')
		paths->in_path = jobsup_expand_path(j->std_in, j, n);
	else
		paths->in_path = xstrdup("/dev/null");

	/* sbatch's defaults: slurm-%j.out, or slurm-%A_%a.out for arrays. */
	if (j->std_out != NULL && *j->std_out != '\0')
		out = j->std_out;
	else if (j->array_job_id != 0)
		out = "slurm-%A_%a.out";
	else
		out = "slurm-%j.out";
	paths->out_path = jobsup_expand_path(out, j, n);

	if (j->std_err != NULL && *j->std_err != '\0') {
		paths->err_path = jobsup_expand_path(j->std_err, j, n);
		if (strcmp(paths->err_path, paths->out_path) == 0) {
			free(paths->err_path);
			paths->err_path = NULL;
		}
	}
}

void
jobsup_paths_free(struct jobsup_paths *paths)
{
	free(paths->in_path);
	free(paths->out_path);
	free(paths->err_path);
	memset(paths, 0, sizeof *paths);
}
