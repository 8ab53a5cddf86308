// SPDX-License-Identifier: MIT
/*
 * The pure parts of the task launcher (launch.h): srun's I/O mode words,
 * its file name patterns, the CPU binding plan of --cpu-bind and the exit
 * code rule.  No I/O: unit tests link this file alone.
 *
 * Patterns (Slurm's fname.c for a step): %% a literal %, %j/%J job id,
 * %s step id, %t task id, %n node index (0), %N node name, %u user, %x job
 * name, %A array master id (the job id when not an array task), %a array
 * task id (4294967294 when not one); a number after % zero-pads numbers
 * (at most 10).  A pattern with a backslash is taken literally without
 * its backslashes.
 *
 * Binding: the step's CPUs are the list the daemon granted.  Default and
 * sockets/ldoms/boards: every task on all of them (Slurm's task/affinity
 * with the default binding shows this as "quiet,mask_cpu:0x3", 60_srun).
 * rank: task i on the i-th CPU.  cores/threads: task i on CPUs
 * [i*c, (i+1)*c) of the list (c = --cpus-per-task), wrapping around.
 * map_cpu:<ids>, mask_cpu:<masks>: entry i mod n, limited to the step's
 * CPUs.  none/no: no binding.  Every binding but none is shown to the
 * tasks as mask_cpu, one mask per task in SLURM_CPU_BIND_LIST.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/job.h"
#include "launch.h"

#define PATTERN_MAX_WIDTH	10
#define MAX_CPU			4096

static int	 cpus_parse(const char *, uint32_t **, size_t *);
static char	*cpus_list(const uint32_t *, size_t);
static char	*cpus_mask(const uint32_t *, size_t);
static bool	 cpus_has(const uint32_t *, size_t, uint32_t);

void
launch_io_mode(const char *v, struct io_mode *m)
{
	uint32_t n;

	memset(m, 0, sizeof *m);
	if (v == NULL || strcasecmp(v, "all") == 0)
		m->kind = IO_ALL;
	else if (strcasecmp(v, "none") == 0 || strcmp(v, "/dev/null") == 0)
		m->kind = IO_NONE;
	else if (parse_u32(v, &n) == 0) {
		m->kind = IO_TASK;
		m->task = n;
	} else {
		m->kind = IO_FILE;
		m->pattern = v;
	}
}

bool
launch_pattern_per_task(const char *p)
{
	if (strchr(p, '\\') != NULL)
		return false;
	for (; *p != '\0'; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		while (isdigit((unsigned char)p[1]))
			p++;
		if (p[1] == 't')
			return true;
	}
	return false;
}

char *
launch_expand(const char *p, const struct launch_names *n, uint32_t task)
{
	struct buf b;
	unsigned long width;
	const char *q, *s;
	uint32_t v;

	buf_init(&b);
	if (p[0] != '/' && n->workdir != NULL) {
		buf_adds(&b, n->workdir);
		if (b.len == 0 || b.data[b.len - 1] != '/')
			buf_addc(&b, '/');
	}
	if (strchr(p, '\\') != NULL) {
		for (; *p != '\0'; p++) {
			if (p[0] == '\\' && p[1] == '\\')
				buf_addc(&b, *++p);
			else if (p[0] != '\\')
				buf_addc(&b, *p);
		}
		return buf_steal(&b);
	}
	while (*p != '\0') {
		if (*p != '%') {
			buf_addc(&b, *p++);
			continue;
		}
		if (p[1] == '%') {
			buf_addc(&b, '%');
			p += 2;
			continue;
		}
		width = 0;
		for (q = p + 1; isdigit((unsigned char)*q); q++)
			if (width <= PATTERN_MAX_WIDTH)
				width = width * 10 + (unsigned long)(*q - '0');
		if (width > PATTERN_MAX_WIDTH)
			width = PATTERN_MAX_WIDTH;
		s = NULL;
		v = 0;
		switch (*q) {
		case 'j':
		case 'J':
			v = n->job_id;
			break;
		case 's':
			v = n->step_id;
			break;
		case 't':
			v = task;
			break;
		case 'n':
			v = 0;
			break;
		case 'A':
			v = n->array_job_id != 0 ? n->array_job_id : n->job_id;
			break;
		case 'a':
			v = n->array_job_id != 0 ? n->array_task_id :
			    NO_VAL;
			break;
		case 'N':
			s = n->node != NULL ? n->node : "";
			break;
		case 'u':
			s = n->user != NULL ? n->user : "";
			break;
		case 'x':
			s = n->job_name != NULL ? n->job_name : "";
			break;
		default:
			/* unknown: kept as written */
			buf_add(&b, p, (size_t)(q - p) + (*q != '\0'));
			p = q + (*q != '\0');
			continue;
		}
		if (s != NULL)
			buf_adds(&b, s);
		else
			buf_printf(&b, "%0*u", (int)width, v);
		p = q + 1;
	}
	return buf_steal(&b);
}

/* "0-3,8" -> sorted ids; -1 when malformed. */
static int
cpus_parse(const char *s, uint32_t **out, size_t *np)
{
	uint32_t *v = NULL;
	size_t n = 0;
	unsigned long lo, hi;
	char *end;

	*out = NULL;
	*np = 0;
	while (*s != '\0') {
		if (!isdigit((unsigned char)*s))
			goto bad;
		lo = hi = strtoul(s, &end, 10);
		s = end;
		if (*s == '-') {
			if (!isdigit((unsigned char)s[1]))
				goto bad;
			hi = strtoul(s + 1, &end, 10);
			s = end;
		}
		if (hi < lo || hi >= MAX_CPU)
			goto bad;
		for (unsigned long c = lo; c <= hi; c++) {
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n++] = (uint32_t)c;
		}
		if (*s == ',')
			s++;
		else if (*s != '\0')
			goto bad;
	}
	*out = v;
	*np = n;
	return n > 0 ? 0 : -1;
bad:
	free(v);
	return -1;
}

static bool
cpus_has(const uint32_t *v, size_t n, uint32_t c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == c)
			return true;
	return false;
}

/* ids (any order, no duplicates) -> "0-1,4" */
static char *
cpus_list(const uint32_t *v, size_t n)
{
	struct buf b;
	bool set[MAX_CPU] = { false };

	for (size_t i = 0; i < n; i++)
		set[v[i]] = true;
	buf_init(&b);
	for (uint32_t c = 0; c < MAX_CPU; c++) {
		uint32_t e = c;

		if (!set[c])
			continue;
		while (e + 1 < MAX_CPU && set[e + 1])
			e++;
		buf_printf(&b, "%s%u", b.len > 0 ? "," : "", c);
		if (e > c)
			buf_printf(&b, "-%u", e);
		c = e;
	}
	return buf_steal(&b);
}

/* ids -> "0x3" */
static char *
cpus_mask(const uint32_t *v, size_t n)
{
	uint8_t nib[MAX_CPU / 4] = { 0 };
	size_t top = 0;
	struct buf b;

	for (size_t i = 0; i < n; i++) {
		nib[v[i] / 4] |= (uint8_t)(1u << (v[i] % 4));
		if (v[i] / 4 > top)
			top = v[i] / 4;
	}
	buf_init(&b);
	buf_adds(&b, "0x");
	for (size_t i = top + 1; i-- > 0;)
		buf_addc(&b, "0123456789ABCDEF"[nib[i]]);
	return buf_steal(&b);
}

int
launch_bind_plan(const char *spec, const char *step_cpus, uint32_t ntasks,
    uint32_t cpt, struct bind_plan *p, char **cause)
{
	uint32_t *step = NULL, *mine;
	size_t nstep = 0, nmine;
	char **entries = NULL, *copy = NULL, *tok, *save;
	size_t nentries = 0;
	enum { B_ALL, B_NONE, B_RANK, B_CORES, B_MAP, B_MASK } type = B_ALL;
	const char *verb = "quiet";
	struct buf list;
	int rc = -1;

	memset(p, 0, sizeof *p);
	if (cpt == 0)
		cpt = 1;
	if (spec != NULL) {
		copy = xstrdup(spec);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (strcasecmp(tok, "q") == 0 ||
			    strcasecmp(tok, "quiet") == 0)
				verb = "quiet";
			else if (strcasecmp(tok, "v") == 0 ||
			    strcasecmp(tok, "verbose") == 0)
				verb = "verbose";
			else if (strcasecmp(tok, "no") == 0 ||
			    strcasecmp(tok, "none") == 0)
				type = B_NONE;
			else if (strcasecmp(tok, "rank") == 0)
				type = B_RANK;
			else if (strcasecmp(tok, "cores") == 0 ||
			    strcasecmp(tok, "threads") == 0)
				type = B_CORES;
			else if (strncasecmp(tok, "map_cpu:", 8) == 0 ||
			    strncasecmp(tok, "mask_cpu:", 9) == 0) {
				type = tolower((unsigned char)tok[1]) == 'a' &&
				    tolower((unsigned char)tok[2]) == 'p' ?
				    B_MAP : B_MASK;
				tok = strchr(tok, ':') + 1;
				do {
					entries = xreallocarray(entries,
					    nentries + 1, sizeof *entries);
					entries[nentries++] = tok;
				} while ((tok = strtok_r(NULL, ",", &save)) !=
				    NULL);
				break;
			} else
				type = B_ALL;	/* sockets, ldoms, boards */
		}
	}
	p->verbose = strcmp(verb, "verbose") == 0;
	if (type == B_NONE) {
		p->env_bind = xprintf("%s,none", verb);
		p->env_type = xstrdup("none");
		p->env_list = xstrdup("");
		rc = 0;
		goto out;
	}
	if (step_cpus == NULL || cpus_parse(step_cpus, &step, &nstep) == -1) {
		xasprintf(cause, "invalid CPU list \"%s\"", step_cpus != NULL ?
		    step_cpus : "");
		goto out;
	}
	p->task_cpus = xcalloc(ntasks, sizeof *p->task_cpus);
	buf_init(&list);
	for (uint32_t t = 0; t < ntasks; t++) {
		char *m;

		mine = xcalloc(nstep + 1, sizeof *mine);
		nmine = 0;
		switch (type) {
		case B_ALL:
			memcpy(mine, step, nstep * sizeof *mine);
			nmine = nstep;
			break;
		case B_RANK:
			mine[nmine++] = step[t % nstep];
			break;
		case B_CORES:
			for (uint32_t k = 0; k < cpt && k < nstep; k++)
				mine[nmine++] = step[((size_t)t * cpt + k) %
				    nstep];
			break;
		case B_MAP: {
			const char *e = entries[t % nentries];
			unsigned long c = strtoul(e, NULL,
			    strncasecmp(e, "0x", 2) == 0 ? 16 : 10);

			if (c < MAX_CPU && cpus_has(step, nstep, (uint32_t)c))
				mine[nmine++] = (uint32_t)c;
			break;
		}
		case B_MASK: {
			const char *e = entries[t % nentries];
			size_t len;

			if (strncasecmp(e, "0x", 2) == 0)
				e += 2;
			len = strlen(e);
			for (size_t i = 0; i < len; i++) {
				int d = e[len - 1 - i];
				unsigned v = isdigit(d) ? (unsigned)(d - '0') :
				    (unsigned)(tolower(d) - 'a' + 10);

				for (unsigned bit = 0; bit < 4; bit++) {
					uint32_t c = (uint32_t)(i * 4 + bit);

					if ((v & (1u << bit)) &&
					    cpus_has(step, nstep, c))
						mine[nmine++] = c;
				}
			}
			break;
		}
		case B_NONE:
			break;
		}
		if (nmine == 0) {
			xasprintf(cause, "--cpu-bind: no CPU of task %u's "
			    "binding is allocated to the step (CPUs %s)", t,
			    step_cpus);
			free(mine);
			buf_free(&list);
			goto out;
		}
		p->task_cpus[t] = cpus_list(mine, nmine);
		m = cpus_mask(mine, nmine);
		buf_printf(&list, "%s%s", t > 0 ? "," : "", m);
		free(m);
		free(mine);
	}
	p->env_list = buf_steal(&list);
	p->env_bind = xprintf("%s,mask_cpu:%s", verb, p->env_list);
	p->env_type = xstrdup("mask_cpu:");
	rc = 0;
out:
	if (rc == -1)
		launch_bind_free(p, ntasks);
	free(step);
	free(entries);
	free(copy);
	return rc;
}

void
launch_bind_free(struct bind_plan *p, uint32_t ntasks)
{
	if (p->task_cpus != NULL)
		for (uint32_t i = 0; i < ntasks; i++)
			free(p->task_cpus[i]);
	free(p->task_cpus);
	free(p->env_bind);
	free(p->env_type);
	free(p->env_list);
	memset(p, 0, sizeof *p);
}

int
launch_exit_code(const int *st, uint32_t n, uint32_t *chosen)
{
	int best = -1;

	*chosen = 0;
	for (uint32_t i = 0; i < n; i++) {
		int code = WIFEXITED(st[i]) ? WEXITSTATUS(st[i]) :
		    WIFSIGNALED(st[i]) ? 128 + WTERMSIG(st[i]) : 1;

		if (code > best) {
			best = code;
			*chosen = i;
		}
	}
	return best < 0 ? 0 : best;
}
