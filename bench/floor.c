/* SPDX-License-Identifier: MIT */
/*
 * The machine's floors, measured in the same `make bench` run as the
 * workloads (bench/run.sh runs it before W1 and again after W3): the
 * figures of ../shared/PERFORMANCE-NOTES.md move by 2x and more with the
 * host's load, so a workload's figure means something only next to the
 * floor of the same minute.
 *
 *   floor PREFIX DIR N
 *
 * prints, each the median of N samples, in ms:
 *   PREFIX_spawn_true_ms   posix_spawn + waitpid of /bin/true (a process
 *                          start: the floor of one sbatch, and of a job)
 *   PREFIX_spawn_sh_ms     the same for `/bin/sh -c true` (a trivial job's
 *                          shell)
 *   PREFIX_fdatasync_ms    a 512-byte write and fdatasync of a file in DIR
 *                          (one durable commit's floor)
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double
now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1) {
		perror("floor: clock_gettime");
		exit(1);
	}
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
spawn_wait(char *const argv[])
{
	double t0 = now_ms();
	pid_t pid;
	int rc, status;

	if ((rc = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ)) != 0) {
		fprintf(stderr, "floor: posix_spawn %s: %s\n", argv[0],
		    strerror(rc));
		exit(1);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			perror("floor: waitpid");
			exit(1);
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "floor: %s failed\n", argv[0]);
		exit(1);
	}
	return now_ms() - t0;
}

static double
write_sync(int fd)
{
	static const char buf[512] = { 'x' };
	double t0 = now_ms();

	if (pwrite(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf) {
		perror("floor: pwrite");
		exit(1);
	}
	if (fdatasync(fd) == -1) {
		perror("floor: fdatasync");
		exit(1);
	}
	return now_ms() - t0;
}

int
main(int argc, char **argv)
{
	char *const true_argv[] = { "/bin/true", NULL };
	char *const sh_argv[] = { "/bin/sh", "-c", "true", NULL };
	char path[4096];
	double *v;
	int fd, i, n;

	if (argc != 4 || (n = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: floor PREFIX DIR N\n");
		return 2;
	}
	if ((v = calloc((size_t)n, sizeof *v)) == NULL) {
		perror("floor: calloc");
		return 1;
	}
	for (i = 0; i < n; i++)
		v[i] = spawn_wait(true_argv);
	printf("%s_spawn_true_ms: %.2f\n", argv[1], median(v, n));
	for (i = 0; i < n; i++)
		v[i] = spawn_wait(sh_argv);
	printf("%s_spawn_sh_ms: %.2f\n", argv[1], median(v, n));

	if ((size_t)snprintf(path, sizeof path, "%s/floor.sync", argv[2]) >=
	    sizeof path) {
		fprintf(stderr, "floor: %s: path too long\n", argv[2]);
		return 1;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1) {
		fprintf(stderr, "floor: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++)
		v[i] = write_sync(fd);
	printf("%s_fdatasync_ms: %.2f\n", argv[1], median(v, n));
	if (close(fd) == -1 || unlink(path) == -1) {
		fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
		return 1;
	}
	free(v);
	return 0;
}
