/* SPDX-License-Identifier: MIT */
/*
 * sattach's way into a running step: srun listens on an abstract unix
 * socket named "berth-step-<uid>-<daemon>-<job>.<step>" (<daemon>: a hash
 * of the daemon's socket path, since every daemon numbers its jobs from 1)
 * and copies the tasks' output to every attached client as it goes, and
 * their input to the tasks.  Only the step's user and root may attach
 * (SO_PEERCRED).
 *
 * Records from srun: u8 type, u32 task, u32 length, length bytes:
 *   ATTACH_HELLO   task = number of tasks, data = node name (first)
 *   ATTACH_STDOUT  a task's output     ATTACH_STDERR  its error output
 *   ATTACH_EXIT    a task ended, data = its wait status (u32)
 *   ATTACH_END     the step is over (srun closes the connection)
 * Records from a client: u32 task (ATTACH_ALL: every task), u32 length,
 * bytes for that task's standard input.  Numbers are little-endian.
 */
#ifndef BERTH_ATTACH_H
#define BERTH_ATTACH_H

#include <sys/types.h>
#include <sys/socket.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#define ATTACH_HELLO	'H'
#define ATTACH_STDOUT	'O'
#define ATTACH_STDERR	'E'
#define ATTACH_EXIT	'X'
#define ATTACH_END	'Z'
#define ATTACH_ALL	0xffffffffu
#define ATTACH_HDR	9	/* u8 + u32 + u32 */
#define ATTACH_MAX	(1u << 20)	/* largest record */

/* The socket's address; returns its length for connect/bind. */
socklen_t	 attach_addr(void *sun, uid_t, uint32_t job, uint32_t step);

/* srun's side. */
struct attach;
typedef void	(*attach_input_fn)(void *arg, uint32_t task, const char *,
		    size_t);
/* NULL when the socket cannot be made (the step runs without it). */
struct attach	*attach_open(uint32_t job, uint32_t step, uint32_t ntasks,
		    const char *node);
/* Fill pfd (at most max) with the listener and the clients; the count. */
int		 attach_pollfds(struct attach *, struct pollfd *, int max);
/* Handle an event on fd if it is ours: 1, else 0. */
int		 attach_event(struct attach *, int fd, short revents,
		    attach_input_fn, void *arg);
void		 attach_send(struct attach *, int type, uint32_t task,
		    const void *, size_t);
/* ATTACH_END to everyone, flush (briefly) and close. */
void		 attach_close(struct attach *);

#endif
