/* SPDX-License-Identifier: MIT */
/*
 * The request table: message type -> handler and access rule.  This file
 * is the only place that compares request types.  Handlers check
 * ownership of individual jobs themselves through job_owner_or_admin();
 * RPC_ADMIN requests are refused here for anyone but root and the daemon's
 * own user.
 */
#include <stddef.h>
#include <unistd.h>

#include "../common/log.h"
#include "../proto/errors.h"
#include "../proto/proto.h"
#include "daemon.h"

#define RPC_ANY		0x0
#define RPC_ADMIN	0x1

struct rpc {
	uint16_t	 type;
	const char	*name;
	void		(*fn)(struct client *, struct msg *);
	int		 flags;
};

static const struct rpc rpcs[] = {
	{ MSG_PING, "ping", rpc_ping, RPC_ANY },
	{ MSG_SUBMIT, "submit", rpc_submit, RPC_ANY },
	{ MSG_JOB_QUERY, "job-query", rpc_job_query, RPC_ANY },
	{ MSG_ACCT_QUERY, "acct-query", rpc_acct_query, RPC_ANY },
	{ MSG_CANCEL, "cancel", rpc_cancel, RPC_ANY },
	{ MSG_NODE_QUERY, "node-query", rpc_node_query, RPC_ANY },
	{ MSG_CONFIG_QUERY, "config-query", rpc_config_query, RPC_ANY },
	{ MSG_JOB_WAIT, "job-wait", rpc_job_wait, RPC_ANY },
	{ MSG_SHUTDOWN, "shutdown", rpc_shutdown, RPC_ADMIN },
	{ MSG_JOB_CONTROL, "job-control", rpc_job_control, RPC_ANY },
	{ MSG_RECONFIGURE, "reconfigure", rpc_reconfigure, RPC_ADMIN },
	{ MSG_PRIO_QUERY, "prio-query", rpc_prio_query, RPC_ANY },
	{ MSG_ALLOC, "alloc", rpc_alloc, RPC_ANY },
	{ MSG_ALLOC_RELEASE, "alloc-release", rpc_alloc_release, RPC_ANY },
	{ MSG_STEP_CREATE, "step-create", rpc_step_create, RPC_ANY },
	{ MSG_STEP_LAUNCHED, "step-launched", rpc_step_launched, RPC_ANY },
	{ MSG_STEP_COMPLETE, "step-complete", rpc_step_complete, RPC_ANY },
	{ MSG_STEP_QUERY, "step-query", rpc_step_query, RPC_ANY },
};

void
dispatch(struct client *c, uint16_t type, struct msg *m)
{
	const struct rpc *r = NULL;

	for (size_t i = 0; i < sizeof rpcs / sizeof rpcs[0]; i++) {
		if (rpcs[i].type == type) {
			r = &rpcs[i];
			break;
		}
	}
	if (r == NULL) {
		log_warnx("client pid %ld: unknown request type %u",
		    (long)c->pid, type);
		client_error(c, BERTH_EPROTO, "Unknown request type");
		c->closing = true;
		return;
	}
	if ((r->flags & RPC_ADMIN) && c->uid != 0 && c->uid != getuid()) {
		client_error(c, BERTH_EACCESS, NULL);
		return;
	}
	log_debug("%s from uid %u pid %ld", r->name, (unsigned)c->uid,
	    (long)c->pid);
	D->ntxn_requests++;
	r->fn(c, m);
	if (m->err) {
		log_warnx("client pid %ld: malformed %s request; closing its "
		    "connection", (long)c->pid, r->name);
		c->closing = true;
	}
}
