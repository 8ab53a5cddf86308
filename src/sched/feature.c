/* SPDX-License-Identifier: MIT */
/*
 * A recursive-descent evaluator for --constraint (see feature.h):
 *	expr   := term ('|' term)*
 *	term   := factor (('&' | ',') factor)*
 *	factor := '(' expr ')' | '[' expr ']' | NAME ['*' DIGITS]
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "feature.h"

struct fparse {
	const char	*p;
	const char	*features;
	bool		 bad;
};

static bool	expr(struct fparse *);

/* Is name one of the comma-separated features (blanks around items
 * ignored: Feature="a100, ib")? */
static bool
has_feature(const char *features, const char *name, size_t len)
{
	const char *f = features, *e, *end;

	while (f != NULL && *f != '\0') {
		while (*f == ' ' || *f == '\t')
			f++;
		e = strchr(f, ',');
		end = e != NULL ? e : f + strlen(f);
		while (end > f && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((size_t)(end - f) == len && strncmp(f, name, len) == 0)
			return true;
		f = e != NULL ? e + 1 : NULL;
	}
	return false;
}

static bool
is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' ||
	    c == '.' || c == ':' || c == '/' || c == '+' || c == '=';
}

static bool
factor(struct fparse *fp)
{
	const char *start;
	bool v;
	char close;

	if (*fp->p == '(' || *fp->p == '[') {
		close = *fp->p == '(' ? ')' : ']';
		fp->p++;
		v = expr(fp);
		if (*fp->p != close) {
			fp->bad = true;
			return false;
		}
		fp->p++;
		return v;
	}
	start = fp->p;
	while (is_name_char(*fp->p))
		fp->p++;
	if (fp->p == start) {
		fp->bad = true;
		return false;
	}
	v = has_feature(fp->features, start, (size_t)(fp->p - start));
	if (*fp->p == '*') {		/* a count: presence is what counts */
		fp->p++;
		if (!isdigit((unsigned char)*fp->p)) {
			fp->bad = true;
			return false;
		}
		while (isdigit((unsigned char)*fp->p))
			fp->p++;
	}
	return v;
}

static bool
term(struct fparse *fp)
{
	bool v = factor(fp);

	while (!fp->bad && (*fp->p == '&' || *fp->p == ',')) {
		fp->p++;
		v = factor(fp) && v;
	}
	return v;
}

static bool
expr(struct fparse *fp)
{
	bool v = term(fp);

	while (!fp->bad && *fp->p == '|') {
		fp->p++;
		v = term(fp) || v;
	}
	return v;
}

int
feature_eval(const char *s, const char *node_features)
{
	struct fparse fp = { s, node_features, false };
	bool v;

	if (s == NULL || *s == '\0')
		return 1;
	v = expr(&fp);
	if (fp.bad || *fp.p != '\0')
		return -1;
	return v ? 1 : 0;
}
