// links: cli/multi-prog.c
// SPDX-License-Identifier: MIT
/*
 * srun --multi-prog's configuration file: ranks, '*', %t/%o, quotes,
 * comments and continuation lines, and Slurm's error lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "common/util.h"
#include "cli/multi-prog.h"

static char path[64];

static void
write_conf(const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

static char *
joined(char **v)
{
	static char out[256];

	out[0] = '\0';
	for (size_t i = 0; v[i] != NULL; i++) {
		strcat(out, i > 0 ? "|" : "");
		strcat(out, v[i]);
	}
	return out;
}

static char *
load_err(const char *text, uint32_t ntasks)
{
	struct multi_prog mp;
	static char buf[512];
	char *cause = NULL;

	write_conf(text);
	if (multi_prog_load(path, ntasks, &mp, &cause) == 0) {
		multi_prog_free(&mp);
		return (char *)"(ok)";
	}
	snprintf(buf, sizeof buf, "%s", cause);
	free(cause);
	/* the file name varies: cut it to "F" */
	for (char *p; (p = strstr(buf, path)) != NULL;) {
		*p = 'F';
		memmove(p + 1, p + strlen(path), strlen(p + strlen(path)) + 1);
	}
	return buf;
}

int
main(void)
{
	struct multi_prog mp;
	char ***argv, *cause = NULL;
	int fd;

	snprintf(path, sizeof path, "/tmp/berth-test-mp.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		return 1;
	close(fd);

	write_conf("# comment\n\n0 echo 'a b' \"c d\" %t:%o\n"
	    "  2-3   prog x%ty%o \\\n"
	    "this line continues the last\n"
	    "1 one\n");
	ok(multi_prog_load(path, 0, &mp, &cause) == 0, "a good file loads");
	is_int(mp.ntasks, 4, "without -n the highest rank sets the count");
	argv = multi_prog_argv(&mp, 4, &cause);
	ok(argv != NULL, "every rank has a command");
	is_str(joined(argv[0]), "echo|a b|c d|0:0", "quotes group words; rank and offset");
	is_str(joined(argv[1]), "one", "a single rank");
	is_str(joined(argv[2]), "prog|x2y0|\\", "range start: offset 0");
	is_str(joined(argv[3]), "prog|x3y1|\\", "range: offset 1");
	multi_prog_argv_free(argv, 4);
	multi_prog_free(&mp);

	write_conf("1 b\n* a %t %o\n");
	ok(multi_prog_load(path, 3, &mp, &cause) == 0, "'*' last");
	argv = multi_prog_argv(&mp, 3, &cause);
	is_str(joined(argv[0]), "a|0|0", "'*' rank 0");
	is_str(joined(argv[1]), "b", "the named rank wins");
	is_str(joined(argv[2]), "a|2|2", "'*' rank 2");
	multi_prog_argv_free(argv, 3);
	multi_prog_free(&mp);

	is_str(load_err("0 a\n0 b\n", 0), "Duplicate record for task 0\n"
	    "Line 2 of configuration file F invalid", "duplicate rank");
	is_str(load_err("1 a\n", 2), "Configuration file F invalid, no record "
	    "for task id 0", "missing rank");
	is_str(load_err("0-3 a\n", 2), "Invalid task id, 3 >= ntasks\n"
	    "Line 1 of configuration file F invalid", "beyond -n");
	is_str(load_err("3-1 a\n", 0), "Invalid task range, 3-1\n"
	    "Line 1 of configuration file F invalid", "reversed range");
	is_str(load_err("0,x a\n", 0), "Invalid task range specification "
	    "(x)\nLine 1 of configuration file F invalid", "bad rank");
	is_str(load_err("1-x a\n", 0), "Invalid task range specification\n"
	    "Line 1 of configuration file F invalid", "bad range end");
	is_str(load_err("* a\n1 b\n", 2), "Task range specification with "
	    "asterisk must be last\nLine 2 of configuration file F invalid",
	    "'*' not last");
	is_str(load_err("0\n", 0), "Line 1 of configuration file F invalid",
	    "no command");
	unlink(path);
	{
		char *c = NULL;

		ok(multi_prog_load(path, 1, &mp, &c) == -1 &&
		    strncmp(c, "Unable to open configuration file ", 34) == 0,
		    "a missing file");
		free(c);
	}
	return done_testing();
}
