/* SPDX-License-Identifier: MIT */
/*
 * srun --prolog/--epilog and --task-prolog/--task-epilog (srun-hooks.h).
 *
 * Behaviour copied from Slurm 22.05.8 (checked on the reference cluster):
 * srun runs --prolog before the step and --epilog after it, with the
 * step's environment (SLURM_JOB_ID, SLURM_STEP_ID, ...); a missing file
 * prints "srun: Access denied for X: No such file or directory" and the
 * step runs; a failed prolog is "srun: error: srun prolog failed rc = N.
 * Aborting step.", a failed epilog "srun: error: srun epilog failed
 * status=N".  slurmstepd runs --task-prolog before each task (a path
 * that is not absolute, or that cannot run, fails the task with exit 1)
 * and applies its "export NAME=value", "unset NAME" and "print TEXT"
 * lines, and --task-epilog after each task.  berth has no slurmstepd:
 * the task runs under a /bin/sh that does the same.
 */
#include <sys/wait.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "cli.h"
#include "srun-hooks.h"

int
srun_hook_run(const char *path, char **env, const char *what)
{
	pid_t pid, w;
	int status;

	(void)what;
	if (access(path, X_OK) == -1) {
		fprintf(stderr, "srun: Access denied for %s: %s\n", path,
		    strerror(errno));
		return 0;
	}
	if ((pid = fork()) == -1) {
		cli_err("fork for %s: %s", path, strerror(errno));
		return 1;
	}
	if (pid == 0) {
		char *av[2] = { (char *)(uintptr_t)path, NULL };

		execve(path, av, env);
		fprintf(stderr, "srun: error: execve %s: %s\n", path,
		    strerror(errno));
		_exit(127);
	}
	while ((w = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
		continue;
	if (w == -1) {
		cli_err("waitpid for %s: %s", path, strerror(errno));
		return 1;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* $1 the task prolog or "", $2 the task epilog or "", then the task. */
static const char task_script[] =
	"p=$1 e=$2; shift 2\n"
	"n=slurmstepd-${SLURMD_NODENAME:-$(uname -n)}\n"
	"if [ -n \"$p\" ]; then\n"
	"  case $p in\n"
	"  /*) ;;\n"
	"  *) echo \"$n: error: run_command: user task_prolog is not fully "
	    "qualified pathname ($p)\" >&2\n"
	"     echo \"$n: error: --task-prolog failed status=1\" >&2; "
	    "exit 1;;\n"
	"  esac\n"
	"  if [ ! -x \"$p\" ]; then\n"
	"    echo \"$n: error: run_command: user task_prolog can not be "
	    "executed ($p) No such file or directory\" >&2\n"
	"    echo \"$n: error: --task-prolog failed status=1\" >&2; exit 1\n"
	"  fi\n"
	"  out=$(\"$p\"); st=$?\n"
	"  if [ $st -ne 0 ]; then\n"
	"    echo \"$n: error: --task-prolog failed status=$st\" >&2; exit 1\n"
	"  fi\n"
	"  set -f; ifs=$IFS; IFS='\n'\n"
	"  for l in $out; do\n"
	"    case $l in\n"
	"    'export '*) export \"${l#export }\";;\n"
	"    'unset '*) unset \"${l#unset }\";;\n"
	"    'print '*) printf '%s\\n' \"${l#print }\";;\n"
	"    esac\n"
	"  done\n"
	"  IFS=$ifs; set +f\n"
	"fi\n"
	"[ -n \"$e\" ] || exec \"$@\"\n"
	"\"$@\"; st=$?\n"
	"case $e in\n"
	"/*) \"$e\" || echo \"$n: error: TaskEpilog failed status=$?\" >&2;;\n"
	"*) echo \"$n: error: Could not run user task_epilog [$e]: access "
	    "denied\" >&2\n"
	"   echo \"$n: error: TaskEpilog failed status=-1\" >&2;;\n"
	"esac\n"
	"exit $st\n";

char **
srun_task_wrap(char **argv, const char *prolog, const char *epilog)
{
	size_t n = strv_len(argv), k = 0;
	char **v;

	if (prolog == NULL && epilog == NULL)
		return NULL;
	v = xcalloc(n + 7, sizeof *v);
	v[k++] = xstrdup("/bin/sh");
	v[k++] = xstrdup("-c");
	v[k++] = xstrdup(task_script);
	v[k++] = xstrdup("srun");
	v[k++] = xstrdup(prolog != NULL ? prolog : "");
	v[k++] = xstrdup(epilog != NULL ? epilog : "");
	for (size_t i = 0; i < n; i++)
		v[k++] = xstrdup(argv[i]);
	return v;
}
