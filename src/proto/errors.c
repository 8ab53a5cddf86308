/* SPDX-License-Identifier: MIT */
/* Slurm's words for each error code: see errors.h. */
#include <stddef.h>

#include "errors.h"

static const char *const err_text[BERTH_EMAX] = {
	[BERTH_OK] = "No error",
	[BERTH_EPROTO] = "Protocol error: malformed message",
	[BERTH_EVERSION] = "Protocol version has changed, re-link your code",
	[BERTH_EINTERNAL] = "Unexpected error in the berth daemon",
	[BERTH_EINVAL] = "Invalid argument",
	[BERTH_EINVALID_JOB] = "Invalid job id specified",
	[BERTH_EALREADY_DONE] = "Job/step already completing or completed",
	[BERTH_EACCESS] = "Access/permission denied",
	[BERTH_EINVALID_PARTITION] = "Invalid partition name specified",
	[BERTH_ENODE_CONFIG] =
	    "Requested node configuration is not available",
	[BERTH_EDEPENDENCY] = "Job dependency problem",
	[BERTH_EARRAY] = "Invalid job array specification",
	[BERTH_ETIME_LIMIT] =
	    "Requested time limit is invalid (missing or exceeds some limit)",
	[BERTH_EGRES] = "Invalid generic resource (gres) specification",
	[BERTH_EPENDING] = "Job is pending execution",
	[BERTH_EUSER] = "Invalid user id",
	/* Slurm's ESLURM_PATHNAME_TOO_LONG, which slurmctld gives for a
	 * script over max_script_size as for any oversized string. */
	[BERTH_ESCRIPT_SIZE] =
	    "Pathname of a file, directory or other parameter too long",
	[BERTH_EPART_DOWN] =
	    "Partition in DOWN state / not accepting jobs",
	[BERTH_ENOT_PENDING] = "Job is no longer pending execution",
	[BERTH_EDISABLED] = "Requested operation is presently disabled",
	[BERTH_EPRIO_RESET] = ("Changes to job priority are not persistent, "
	    "change nice instead"),
	[BERTH_EFINISHED] = "Job has already finished",
	[BERTH_EHELD] = "Job is in held state, pending scheduler release",
	[BERTH_EFEATURE] = "Invalid feature specification",
	[BERTH_ENODE_NAME] = "Invalid node name specified",
	[BERTH_ETIME_VALUE] = "Invalid time specified",
	[BERTH_ETIME_MIN] =
	    "Invalid time-min specification (exceeds job's time or other limits)",
	[BERTH_ECIRCULAR] = "Circular job dependency",
	[BERTH_EPART_NOT_AVAIL] =
	    "Required partition not available (inactive or drain)",
	[BERTH_EPART_GROUP] = "User's group not permitted to use this partition",
	[BERTH_EACCOUNT] =
	    "Invalid account or account/partition combination specified",
	[BERTH_ENODES_BUSY] = "Requested nodes are busy",
	[BERTH_ETOO_MANY_CPUS] = "More processors requested than permitted",
	[BERTH_ENODE_COUNT] = "Node count specification invalid",
	[BERTH_ETASK_MEMORY] = "Memory required by task is not available",
	[BERTH_ENICE] = "Invalid nice value",
	[BERTH_EAGAIN] = "Resource temporarily unavailable",
	[BERTH_EPREFER] = "Invalid preferred feature specification",
};

const char *
berth_strerror(uint32_t code)
{
	if (code >= BERTH_EMAX || err_text[code] == NULL)
		return "Unknown error";
	return err_text[code];
}
