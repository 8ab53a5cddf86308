/* SPDX-License-Identifier: MIT */
/*
 * The conversations of srun and salloc with the daemon (docs/steps.md),
 * with Slurm's messages.  Each returns 0, or -1 after printing the error
 * ("srun: error: Unable to allocate resources: ...").
 */
#ifndef BERTH_STEP_CLIENT_H
#define BERTH_STEP_CLIENT_H

#include <sys/types.h>
#include <stdbool.h>

#include "../proto/job.h"
#include "../proto/step.h"

struct step_conv {
	bool		 salloc;	/* salloc's words, else srun's */
	bool		 quiet;		/* -Q: no informational lines */
	/* out: from the grant (MSG_ALLOC_GRANTED, MSG_STEP_CREATED) */
	char		*cluster_name;	/* the daemon's ClusterName; freed by
					   step_client_close */
	uint32_t	 kill_wait;	/* its KillWait, seconds */
};

/*
 * MSG_ALLOC: prints the pending lines while it waits, fills *j (and *st
 * when the grant carries step 0: *has_step).  The caller frees both.
 */
int	 step_alloc(struct step_conv *, const struct job_desc *,
	    uint32_t flags, const struct step *req, struct job *j,
	    struct step *st, bool *has_step);
/* MSG_STEP_CREATE inside an allocation (req->job_id set). */
int	 step_create(struct step_conv *, const struct step *req,
	    struct job *j, struct step *st);
int	 step_launched(uint32_t job_id, uint32_t step_id, pid_t pgid);
int	 step_complete(const struct step *fin);
/* MSG_ALLOC_RELEASE; fin NULL for salloc. */
int	 step_release(uint32_t job_id, int status, const struct step *fin);
void	 step_client_close(void);
void	 step_conv_free(struct step_conv *);

struct opt_err;
/* Print an option error (opt.h) and return its exit status. */
int	 step_opt_err(struct opt_err *);
/* argv joined by blanks (SubmitLine, the step's command); caller frees. */
char	*step_command_line(char **argv);

/*
 * d->gpu_type from --gpus=TYPE:N or --gpus-per-task=TYPE:N (the request
 * the job's GPU count came from), for the daemon to check against the
 * node's Gres type; NULL without a type.
 */
struct opts;
void	 job_desc_gpu_type(struct job_desc *d, const struct opts *o);
/*
 * SLURM_GPUS, SLURM_GPUS_PER_NODE and SLURM_GPUS_PER_TASK in this
 * process's environment: --gpus, --gpus-per-node and --gpus-per-task as
 * given ("tesla:1"), as Slurm's sbatch and salloc export them (24_env_gpu;
 * not --gres); inherited ones go, so a job inside a GPU job does not
 * carry its parent's.  Returns -1 (with the error printed) if setenv
 * fails.
 */
int	 gpu_env_export(const struct opts *o);

#endif
