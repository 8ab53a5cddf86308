// links: cli/gnuopt.c
/*
 * gnuopt (src/cli/gnuopt.c) against glibc's getopt_long, call by call:
 * return values, optarg, optind, optopt, the permuted argv and the error
 * messages must be the same for every case.  (Unit tests link glibc.)
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"

extern char	*gnuopt_arg;
extern int	 gnuopt_ind, gnuopt_err, gnuopt_opt;
int	 gnuopt_long(int, char *const *, const char *, const struct option *,
	    int *);

static int flagvar;

static const struct option longopts[] = {
	{ "partition", required_argument, NULL, 'p' },
	{ "parsable", no_argument, NULL, 0x101 },
	{ "time", required_argument, NULL, 't' },
	{ "time-min", required_argument, NULL, 0x102 },
	{ "wrap", required_argument, NULL, 0x103 },
	{ "hold", no_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ "mem", required_argument, NULL, 0x104 },
	{ "mem-per-cpu", required_argument, NULL, 0x105 },
	{ "signal", optional_argument, NULL, 0x106 },
	{ "verbose", no_argument, &flagvar, 7 },
	{ "verbosity", no_argument, &flagvar, 7 },
	{ NULL, 0, NULL, 0 }
};

/* Runs one parser over a copy of argv; the trace goes into out. */
static void
run(int glibc, const char *optstring, int argc, const char *const *args,
    char *out, size_t outsz)
{
	char *argv[32];
	char errbuf[1024];
	FILE *errf;
	int saved, c, li, n = 0;

	for (int i = 0; i < argc; i++)
		argv[i] = (char *)(uintptr_t)args[i];
	argv[argc] = NULL;
	fflush(stderr);
	errf = tmpfile();
	saved = dup(2);
	dup2(fileno(errf), 2);
	flagvar = 0;
	if (glibc) {
		optind = 0;
		opterr = 1;
	} else {
		gnuopt_ind = 0;
		gnuopt_err = 1;
	}
	out[0] = '\0';
	for (;;) {
		li = -1;
		if (glibc)
			c = getopt_long(argc, argv, optstring, longopts, &li);
		else
			c = gnuopt_long(argc, argv, optstring, longopts, &li);
		n += snprintf(out + n, outsz - (size_t)n, "[%d %s %d %d %d]",
		    c, (glibc ? optarg : gnuopt_arg) != NULL ?
		    (glibc ? optarg : gnuopt_arg) : "(null)",
		    glibc ? optind : gnuopt_ind, li, flagvar);
		if (c == '?')
			n += snprintf(out + n, outsz - (size_t)n, "opt=%d",
			    glibc ? optopt : gnuopt_opt);
		if (c == -1)
			break;
	}
	for (int i = 0; i < argc; i++)
		n += snprintf(out + n, outsz - (size_t)n, " %s", argv[i]);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(errf);
	errbuf[fread(errbuf, 1, sizeof errbuf - 1, errf)] = '\0';
	fclose(errf);
	snprintf(out + n, outsz - (size_t)n, " | %s", errbuf);
}

static void
check(const char *optstring, int argc, const char *const *args)
{
	char a[4096], b[4096], name[256];
	int n = 0;

	for (int i = 1; i < argc; i++)
		n += snprintf(name + n, sizeof name - (size_t)n, " %s", args[i]);
	run(1, optstring, argc, args, a, sizeof a);
	run(0, optstring, argc, args, b, sizeof b);
	is_str(b, a, "%s:%s", optstring, name);
}

#define CASE(os, ...) do {						\
	const char *const v_[] = { "sbatch", __VA_ARGS__ };		\
	check(os, (int)(sizeof v_ / sizeof v_[0]), v_);			\
} while (0)

int
main(void)
{
	const char *os[] = { "+p:t:Hhv", "p:t:Hhv", ":p:t:Hh", "p:t::Hh" };

	for (size_t i = 0; i < sizeof os / sizeof os[0]; i++) {
		const char *o = os[i];

		CASE(o, "-p", "debug", "script.sh", "arg");
		CASE(o, "-pdebug", "-H", "script.sh", "-t", "5");
		CASE(o, "script.sh", "-H", "x", "-p", "q", "y");
		CASE(o, "-Hh", "-pq", "--", "-t", "5");
		CASE(o, "-x", "script.sh");
		CASE(o, "-Hx", "-p");
		CASE(o, "-p");
		CASE(o, "-t");
		CASE(o, "-t5", "a", "-t", "b");
		CASE(o, "--partition=debug", "--parsable", "s.sh");
		CASE(o, "--partition", "debug", "s.sh", "--hold");
		CASE(o, "--part=debug", "s.sh");
		CASE(o, "--par=debug", "s.sh");
		CASE(o, "--pa", "s.sh");
		CASE(o, "--ti", "5");
		CASE(o, "--time", "5", "--time-min=3");
		CASE(o, "--mem=4G", "--mem-per", "2G");
		CASE(o, "--me=4G");
		CASE(o, "--nosuchoption", "--wrap=true");
		CASE(o, "--nosuch=value", "x");
		CASE(o, "--hold=yes");
		CASE(o, "--partition");
		CASE(o, "--signal", "x", "--signal=USR1@60");
		CASE(o, "--verb", "--verbose");
		CASE(o, "--h");
		CASE(o, "--he", "-", "x");
		CASE(o, "a", "b", "--", "c", "-H");
		CASE(o, "a", "-H", "--", "-p", "c");
		CASE(o, "--");
		CASE(o, "-");
	}
	return done_testing();
}
