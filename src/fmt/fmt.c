/* SPDX-License-Identifier: MIT */
/*
 * The generic half of output formatting: field lookup in sorted tables,
 * the three format parsers (squeue -o letters, -O long names, sacct -o)
 * and the printer that pads, cuts, justifies and separates columns.
 *
 * The printing rules copy Slurm's:
 *  - FMT_CUT is squeue's _print_str(): right-justified "%*s" or
 *    left-justified "%.*s" plus padding, the result cut to the width
 *    (keeping the leftmost characters); width 0 prints the value as is.
 *  - FMT_MARK is sacct's print_fields_str(): "%*.*s " with a value longer
 *    than the width cut to width-1 characters plus '+'; an empty value
 *    prints as blanks; the header uses the same justification (without
 *    '+'), followed by a line of dashes.
 *  - FMT_PARSABLE/FMT_PARSABLE2 are sacct -p/-P.
 * Getters only append values; headers come from the table.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "fmt-int.h"

static int	 field_cmp(const void *, const void *);
static void	 list_add(struct fmt_list *, const struct fmt_field *, int,
		    bool, const char *, size_t);

static int
field_cmp(const void *key, const void *elem)
{
	const struct fmt_field *f = elem;

	return strcasecmp(key, f->name);
}

const struct fmt_field *
fmt_field_by_name(const struct fmt_table *t, const char *name)
{
	return bsearch(name, t->fields, t->nfields, sizeof t->fields[0],
	    field_cmp);
}

/*
 * sacct matches its -o names with strncasecmp(field, given, strlen(given))
 * over its (sorted) table, so an abbreviation picks the first field it
 * prefixes.  An exact match wins, so "JobID" never becomes "JobIDRaw".
 */
const struct fmt_field *
fmt_field_by_prefix(const struct fmt_table *t, const char *s)
{
	const struct fmt_field *f;
	size_t lo = 0, hi = t->nfields, mid, n = strlen(s);

	if ((f = fmt_field_by_name(t, s)) != NULL)
		return f;
	if (n == 0)
		return NULL;
	while (lo < hi) {		/* first entry >= s */
		mid = lo + (hi - lo) / 2;
		if (strcasecmp(t->fields[mid].name, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->nfields && strncasecmp(t->fields[lo].name, s, n) == 0)
		return &t->fields[lo];
	return NULL;
}

/* Letters are looked up once per parse; a scan of one table is enough. */
const struct fmt_field *
fmt_field_by_letter(const struct fmt_table *t, int c)
{
	for (size_t i = 0; i < t->nfields; i++)
		if (t->fields[i].letter != 0 && t->fields[i].letter == c)
			return &t->fields[i];
	return NULL;
}

int
fmt_table_check(const struct fmt_table *t)
{
	for (size_t i = 1; i < t->nfields; i++)
		if (strcasecmp(t->fields[i - 1].name, t->fields[i].name) >= 0)
			return (int)i;
	return -1;
}

static void
list_add(struct fmt_list *l, const struct fmt_field *f, int width,
    bool right, const char *suffix, size_t suffixlen)
{
	struct fmt_col *c;

	l->cols = xreallocarray(l->cols, l->ncols + 1, sizeof *l->cols);
	c = &l->cols[l->ncols++];
	c->field = f;
	c->width = width;
	c->right = right;
	c->suffix = suffixlen > 0 ? xstrndup(suffix, suffixlen) : NULL;
	c->flags = 0;
}

void
fmt_list_free(struct fmt_list *l)
{
	for (size_t i = 0; i < l->ncols; i++)
		free(l->cols[i].suffix);
	free(l->cols);
	free(l->prefix);
	memset(l, 0, sizeof *l);
}

/*
 * "%[.|-][#|digits]X" and literal text.  Literal text before the first
 * field is the prefix; literal text after a field is its suffix.  "%%" is
 * a literal '%'.
 */
int
fmt_parse_letters(struct fmt_list *l, const struct fmt_table *t,
    const char *what, const char *s, char **cause)
{
	const struct fmt_field *f;
	struct buf lit;
	const char *p = s;
	bool right;
	int width;

	memset(l, 0, sizeof *l);
	l->mode = FMT_CUT;
	buf_init(&lit);
	if (strcasecmp(s, "%all") == 0) {
		/* Every letter the table has, a-z then A-Z, '|' between. */
		for (int pass = 0; pass < 2; pass++) {
			for (int c = pass ? 'A' : 'a'; c <= (pass ? 'Z' : 'z');
			    c++) {
				if (fmt_field_by_letter(t, c) == NULL)
					continue;
				if (l->ncols > 0)
					l->cols[l->ncols - 1].suffix =
					    xstrdup("|");
				list_add(l, fmt_field_by_letter(t, c), 0,
				    false, NULL, 0);
			}
		}
		buf_free(&lit);
		return 0;
	}
	f = NULL;
	width = 0;
	right = false;
	for (;;) {
		if (*p != '\0' && (*p != '%' || p[1] == '%')) {
			fmt_addc(&lit, *p);
			p += (*p == '%') ? 2 : 1;
			continue;
		}
		/* End of a literal run: attach it. */
		if (f != NULL)
			list_add(l, f, width, right, lit.data, lit.len);
		else if (lit.len > 0 && l->ncols == 0 && l->prefix == NULL)
			l->prefix = xstrdup(lit.data);
		buf_reset(&lit);
		if (*p == '\0')
			break;
		p++;			/* the '%' */
		right = false;
		width = 0;
		if (*p == '.') {
			right = true;
			p++;
		} else if (*p == '-')
			p++;
		if (*p == '#') {
			width = FMT_WIDTH_AUTO;
			p++;
		} else {
			while (isdigit((unsigned char)*p)) {
				if (width < 100000)
					width = width * 10 + (*p - '0');
				p++;
			}
		}
		if (*p == '\0' ||
		    (f = fmt_field_by_letter(t, (unsigned char)*p)) == NULL) {
			xasprintf(cause, "Invalid %s format specification: %c",
			    what, *p != '\0' ? *p : '%');
			buf_free(&lit);
			fmt_list_free(l);
			return -1;
		}
		p++;
	}
	buf_free(&lit);
	return 0;
}

/*
 * "Name[:[.]width[suffix]]" separated by commas.  As squeue 22.05's
 * _parse_long_format (checked): no colon is the default width; after a
 * colon the width is strtol's, so "Name:" and "Name:." are width 0 (the
 * value as is) and a negative one ("Name:-8") prints the value and one
 * space (its _print_str's "%s ").
 */
int
fmt_parse_long(struct fmt_list *l, const struct fmt_table *t,
    const char *what, const char *s, int defwidth, char **cause)
{
	const struct fmt_field *f;
	char **v, *name, *colon, *p;
	bool right, neg;
	int width;

	memset(l, 0, sizeof *l);
	l->mode = FMT_CUT;
	v = strv_split(s, ",", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		name = v[i];
		right = false;
		width = -1;
		p = NULL;
		if ((colon = strchr(name, ':')) != NULL) {
			*colon = '\0';
			p = colon + 1;
			if (*p == '.') {
				right = true;
				p++;
			}
			neg = *p == '-' && isdigit((unsigned char)p[1]);
			if (neg)
				p++;
			width = 0;
			while (isdigit((unsigned char)*p)) {
				if (width < 100000)
					width = width * 10 + (*p - '0');
				p++;
			}
			if (neg && width > 0)
				width = FMT_WIDTH_SPACE;
		}
		if ((f = fmt_field_by_name(t, name)) == NULL) {
			xasprintf(cause, "Invalid %s format specification: %s",
			    what, name);
			strv_free(v);
			fmt_list_free(l);
			return -1;
		}
		if (width == -1)	/* no colon */
			width = defwidth > 0 ? defwidth : abs(f->width);
		list_add(l, f, width, right, p, p != NULL ? strlen(p) : 0);
	}
	strv_free(v);
	return 0;
}

/* "Name[%width]" separated by commas or spaces, as sacct -o takes it. */
int
fmt_parse_acct(struct fmt_list *l, const struct fmt_table *t, const char *s,
    char **cause)
{
	const struct fmt_field *f;
	char **v, *pct;
	int width;
	bool right;

	memset(l, 0, sizeof *l);
	l->mode = FMT_MARK;
	v = strv_split(s, ", ", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		width = 0;
		if ((pct = strchr(v[i], '%')) != NULL) {
			*pct = '\0';
			width = atoi(pct + 1);
		}
		if ((f = fmt_field_by_prefix(t, v[i])) == NULL) {
			xasprintf(cause, "Invalid field requested: \"%s\"",
			    v[i]);
			strv_free(v);
			fmt_list_free(l);
			return -1;
		}
		/* Slurm replaces the signed length: "%N" right-justifies. */
		if (width != 0) {
			right = width > 0;
			width = abs(width);
		} else {
			right = f->width > 0;
			width = abs(f->width);
		}
		list_add(l, f, width, right, NULL, 0);
	}
	strv_free(v);
	return 0;
}

/*
 * Pad or cut the value that ends b (it starts at b->data + start) to
 * width, as fmt_cell describes.  Values are appended first and fitted in
 * place, so a cell is written once.
 */
static void
fit(struct buf *b, size_t start, enum fmt_mode mode, int width, bool right)
{
	size_t len = b->len - start, w, pad;
	char *p;

	if (width <= 0 || mode == FMT_PARSABLE || mode == FMT_PARSABLE2)
		return;
	w = (size_t)width;
	if (len > w) {
		b->len = start + w;
		if (mode == FMT_MARK && w > 0)
			b->data[b->len - 1] = '+';
		b->data[b->len] = '\0';
		return;
	}
	if (len == w)
		return;
	pad = w - len;
	if (b->cap - b->len <= pad)
		buf_reserve(b, pad);
	p = b->data + start;
	if (right) {
		memmove(p + pad, p, len);
		memset(p, ' ', pad);
	} else
		memset(p + len, ' ', pad);
	b->len += pad;
	b->data[b->len] = '\0';
}

void
fmt_cell(struct buf *b, enum fmt_mode mode, const char *value, int width,
    bool right)
{
	size_t start = b->len;

	fmt_adds(b, value);
	fit(b, start, mode, width, right);
}

/*
 * How a list prints: the column widths (FMT_WIDTH_AUTO resolved or 0) and
 * the lengths of the suffixes, worked out once per fmt_print.
 */
struct layout {
	const struct fmt_list	*l;
	int			*widths;
	size_t			*sfxlen;
};

static void
layout_init(struct layout *lo, const struct fmt_list *l)
{
	lo->l = l;
	lo->widths = xcalloc(l->ncols + 1, sizeof *lo->widths);
	lo->sfxlen = xcalloc(l->ncols + 1, sizeof *lo->sfxlen);
	for (size_t i = 0; i < l->ncols; i++) {
		lo->widths[i] = l->cols[i].width;
		if (l->cols[i].suffix != NULL)
			lo->sfxlen[i] = strlen(l->cols[i].suffix);
	}
}

static void
layout_free(struct layout *lo)
{
	free(lo->widths);
	free(lo->sfxlen);
}

/* Is the cell that starts at b->data + start printed uncut (FMT_F_*)? */
static bool
uncut(const struct buf *b, size_t start, const struct fmt_col *c,
    bool header)
{
	const char *v = b->data + start;
	unsigned f = c->flags;

	if (!c->right || f == 0)
		return false;
	if (header)
		return (f & FMT_F_NOCUT_HDR) != 0;
	if (f & FMT_F_NOCUT)
		return true;
	if (f & FMT_F_NOCUT_NODES)
		return b->len == start || *v != '(';
	if (f & FMT_F_NOCUT_TIME)
		return isdigit((unsigned char)*v) || strcmp(v, "INVALID") == 0;
	return false;
}

/* One line (two with sacct's dashes under the header) appended to b. */
static void
put_line(struct buf *b, const struct layout *lo, const void *rec,
    const struct fmt_ctx *ctx)
{
	const struct fmt_list *l = lo->l;
	const struct fmt_col *c;
	size_t start;
	int w;

	if (l->prefix != NULL && l->mode == FMT_CUT)
		fmt_adds(b, l->prefix);
	for (size_t i = 0; i < l->ncols; i++) {
		c = &l->cols[i];
		w = lo->widths[i];
		if (w == FMT_WIDTH_AUTO || w == FMT_WIDTH_SPACE)
			w = 0;
		start = b->len;
		if (rec == NULL)
			fmt_adds(b, c->field->header);
		else
			c->field->get(b, rec, ctx);
		if (l->mode == FMT_CUT && (size_t)w < b->len - start &&
		    uncut(b, start, c, rec == NULL))
			;	/* wider than w: printed whole */
		else if (rec == NULL)
			/* Headers are cut without sacct's '+' mark. */
			fit(b, start, l->mode == FMT_MARK ? FMT_CUT : l->mode,
			    w, c->right);
		else if ((c->flags & FMT_F_STAR) && w > 0 &&
		    b->len - start > (size_t)w &&
		    b->data[b->len - 1] == '*') {
			/* sinfo's default partition: "cp*" in 3 columns */
			fit(b, start, l->mode, w, c->right);
			b->data[b->len - 1] = '*';
		} else
			fit(b, start, l->mode, w, c->right);
		if (lo->widths[i] == FMT_WIDTH_SPACE)
			fmt_addc(b, ' ');
		switch (l->mode) {
		case FMT_CUT:
			if (lo->sfxlen[i] == 1)
				fmt_addc(b, c->suffix[0]);
			else if (lo->sfxlen[i] > 0)
				fmt_add(b, c->suffix, lo->sfxlen[i]);
			break;
		case FMT_MARK:
			fmt_addc(b, ' ');
			break;
		case FMT_PARSABLE:
			fmt_adds(b, l->delim != NULL ? l->delim : "|");
			break;
		case FMT_PARSABLE2:
			if (i + 1 < l->ncols)
				fmt_adds(b, l->delim != NULL ? l->delim : "|");
			break;
		}
	}
	fmt_addc(b, '\n');
	if (rec == NULL && l->mode == FMT_MARK) {
		for (size_t i = 0; i < l->ncols; i++) {
			w = lo->widths[i];
			if (w > 0) {
				buf_reserve(b, (size_t)w);
				memset(b->data + b->len, '-', (size_t)w);
				b->len += (size_t)w;
			}
			fmt_addc(b, ' ');
		}
		fmt_addc(b, '\n');
	}
}

static void
print_one(FILE *fp, const struct fmt_list *l, const void *rec,
    const struct fmt_ctx *ctx)
{
	struct layout lo;
	struct buf line;

	layout_init(&lo, l);
	buf_init(&line);
	put_line(&line, &lo, rec, ctx);
	fwrite(line.data, 1, line.len, fp);
	buf_free(&line);
	layout_free(&lo);
}

void
fmt_print_header(FILE *fp, const struct fmt_list *l)
{
	print_one(fp, l, NULL, NULL);
}

void
fmt_print_row(FILE *fp, const struct fmt_list *l, const void *rec,
    const struct fmt_ctx *ctx)
{
	print_one(fp, l, rec, ctx);
}

/* Lines gather in one buffer, written in pieces of about this size. */
#define FMT_CHUNK	(32 * 1024)

/* Resolve the FMT_WIDTH_AUTO columns of lo over recs (tmp: scratch). */
static void
layout_auto(struct layout *lo, struct buf *tmp, const void *const *recs,
    size_t n, const struct fmt_ctx *ctx, int flags)
{
	const struct fmt_list *l = lo->l;

	for (size_t i = 0; i < l->ncols; i++) {
		if (lo->widths[i] != FMT_WIDTH_AUTO)
			continue;
		lo->widths[i] = (flags & FMT_NOHEADER) ? 0 :
		    (int)strlen(l->cols[i].field->header);
		for (size_t r = 0; r < n; r++) {
			buf_reset(tmp);
			l->cols[i].field->get(tmp, recs[r], ctx);
			if (tmp->len > (size_t)lo->widths[i])
				lo->widths[i] = (int)tmp->len;
		}
	}
}

/*
 * The header (unless FMT_NOHEADER) and a line per record into out; with
 * fp, written to fp whenever out holds FMT_CHUNK, and at the end.
 */
static void
print_all(struct buf *out, FILE *fp, const struct fmt_list *l,
    const void *const *recs, size_t n, const struct fmt_ctx *ctx, int flags)
{
	struct layout lo;
	struct buf tmp;

	layout_init(&lo, l);
	buf_init(&tmp);
	layout_auto(&lo, &tmp, recs, n, ctx, flags);
	buf_free(&tmp);
	if (fp != NULL)
		buf_reserve(out, FMT_CHUNK + 4096);
	if (!(flags & FMT_NOHEADER))
		put_line(out, &lo, NULL, ctx);
	for (size_t r = 0; r < n; r++) {
		put_line(out, &lo, recs[r], ctx);
		if (fp != NULL && out->len >= FMT_CHUNK) {
			fwrite(out->data, 1, out->len, fp);
			buf_reset(out);
		}
	}
	if (fp != NULL && out->len > 0) {
		fwrite(out->data, 1, out->len, fp);
		buf_reset(out);
	}
	layout_free(&lo);
}

void
fmt_print_buf(struct buf *out, const struct fmt_list *l,
    const void *const *recs, size_t n, const struct fmt_ctx *ctx, int flags)
{
	print_all(out, NULL, l, recs, n, ctx, flags);
}

void
fmt_print(FILE *fp, const struct fmt_list *l, const void *const *recs,
    size_t n, const struct fmt_ctx *ctx, int flags)
{
	struct buf out;

	buf_init(&out);
	print_all(&out, fp, l, recs, n, ctx, flags);
	buf_free(&out);
}
