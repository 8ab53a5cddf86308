/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by every program: fd I/O that survives short reads
 * and EINTR, file slurping, path helpers, clocks, string lists.
 */
#ifndef BERTH_UTIL_H
#define BERTH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/* Write all of p or return -1 with errno set. */
int	 write_full(int fd, const void *p, size_t n);
/* Read exactly n bytes; returns 0, or -1 with errno (EPIPE on early EOF). */
int	 read_full(int fd, void *p, size_t n);
/* Read a whole file (at most max bytes; EFBIG beyond).  Caller frees. */
char	*read_file(const char *path, size_t max, size_t *lenp);
/* Write a file atomically: path.tmp then rename.  fsync when sync. */
int	 write_file_atomic(const char *path, const void *p, size_t n,
	    mode_t mode, bool sync);
int	 set_nonblock(int fd);
int	 set_cloexec(int fd);
/* mkdir -p with mode for every created component. */
int	 mkdir_p(const char *path, mode_t mode);
/* Remove a directory and the files directly inside it. */
int	 rmdir_flat(const char *path);
/* Call fn(child, arg) for each child of every thread of process pid, as
 * /proc/<pid>/task/<tid>/children lists them (a snapshot). */
void	 proc_children(pid_t pid, void (*fn)(pid_t, void *), void *arg);
/* SIGKILL pid, left by a dead supervisor; logged once among the last 16. */
void	 kill_leftover(pid_t pid);

/*
 * pidfd_open(2) through syscall(2): the static programs are also built
 * against musl, which has no wrapper (glibc's is in <sys/pidfd.h>).
 */
int	 sys_pidfd_open(pid_t pid, unsigned int flags);

/*
 * One message with at most one descriptor over a unix socket
 * (SCM_RIGHTS).  sock_send_fd: fd -1 sends none; MSG_NOSIGNAL; returns
 * the bytes sent or -1.  sock_recv_fd: flags as recvmsg's (the received
 * descriptor is close-on-exec); *fdp is the descriptor or -1; returns the
 * bytes read (0 at end of file) or -1.  Both retry EINTR and are safe to
 * call in a child between fork and exec.
 */
ssize_t	 sock_send_fd(int sock, const void *p, size_t n, int fd);
ssize_t	 sock_recv_fd(int sock, void *p, size_t n, int flags, int *fdp);

/* Wall clock in seconds / microseconds, monotonic in milliseconds. */
int64_t	 now_sec(void);
int64_t	 now_usec(void);
int64_t	 mono_msec(void);

/* The directory of the running executable (/proc/self/exe).  Caller frees. */
char	*self_dir(void);
/* Short host name (up to the first dot). Static storage. */
const char *short_hostname(void);

/* Split s at any of the delimiters; empty fields dropped.  Returns a NULL
 * terminated vector; free with strv_free. */
char	**strv_split(const char *s, const char *delims, size_t *np);
void	 strv_free(char **);
size_t	 strv_len(char *const *);

/* v in decimal, written to end at end (where the NUL goes): returns its
 * start.  Without printf: sbatch and the supervisor format a few dozen
 * numbers per job.  Room for 20 digits and the NUL before end. */
char	*fmt_decimal(char *end, unsigned long long v);

/* Parse an unsigned decimal without sign or junk; -1 on error/overflow. */
int	 parse_u32(const char *s, uint32_t *out);
int	 parse_u64(const char *s, uint64_t *out);

#endif
