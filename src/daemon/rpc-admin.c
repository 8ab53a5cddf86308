/* SPDX-License-Identifier: MIT */
/*
 * Reloading berth.conf (`scontrol reconfigure`, SIGHUP) without touching
 * jobs: the new configuration is read and checked completely before it
 * replaces the old one, so a broken file changes nothing (the error goes
 * to the caller and the log).  Running jobs keep their cores and GPUs;
 * pending jobs are scheduled against the new partitions and node from the
 * next pass on.  A pending job whose partition disappeared pends with
 * PartitionConfig-like reasons, as in Slurm after a partition is removed.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "../proto/proto.h"
#include "daemon.h"
#include "schedule.h"

int
daemon_reconfigure(char **cause)
{
	struct berth_conf nc;
	struct bitmap cpus;

	memset(&nc, 0, sizeof nc);
	if (conf_load(D->conf_path, &nc, cause) == -1)
		return -1;
	if (bitmap_parse(&cpus, nc.cpu_ids) == -1) {
		xasprintf(cause, "bad CPU list %s", nc.cpu_ids);
		conf_free(&nc);
		return -1;
	}
	conf_free(&D->conf);
	D->conf = nc;
	D->node_cpus = cpus;
	schedule_changed();
	prio_dirty();
	log_info("reconfigured from %s: %u CPUs (%s), %llu MB, %u GPUs, %u "
	    "partitions", D->conf.path != NULL ? D->conf.path : "(defaults)",
	    D->conf.cpus, D->conf.cpu_ids,
	    (unsigned long long)D->conf.real_mem_mb, D->conf.gpus,
	    D->conf.nparts);
	return 0;
}

void
rpc_reconfigure(struct client *c, struct msg *m)
{
	char *cause = NULL;

	if (msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	if (daemon_reconfigure(&cause) == -1) {
		log_warnx("reconfigure requested by uid %u failed: %s",
		    (unsigned)c->uid, cause);
		client_error(c, BERTH_EINVAL, cause);
		free(cause);
		return;
	}
	client_reply(c, MSG_OK, NULL);
}
