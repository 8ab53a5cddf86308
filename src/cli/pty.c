// SPDX-License-Identifier: MIT
/*
 * srun --pty: a pseudo-terminal for task 0 and srun's own terminal in raw
 * mode (output processing kept, as Slurm's srun does, so srun's messages
 * still start at column 0).  The saved settings are restored by
 * pty_raw_end, which srun calls on its way out and which is also
 * registered with atexit, so every exit path restores the terminal.
 */
#include <sys/ioctl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "cli.h"
#include "launch.h"

static struct termios	saved;
static int		saved_fd = -1;

void
pty_raw_end(void)
{
	if (saved_fd == -1)
		return;
	(void)tcsetattr(saved_fd, TCSANOW, &saved);
	saved_fd = -1;
}

int
pty_raw_begin(int fd)
{
	static bool registered;
	struct termios t;

	if (!isatty(fd))
		return 0;
	if (tcgetattr(fd, &saved) == -1) {
		cli_err("tcgetattr: %s", strerror(errno));
		return -1;
	}
	t = saved;
	cfmakeraw(&t);
	t.c_oflag |= OPOST;
	if (tcsetattr(fd, TCSANOW, &t) == -1) {
		cli_err("tcsetattr: %s", strerror(errno));
		return -1;
	}
	saved_fd = fd;
	if (!registered) {
		registered = true;
		atexit(pty_raw_end);
	}
	return 0;
}

int
pty_open(int *master, char **slave)
{
	const char *name;
	int fd;

	if ((fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		cli_err("posix_openpt: %s", strerror(errno));
		return -1;
	}
	if (grantpt(fd) == -1 || unlockpt(fd) == -1 ||
	    (name = ptsname(fd)) == NULL) {
		cli_err("unlockpt: %s", strerror(errno));
		close(fd);
		return -1;
	}
	set_nonblock(fd);
	*master = fd;
	*slave = xstrdup(name);
	return 0;
}

void
pty_winsize(int from, int master)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(master, TIOCSWINSZ, &ws);
}
