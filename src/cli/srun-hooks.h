/* SPDX-License-Identifier: MIT */
/*
 * srun --prolog/--epilog (run by srun around the step) and
 * --task-prolog/--task-epilog (run around each task), as Slurm 22.05's
 * srun and slurmstepd run them.
 */
#ifndef BERTH_SRUN_HOOKS_H
#define BERTH_SRUN_HOOKS_H

/*
 * Run srun's --prolog or --epilog (what: "prolog", "epilog") with env and
 * wait for it.  A file that is not there is Slurm's "Access denied for X"
 * line and no run (0).  Returns its exit status (a signal: 128 + it), or
 * 0.
 */
int	 srun_hook_run(const char *path, char **env, const char *what);
/*
 * argv run through /bin/sh so that the task prolog runs first (its
 * "export NAME=value", "unset NAME" and "print TEXT" lines applied, as
 * slurmstepd does) and the task epilog after; NULL if neither is given.
 * Free with strv_free.
 */
char	**srun_task_wrap(char **argv, const char *prolog,
	    const char *epilog);

#endif
