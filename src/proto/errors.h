/* SPDX-License-Identifier: MIT */
/*
 * Error codes carried in MSG_ERROR and MSG_CANCEL_RESULT, each with the text
 * real Slurm prints for it (slurm_strerror).  Clients print
 * "<cmd>: error: <text>" or Slurm's command-specific wording around it.
 */
#ifndef BERTH_ERRORS_H
#define BERTH_ERRORS_H

#include <stdint.h>

enum berth_err {
	BERTH_OK = 0,
	BERTH_EPROTO,		/* malformed message */
	BERTH_EVERSION,		/* protocol version mismatch */
	BERTH_EINTERNAL,	/* the daemon failed (store, fork, ...) */
	BERTH_EINVAL,		/* generic invalid argument */
	BERTH_EINVALID_JOB,	/* Invalid job id specified */
	BERTH_EALREADY_DONE,	/* Job/step already completing or completed */
	BERTH_EACCESS,		/* Access/permission denied */
	BERTH_EINVALID_PARTITION, /* Invalid partition name specified */
	BERTH_ENODE_CONFIG,	/* Requested node configuration is not available */
	BERTH_EDEPENDENCY,	/* Job dependency problem */
	BERTH_EARRAY,		/* Invalid job array specification */
	BERTH_ETIME_LIMIT,	/* Requested time limit is invalid (missing or exceeds some limit) */
	BERTH_EGRES,		/* Invalid generic resource (gres) specification */
	BERTH_EPENDING,		/* Job is pending execution (e.g. not running to signal) */
	BERTH_EUSER,		/* Invalid user id */
	BERTH_ESCRIPT_SIZE,	/* script over max_script_size */
	BERTH_EPART_DOWN,	/* Partition in DOWN state / not accepting jobs */
	BERTH_ENOT_PENDING,	/* Job is no longer pending execution */
	BERTH_EDISABLED,	/* Requested operation is presently disabled */
	BERTH_EPRIO_RESET,	/* Changes to job priority are not persistent... */
	BERTH_EFINISHED,	/* Job has already finished */
	BERTH_EHELD,		/* Job is in held state, pending scheduler release */
	BERTH_EFEATURE,		/* Invalid feature specification */
	BERTH_ENODE_NAME,	/* Invalid node name specified */
	BERTH_ETIME_VALUE,	/* Invalid time specified */
	BERTH_ETIME_MIN,	/* Invalid time-min specification ... */
	BERTH_ECIRCULAR,	/* Circular job dependency */
	BERTH_EPART_NOT_AVAIL,	/* Required partition not available ... */
	BERTH_EPART_GROUP,	/* User's group not permitted to use ... */
	BERTH_EACCOUNT,		/* Invalid account or account/partition ... */
	BERTH_ENODES_BUSY,	/* Requested nodes are busy (salloc/srun -I) */
	BERTH_ETOO_MANY_CPUS,	/* More processors requested than permitted */
	BERTH_ENODE_COUNT,	/* Node count specification invalid */
	BERTH_ETASK_MEMORY,	/* Memory required by task is not available */
	BERTH_ENICE,		/* Invalid nice value */
	BERTH_EAGAIN,		/* Resource temporarily unavailable (EAGAIN:
				 * MaxJobCount reached; clients retry) */
	BERTH_EPREFER,		/* Invalid preferred feature spec. */
	BERTH_EMAX
};

const char	*berth_strerror(uint32_t code);

#endif
