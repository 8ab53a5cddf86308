/* SPDX-License-Identifier: MIT */
/*
 * Killing what is left of a job whose supervisor died, when that
 * supervisor was not ours, and a step's tasks (leftovers.c).
 */
#ifndef BERTH_DAEMON_LEFTOVERS_H
#define BERTH_DAEMON_LEFTOVERS_H

#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>

/* The lingering zygote that is the parent of supervisor sup (alive),
 * with a pidfd of it in *fdp; 0 (and -1) if its parent is none. */
pid_t	 keeper_open(pid_t sup, const char *jobs_dir, int *fdp);
/* SIGKILL each child of the keeper that known() does not call a
 * supervisor and is no idle supervisor, through a pidfd.  keeper_fd is
 * a pidfd of the keeper, or -1 for our own child. */
void	 keeper_kill(pid_t keeper, int keeper_fd, bool (*known)(pid_t));
/* SIGKILL each member of the job's process group pgid in its session sid
 * started since job_start (epoch seconds), through a pidfd. */
void	 group_kill(pid_t sid, pid_t pgid, int64_t job_start);
/* SIGKILL the process group pgid that the process of leader_fd (a pidfd)
 * led when it was opened, never one that took the number since; sid and
 * since (epoch seconds) narrow a search of /proc when the kernel cannot
 * tell.  -1 with errno if the signal failed. */
int	 group_kill_led(int leader_fd, pid_t pgid, pid_t sid, int64_t since);

#endif
