// SPDX-License-Identifier: MIT
/*
 * getopt_long with GNU semantics and glibc's messages (see gnuopt.h).
 * The algorithm is the one glibc documents: non-options are skipped and
 * permuted to the end (unless the option string starts with '+' or
 * POSIXLY_CORRECT is set), "--" ends the options, a long option may be
 * abbreviated to any unique prefix (prefixes of several entries that take
 * the same kind of argument and return the same value are not
 * ambiguous), and every error message is glibc 2.36's text.  long_only
 * parsing and "W;" are not supported: no berth tool uses them.
 * tests/unit/test-gnuopt.c compares it with glibc call by call.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gnuopt.h"

char	*gnuopt_arg;
int	 gnuopt_ind = 1;
int	 gnuopt_err = 1;
int	 gnuopt_opt = '?';

enum ordering { PERMUTE, REQUIRE_ORDER, RETURN_IN_ORDER };

static struct {
	const char	*nextchar;	/* rest of a short-option cluster */
	int		 first_nonopt;	/* skipped non-options: */
	int		 last_nonopt;	/* [first_nonopt, last_nonopt) */
	enum ordering	 ordering;
	bool		 initialized;
} st;

/*
 * Move the skipped non-options [first_nonopt, last_nonopt) after the
 * options just processed [last_nonopt, optind), keeping both orders.
 */
static void
exchange(char **argv)
{
	int bottom = st.first_nonopt, middle = st.last_nonopt;
	int top = gnuopt_ind, n = top - bottom;
	char **tmp;

	if (bottom >= middle || middle >= top)
		goto done;
	tmp = malloc((size_t)n * sizeof *tmp);
	if (tmp == NULL) {
		/* Rotate in place, one element at a time. */
		for (int k = 0; k < top - middle; k++) {
			char *t = argv[middle + k];

			memmove(&argv[bottom + k + 1], &argv[bottom + k],
			    (size_t)(middle - bottom) * sizeof *argv);
			argv[bottom + k] = t;
		}
	} else {
		memcpy(tmp, &argv[middle], (size_t)(top - middle) * sizeof *tmp);
		memcpy(tmp + (top - middle), &argv[bottom],
		    (size_t)(middle - bottom) * sizeof *tmp);
		memcpy(&argv[bottom], tmp, (size_t)n * sizeof *tmp);
		free(tmp);
	}
done:
	st.first_nonopt += top - st.last_nonopt;
	st.last_nonopt = top;
}

static const char *
initialize(const char *optstring)
{
	if (gnuopt_ind == 0)
		gnuopt_ind = 1;
	st.first_nonopt = st.last_nonopt = gnuopt_ind;
	st.nextchar = NULL;
	if (optstring[0] == '-') {
		st.ordering = RETURN_IN_ORDER;
		optstring++;
	} else if (optstring[0] == '+') {
		st.ordering = REQUIRE_ORDER;
		optstring++;
	} else if (getenv("POSIXLY_CORRECT") != NULL)
		st.ordering = REQUIRE_ORDER;
	else
		st.ordering = PERMUTE;
	st.initialized = true;
	return optstring;
}

static bool
nonoption(char *const *argv, int i)
{
	return argv[i][0] != '-' || argv[i][1] == '\0';
}

static int
long_option(int argc, char **argv, const char *optstring,
    const struct option *longopts, int *longindex, bool print)
{
	const char *name = st.nextchar, *end;
	const struct option *p, *found = NULL;
	size_t namelen;
	int idx = -1, n;
	bool ambig = false;

	for (end = name; *end != '\0' && *end != '='; end++)
		continue;
	namelen = (size_t)(end - name);
	/* The first letter tells most names apart without a call. */
	for (p = longopts, n = 0; p->name != NULL; p++, n++) {
		if (p->name[0] == name[0] &&
		    strncmp(p->name, name, namelen) == 0 &&
		    p->name[namelen] == '\0') {
			found = p;
			idx = n;
			break;
		}
	}
	if (found == NULL) {
		for (p = longopts, n = 0; p->name != NULL; p++, n++) {
			if (strncmp(p->name, name, namelen) != 0)
				continue;
			if (found == NULL) {
				found = p;
				idx = n;
			} else if (found->has_arg != p->has_arg ||
			    found->flag != p->flag || found->val != p->val)
				ambig = true;
		}
	}
	if (ambig) {
		if (print) {
			fprintf(stderr, "%s: option '--%s' is ambiguous; "
			    "possibilities:", argv[0], name);
			/* As glibc: the first candidate and those that
			 * differ from it, in table order. */
			for (p = longopts; p->name != NULL; p++) {
				if (strncmp(p->name, name, namelen) != 0)
					continue;
				if (p == found || found->has_arg != p->has_arg ||
				    found->flag != p->flag ||
				    found->val != p->val)
					fprintf(stderr, " '--%s'", p->name);
			}
			fputc('\n', stderr);
		}
		st.nextchar = NULL;
		gnuopt_ind++;
		gnuopt_opt = 0;
		return '?';
	}
	if (found == NULL) {
		if (print)
			fprintf(stderr, "%s: unrecognized option '--%s'\n",
			    argv[0], name);
		st.nextchar = NULL;
		gnuopt_ind++;
		gnuopt_opt = 0;
		return '?';
	}
	gnuopt_ind++;
	st.nextchar = NULL;
	if (*end == '=') {
		if (found->has_arg == no_argument) {
			if (print)
				fprintf(stderr, "%s: option '--%s' doesn't "
				    "allow an argument\n", argv[0],
				    found->name);
			gnuopt_opt = found->val;
			return '?';
		}
		gnuopt_arg = (char *)(uintptr_t)(end + 1);
	} else if (found->has_arg == required_argument) {
		if (gnuopt_ind < argc)
			gnuopt_arg = argv[gnuopt_ind++];
		else {
			if (print)
				fprintf(stderr, "%s: option '--%s' requires an "
				    "argument\n", argv[0], found->name);
			gnuopt_opt = found->val;
			return optstring[0] == ':' ? ':' : '?';
		}
	}
	if (longindex != NULL)
		*longindex = idx;
	if (found->flag != NULL) {
		*found->flag = found->val;
		return 0;
	}
	return found->val;
}

int
gnuopt_long(int argc, char *const *cargv, const char *optstring,
    const struct option *longopts, int *longindex)
{
	char **argv = (char **)(uintptr_t)cargv;
	const char *temp;
	bool print = gnuopt_err != 0;
	int c;

	if (argc < 1)
		return -1;
	gnuopt_arg = NULL;
	if (gnuopt_ind == 0 || !st.initialized ||
	    (gnuopt_ind == 1 && st.nextchar == NULL))
		optstring = initialize(optstring);
	else if (optstring[0] == '-' || optstring[0] == '+')
		optstring++;
	if (optstring[0] == ':')
		print = false;

	if (st.nextchar == NULL || *st.nextchar == '\0') {
		if (st.last_nonopt > gnuopt_ind)
			st.last_nonopt = gnuopt_ind;
		if (st.first_nonopt > gnuopt_ind)
			st.first_nonopt = gnuopt_ind;
		if (st.ordering == PERMUTE) {
			if (st.first_nonopt != st.last_nonopt &&
			    st.last_nonopt != gnuopt_ind)
				exchange(argv);
			else if (st.last_nonopt != gnuopt_ind)
				st.first_nonopt = gnuopt_ind;
			while (gnuopt_ind < argc && nonoption(argv, gnuopt_ind))
				gnuopt_ind++;
			st.last_nonopt = gnuopt_ind;
		}
		if (gnuopt_ind != argc && strcmp(argv[gnuopt_ind], "--") == 0) {
			gnuopt_ind++;
			if (st.first_nonopt != st.last_nonopt &&
			    st.last_nonopt != gnuopt_ind)
				exchange(argv);
			else if (st.first_nonopt == st.last_nonopt)
				st.first_nonopt = gnuopt_ind;
			st.last_nonopt = argc;
			gnuopt_ind = argc;
		}
		if (gnuopt_ind == argc) {
			if (st.first_nonopt != st.last_nonopt)
				gnuopt_ind = st.first_nonopt;
			return -1;
		}
		if (nonoption(argv, gnuopt_ind)) {
			if (st.ordering == REQUIRE_ORDER)
				return -1;
			gnuopt_arg = argv[gnuopt_ind++];
			return 1;
		}
		if (longopts != NULL && argv[gnuopt_ind][1] == '-') {
			st.nextchar = argv[gnuopt_ind] + 2;
			return long_option(argc, argv, optstring, longopts,
			    longindex, print);
		}
		st.nextchar = argv[gnuopt_ind] + 1;
	}

	c = (unsigned char)*st.nextchar++;
	temp = c != 0 ? strchr(optstring, c) : NULL;
	if (*st.nextchar == '\0')
		gnuopt_ind++;
	if (temp == NULL || c == ':' || c == ';') {
		if (print)
			fprintf(stderr, "%s: invalid option -- '%c'\n",
			    argv[0], c);
		gnuopt_opt = c;
		return '?';
	}
	if (temp[1] == ':') {
		if (temp[2] == ':') {
			if (*st.nextchar != '\0') {
				gnuopt_arg = (char *)(uintptr_t)st.nextchar;
				gnuopt_ind++;
			}
		} else if (*st.nextchar != '\0') {
			gnuopt_arg = (char *)(uintptr_t)st.nextchar;
			gnuopt_ind++;
		} else if (gnuopt_ind == argc) {
			if (print)
				fprintf(stderr, "%s: option requires an "
				    "argument -- '%c'\n", argv[0], c);
			gnuopt_opt = c;
			c = optstring[0] == ':' ? ':' : '?';
		} else
			gnuopt_arg = argv[gnuopt_ind++];
		st.nextchar = NULL;
	}
	return c;
}
