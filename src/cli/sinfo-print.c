/* SPDX-License-Identifier: MIT */
/*
 * sinfo's table: rows from the node and partition records, the format
 * (-o, -O, $SINFO_FORMAT or a built-in one), and the printing.
 *
 * Rows follow Slurm's _build_sinfo_data(): with -N one row per node and
 * partition it belongs to; else, when the format shows the partition, one
 * row per partition (even one whose nodes were all filtered out: NODES 0,
 * STATE n/a); else rows that would print the same line are merged, the
 * way Slurm merges partitions into one record.  Order is the partition
 * order of the configuration, Slurm's default "#P" sort.
 *
 * The built-in formats are Slurm's, with %P and %N widened to the longest
 * name as Slurm does for them.  An unknown -o letter is reported on
 * stderr ("Invalid node format specification: k") and printed literally,
 * an unknown -O name reported and dropped, both as Slurm does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "sinfo.h"

static bool	 strv_has(char *const *, const char *);
static bool	 node_in_part(const struct node_info *,
		    const struct part_info *);
static bool	 node_ok(const struct sinfo_opts *, const struct node_info *);
static char	*escape_letters(const char *);
static char	*drop_names(const char *);
static bool	 shows_partition(const struct fmt_list *);
static size_t	 build_rows(const struct sinfo_opts *, bool,
		    const struct node_info *, const struct part_info *,
		    uint32_t, struct sinfo_row *);
static size_t	 merge_rows(const struct fmt_list *, struct sinfo_row *,
		    size_t, const struct fmt_ctx *);
static char	*user_format(const struct sinfo_opts *);
static int	 parse_format(const struct sinfo_opts *, struct fmt_list *,
		    const char *);

static bool
strv_has(char *const *v, const char *s)
{
	if (v == NULL || s == NULL)
		return false;
	for (; *v != NULL; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

static bool
node_in_part(const struct node_info *n, const struct part_info *p)
{
	char **v;
	bool in;

	if (n->name == NULL)
		return false;
	if (p->nodes != NULL) {
		v = strv_split(p->nodes, ",", NULL);
		in = strv_has(v, n->name);
		strv_free(v);
		if (in)
			return true;
	}
	if (n->partitions != NULL && p->name != NULL) {
		v = strv_split(n->partitions, ",", NULL);
		in = strv_has(v, p->name);
		strv_free(v);
		return in;
	}
	return false;
}

/* Slurm's _filter_out(), inverted. */
static bool
node_ok(const struct sinfo_opts *o, const struct node_info *n)
{
	bool no_respond = n->state != NULL && strchr(n->state, '*') != NULL;

	if (n->name == NULL)
		return false;
	if (o->nodes != NULL && !strv_has(o->nodes, n->name))
		return false;
	if (o->dead && !no_respond)
		return false;
	if (o->responding && no_respond)
		return false;
	if (o->have_states && !sinfo_state_match(o->states, n->state))
		return false;
	return true;
}

/*
 * Slurm keeps an unknown -o field as literal text after telling so; the
 * generic parser refuses it, so turn such specs into "%%" escapes first.
 */
static char *
escape_letters(const char *f)
{
	struct buf b;
	const char *p = f, *spec;

	buf_init(&b);
	while (*p != '\0') {
		if (*p != '%') {
			buf_addc(&b, *p++);
			continue;
		}
		if (p[1] == '%') {
			buf_adds(&b, "%%");
			p += 2;
			continue;
		}
		spec = p++;
		if (*p == '.' || *p == '-')
			p++;
		if (*p == '#')
			p++;
		else
			while (*p >= '0' && *p <= '9')
				p++;
		if (*p != '\0' && fmt_field_by_letter(&sinfo_table,
		    (unsigned char)*p) != NULL) {
			p++;
			buf_add(&b, spec, (size_t)(p - spec));
			continue;
		}
		if (*p != '\0') {
			fprintf(stderr, "Invalid node format specification: "
			    "%c\n", *p);
			p++;
		}
		buf_addc(&b, '%');
		buf_add(&b, spec, (size_t)(p - spec));
	}
	return buf_steal(&b);
}

/* -O: Slurm reports an unknown name and goes on without it. */
static char *
drop_names(const char *f)
{
	struct buf b;
	char **v, *colon;
	const char *name;

	buf_init(&b);
	v = strv_split(f, ",", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		colon = strchr(v[i], ':');
		if (colon != NULL)
			*colon = '\0';
		name = v[i];
		if (fmt_field_by_name(&sinfo_table, name) == NULL) {
			fprintf(stderr, "sinfo: error: Invalid job format "
			    "specification: %s\n", name);
			continue;
		}
		if (colon != NULL)
			*colon = ':';
		if (b.len > 0)
			buf_addc(&b, ',');
		buf_adds(&b, v[i]);
	}
	strv_free(v);
	return buf_steal(&b);
}

static bool
shows_partition(const struct fmt_list *l)
{
	for (size_t i = 0; i < l->ncols; i++)
		if (l->cols[i].field->letter == 'P' ||
		    l->cols[i].field->letter == 'R')
			return true;
	return false;
}

static size_t
build_rows(const struct sinfo_opts *o, bool part_flag,
    const struct node_info *n, const struct part_info *parts,
    uint32_t nparts, struct sinfo_row *rows)
{
	size_t nrows = 0;
	bool in;

	for (uint32_t i = 0; i < nparts; i++) {
		if (o->parts != NULL && !strv_has(o->parts, parts[i].name))
			continue;
		if (parts[i].hidden && !o->all)
			continue;
		in = node_in_part(n, &parts[i]) && node_ok(o, n);
		if (in || (!o->node_flag && part_flag)) {
			rows[nrows].part = &parts[i];
			rows[nrows].node = in ? n : NULL;
			nrows++;
		}
	}
	return nrows;
}

/* Rows that print the same line become one, as Slurm's records do. */
static size_t
merge_rows(const struct fmt_list *l, struct sinfo_row *rows, size_t n,
    const struct fmt_ctx *ctx)
{
	struct buf *keys;
	size_t kept = 0;
	bool dup;

	keys = xcalloc(n + 1, sizeof *keys);
	for (size_t i = 0; i < n; i++) {
		buf_init(&keys[kept]);
		for (size_t c = 0; c < l->ncols; c++) {
			l->cols[c].field->get(&keys[kept], &rows[i], ctx);
			buf_addc(&keys[kept], '\037');
		}
		dup = false;
		/* No columns (every -O name unknown): empty keys, NULL data. */
		for (size_t k = 0; k < kept && !dup; k++)
			dup = keys[k].len == keys[kept].len &&
			    (keys[k].len == 0 || memcmp(keys[k].data,
			    keys[kept].data, keys[k].len) == 0);
		if (dup) {
			buf_free(&keys[kept]);
			continue;
		}
		rows[kept++] = rows[i];
	}
	for (size_t k = 0; k < kept; k++)
		buf_free(&keys[k]);
	free(keys);
	return kept;
}

/* The -o/-O/SINFO_FORMAT format, or NULL for a built-in one. */
static char *
user_format(const struct sinfo_opts *o)
{
	const char *env;

	if (o->long_format != NULL)
		return drop_names(o->long_format);
	if (o->format != NULL)
		return escape_letters(o->format);
	if (!o->summarize && !o->node_flag && !o->reasons &&
	    (env = getenv("SINFO_FORMAT")) != NULL)
		return escape_letters(env);
	return NULL;
}

static int
parse_format(const struct sinfo_opts *o, struct fmt_list *l, const char *f)
{
	char *cause = NULL;
	int rc;

	if (o->long_format != NULL)
		rc = fmt_parse_long(l, &sinfo_table, "job", f, 20, &cause);
	else
		rc = fmt_parse_letters(l, &sinfo_table, "node", f, &cause);
	if (rc == -1) {
		fprintf(stderr, "sinfo: error: %s\n", cause);
		free(cause);
	}
	return rc;
}

int
sinfo_print(FILE *fp, const struct sinfo_opts *o, const struct node_info *node,
    const struct part_info *parts, uint32_t nparts, int64_t now)
{
	struct sinfo_row *rows = NULL;
	const void **recs = NULL;
	struct fmt_list l;
	struct fmt_ctx ctx;
	size_t nrows;
	char *fmt;
	bool part_flag, builtin;
	int rc = -1;

	fmt = user_format(o);
	builtin = fmt == NULL;
	if (builtin && o->reasons)
		fmt = xstrdup(o->long_output ? "%20E %12U %19H %6t %N" :
		    "%20E %9u %19H %N");
	else if (builtin)
		fmt = sinfo_default_format(o->node_flag, o->long_output,
		    o->summarize, 9, 9);
	if (parse_format(o, &l, fmt) == -1)
		goto out;
	part_flag = shows_partition(&l) || o->summarize;
	rows = xcalloc(nparts + 1, sizeof *rows);
	nrows = build_rows(o, part_flag, node, parts, nparts, rows);

	if (builtin && !o->reasons) {
		/* Slurm widens %P (and %N with -N) to the longest name. */
		fmt_list_free(&l);
		free(fmt);
		fmt = sinfo_default_format(o->node_flag, o->long_output,
		    o->summarize, sinfo_part_width(rows, nrows),
		    sinfo_node_width(rows, nrows));
		if (parse_format(o, &l, fmt) == -1)
			goto out;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.now = now;
	if (!o->node_flag && !part_flag)
		nrows = merge_rows(&l, rows, nrows, &ctx);
	recs = xcalloc(nrows + 1, sizeof *recs);
	for (size_t i = 0; i < nrows; i++)
		recs[i] = &rows[i];
	sinfo_col_flags(&l);
	fmt_print(fp, &l, recs, nrows, &ctx, o->no_header ? FMT_NOHEADER : 0);
	fmt_list_free(&l);
	rc = 0;
out:
	free(recs);
	free(rows);
	free(fmt);
	return rc;
}
