/* SPDX-License-Identifier: MIT */
/*
 * Batch script handling for sbatch (see script.h).  Copies Slurm 22.05:
 *
 *  - get_script_buffer(): the same checks and messages, in the same order;
 *    a script that cannot be opened is "Unable to open file X" whatever
 *    the errno; a read error ends the script, as in Slurm (a directory
 *    is "Batch script is empty!").  We stop reading at SCRIPT_MAX_SIZE (Slurm's controller
 *    refuses larger scripts at submission; we refuse before sending).
 *  - script_wrap(): "#!/bin/sh", Slurm's marker comment, a blank line, the
 *    command, a newline.
 *  - _opt_batch_script()/get_argument(): directives are lines that start
 *    with "#SBATCH" in column 0; scanning stops at the first line whose
 *    first non-blank character is not '#'.  All directive arguments form
 *    one argument vector which the caller parses with the same getopt
 *    table as the command line, so "--key=value", "--key value", "-J x"
 *    and "-Jx" all work and a line may carry several options.
 *
 * Difference: Slurm submits a heterogeneous job at "#SBATCH hetjob"; berth
 * has one node and no het jobs, and says so instead of guessing.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "script.h"

static int	 get_argument(const char *, size_t, size_t *, char **,
		    char *);

int
script_read(const char *path, char **textp, size_t *lenp, char **cause)
{
	struct buf b;
	ssize_t n;
	int fd;

	if (path == NULL)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "Unable to open file %s", path);
		return -1;
	}
	buf_init(&b);
	for (;;) {
		buf_reserve(&b, 65536);
		n = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		/* Slurm's read loop stops at an error as at the end: a
		 * directory opens, reads nothing, and is "Batch script is
		 * empty!" (checked by real sbatch /etc). */
		if (n <= 0)
			break;
		b.len += (size_t)n;
		b.data[b.len] = '\0';
		if (b.len > SCRIPT_MAX_SIZE) {
			xasprintf(cause, "Batch job submission failed: %s",
			    berth_strerror(BERTH_ESCRIPT_SIZE));
			goto fail;
		}
	}
	if (path != NULL)
		close(fd);
	b.data[b.len] = '\0';	/* the loop reserved it */
	*lenp = b.len;
	*textp = buf_steal(&b);
	return 0;
fail:
	if (path != NULL)
		close(fd);
	buf_free(&b);
	return -1;
}

int
script_check(const char *text, size_t len, char **cause)
{
	size_t i;
	bool blank = true;

	if (len == 0) {
		*cause = xstrdup("Batch script is empty!");
		return -1;
	}
	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)text[i])) {
			blank = false;
			break;
		}
	if (blank) {
		*cause = xstrdup("Batch script contains only whitespace!");
		return -1;
	}
	if (len < 2 || text[0] != '#' || text[1] != '!') {
		*cause = xstrdup(
		    "This does not look like a batch script.  The first\n"
		    "line must start with #! followed by the path to an "
		    "interpreter.\n"
		    "For instance: #!/bin/sh");
		return -1;
	}
	if (memchr(text, '\0', len) != NULL) {
		*cause = xstrdup(
		    "The Slurm controller does not allow scripts that\n"
		    "contain a NULL character '\\0'.");
		return -1;
	}
	for (i = 1; i < len; i++)
		if (text[i - 1] == '\r' && text[i] == '\n') {
			*cause = xstrdup(
			    "Batch script contains DOS line breaks (\\r\\n)\n"
			    "instead of expected UNIX line breaks (\\n).");
			return -1;
		}
	return 0;
}

char *
script_wrap(const char *cmd)
{
	static const char head[] = "#!/bin/sh\n"
	    "# This script was created by sbatch --wrap.\n\n";
	size_t hlen = sizeof head - 1, clen = strlen(cmd);
	char *s = xmalloc(hlen + clen + 2);

	memcpy(s, head, hlen);
	memcpy(s + hlen, cmd, clen);
	s[hlen + clen] = '\n';
	s[hlen + clen + 1] = '\0';
	return s;
}

/*
 * One argument from line[*pos..len): skip blanks, then copy up to the next
 * unquoted blank.  Returns 1 with *argp, 0 at the end of the line (or at a
 * comment), -1 on an unmatched quote (*qc set).
 */
static int
get_argument(const char *line, size_t len, size_t *pos, char **argp,
    char *qc)
{
	struct buf b;
	size_t p = *pos;
	char q = '\0';
	bool esc = false;

	while (p < len && isspace((unsigned char)line[p]))
		p++;
	if (p >= len || line[p] == '#') {
		*pos = len;
		return 0;
	}
	buf_init(&b);
	for (; p < len && (q != '\0' || !isspace((unsigned char)line[p]));
	    p++) {
		char c = line[p];

		if (esc)
			esc = false;
		else if (c == '\\') {
			esc = true;
			continue;
		} else if (q != '\0') {
			if (c == q) {
				q = '\0';
				continue;
			}
		} else if (c == '"' || c == '\'') {
			q = c;
			continue;
		} else if (c == '#') {
			/* the rest of the line is a comment */
			p = len;
			break;
		}
		buf_addc(&b, c);
	}
	*pos = p;
	if (q != '\0') {
		*qc = q;
		buf_free(&b);
		return -1;
	}
	*argp = buf_steal(&b);
	return 1;
}

int
script_directives(const char *text, size_t len, const char *magic,
    const char *name, char ***argvp, char **cause)
{
	size_t mlen = strlen(magic), off = 0, n = 0, lineno = 0;
	char **v = xcalloc(1, sizeof *v);

	while (off < len) {
		const char *line = text + off, *nl;
		size_t llen, pos, i;
		char *arg, qc = '\0';
		int r;

		nl = memchr(line, '\n', len - off);
		llen = nl != NULL ? (size_t)(nl - line) : len - off;
		off += llen + (nl != NULL);
		lineno++;

		if (llen < mlen || strncmp(line, magic, mlen) != 0) {
			/* Not a directive: a command ends the scan. */
			for (i = 0; i < llen; i++)
				if (!isspace((unsigned char)line[i]))
					break;
			if (i < llen && line[i] != '#')
				break;
			continue;
		}
		pos = mlen;
		while ((r = get_argument(line, llen, &pos, &arg, &qc)) == 1) {
			if (strcasecmp(arg, "hetjob") == 0 ||
			    strcasecmp(arg, "packjob") == 0) {
				xasprintf(cause, "%s: line %zu: heterogeneous "
				    "jobs (#SBATCH %s) are not supported",
				    name, lineno, arg);
				free(arg);
				goto fail;
			}
			v = xreallocarray(v, n + 2, sizeof *v);
			v[n++] = arg;
			v[n] = NULL;
		}
		if (r == -1) {
			xasprintf(cause, "%s: line %zu: Unmatched `%c` in "
			    "[%.*s]", name, lineno, qc, (int)llen, line);
			goto fail;
		}
	}
	*argvp = v;
	return 0;
fail:
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return -1;
}
