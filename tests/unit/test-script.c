// links: cli/script.c
/* SPDX-License-Identifier: MIT */
/*
 * Batch script handling: Slurm's checks and their exact words, the --wrap
 * script, and the #SBATCH scanning rules (column 0 only, stop at the first
 * command, comments and blank lines skipped, quotes, escapes, trailing
 * comments, several options per line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/script.h"
#include "common/util.h"
#include "t.h"

/* Directive arguments joined with '|', or "ERR:<cause>". */
static char *
dirs(const char *text)
{
	char **v = NULL, *cause = NULL, *out;
	size_t n = 0, len = 0;

	if (script_directives(text, strlen(text), "#SBATCH", "job.sh", &v,
	    &cause) == -1) {
		out = malloc(strlen(cause) + 5);
		sprintf(out, "ERR:%s", cause);
		free(cause);
		return out;
	}
	for (n = 0; v[n] != NULL; n++)
		len += strlen(v[n]) + 1;
	out = calloc(1, len + 1);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, "|");
		strcat(out, v[i]);
	}
	strv_free(v);
	return out;
}

static char *
check(const char *text, size_t len)
{
	char *cause = NULL;

	if (script_check(text, len, &cause) == 0)
		return strdup("ok");
	return cause;
}

int
main(void)
{
	char *s, *cause = NULL, *text = NULL;
	char path[] = "/tmp/test-script-XXXXXX";
	size_t len = 0;
	FILE *f;
	int fd;

	/* script_check, in Slurm's order and words */
	s = check("", 0);
	is_str(s, "Batch script is empty!", "empty");
	free(s);
	s = check(" \n\t\n", 4);
	is_str(s, "Batch script contains only whitespace!", "whitespace");
	free(s);
	s = check("echo from stdin\n", 16);
	is_str(s, "This does not look like a batch script.  The first\n"
	    "line must start with #! followed by the path to an interpreter.\n"
	    "For instance: #!/bin/sh", "no shebang: Slurm's three lines");
	free(s);
	s = check("#!/bin/sh\necho\0x\n", 17);
	is_str(s, "The Slurm controller does not allow scripts that\n"
	    "contain a NULL character '\\0'.", "NUL byte");
	free(s);
	s = check("#!/bin/sh\r\necho\r\n", 17);
	is_str(s, "Batch script contains DOS line breaks (\\r\\n)\n"
	    "instead of expected UNIX line breaks (\\n).", "DOS line breaks");
	free(s);
	s = check("#!/bin/bash\necho hi\n", 20);
	is_str(s, "ok", "a good script");
	free(s);
	s = check("#!", 2);
	is_str(s, "ok", "just #! passes (Slurm checks only the start)");
	free(s);

	/* --wrap */
	s = script_wrap("echo wrapped; hostname -s");
	is_str(s, "#!/bin/sh\n# This script was created by sbatch --wrap.\n\n"
	    "echo wrapped; hostname -s\n", "wrap script is Slurm's");
	free(s);

	/* directives */
	s = dirs("#!/bin/bash\n#SBATCH -J dirtest\n#SBATCH -c 2\n"
	    "#SBATCH --mem=500M\n#SBATCH -t 00:05:00\n"
	    "#SBATCH -o out_j%j_x%x_A%A_a%a_u%u_N%N.txt\necho hi\n");
	is_str(s, "-J|dirtest|-c|2|--mem=500M|-t|00:05:00|-o|"
	    "out_j%j_x%x_A%A_a%a_u%u_N%N.txt", "11_sbatch_directives script");
	free(s);
	s = dirs("#!/bin/sh\n\n# a comment\n   \n#SBATCH --job-name x\n"
	    "   # indented comment\n#SBATCH -n1\n");
	is_str(s, "--job-name|x|-n1", "blank lines and comments skipped");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH -J a\necho hi\n#SBATCH -J b\n");
	is_str(s, "-J|a", "directives after the first command ignored");
	free(s);
	s = dirs("#!/bin/sh\n  echo hi\n#SBATCH -J b\n");
	is_str(s, "", "an indented command also ends the scan");
	free(s);
	s = dirs("#!/bin/sh\n  #SBATCH -J b\n#SBATCH -J c\n");
	is_str(s, "-J|c", "indented #SBATCH is only a comment");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH -N 1 -n 2 --exclusive\n");
	is_str(s, "-N|1|-n|2|--exclusive", "several options on one line");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH -J \"my job\" --comment='a b'\n");
	is_str(s, "-J|my job|--comment=a b", "double and single quotes");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH --comment=x\" y \"z\n");
	is_str(s, "--comment=x y z", "quotes inside a word");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH -J a # the name\n#SBATCH -p cpu#x\n");
	is_str(s, "-J|a|-p|cpu", "trailing comments dropped");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH --comment=a\\#b --wckey=\"c#d\"\n");
	is_str(s, "--comment=a#b|--wckey=c#d", "escaped or quoted # kept");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH --comment=a\\ b\n");
	is_str(s, "--comment=a|b", "a backslash does not escape a blank "
	    "(as in Slurm)");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH\t--time=10\t\n#SBATCH\n");
	is_str(s, "--time=10", "tabs; an empty directive line");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH --signal=USR2@90\r\n");
	is_str(s, "--signal=USR2@90", "a carriage return is a blank");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH -J \"open\n");
	is_str(s, "ERR:job.sh: line 2: Unmatched `\"` in [#SBATCH -J \"open]",
	    "unmatched quote");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH -n 1\n#SBATCH hetjob\n#SBATCH -n 2\n");
	is_str(s, "ERR:job.sh: line 3: heterogeneous jobs (#SBATCH hetjob) "
	    "are not supported", "hetjob refused");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCHX -J a\n#SLURM -J b\n");
	is_str(s, "X|-J|a", "prefix match as Slurm; #SLURM is a comment");
	free(s);
	s = dirs("#!/bin/sh\n#SBATCH -J last");
	is_str(s, "-J|last", "last line without newline");
	free(s);

	/* script_read */
	fd = mkstemp(path);
	ok(fd != -1, "temp file");
	f = fdopen(fd, "w");
	fputs("#!/bin/sh\necho hi\n", f);
	fclose(f);
	ok(script_read(path, &text, &len, &cause) == 0 && len == 18 &&
	    strcmp(text, "#!/bin/sh\necho hi\n") == 0, "reads a file");
	free(text);
	ok(script_read("missing_script.sh", &text, &len, &cause) == -1,
	    "missing file fails");
	is_str(cause, "Unable to open file missing_script.sh",
	    "missing file message");
	free(cause);
	cause = NULL;
	f = fopen(path, "w");
	while (ftell(f) <= (long)SCRIPT_MAX_SIZE)
		fputs("# padding padding padding pad\n", f);
	fclose(f);
	ok(script_read(path, &text, &len, &cause) == -1, "too large fails");
	is_str(cause, "Batch job submission failed: Pathname of a file, "
	    "directory or other parameter too long",
	    "too large message");
	free(cause);
	cause = NULL;
	f = fopen(path, "w");
	fclose(f);
	ok(script_read(path, &text, &len, &cause) == 0 && len == 0 &&
	    text[0] == '\0', "empty file reads as empty");
	free(text);
	unlink(path);

	return done_testing();
}
