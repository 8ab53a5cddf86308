/* SPDX-License-Identifier: MIT */
/*
 * -M/--clusters of squeue and sacct.  berth is one cluster, named by the
 * daemon's ClusterName: the names given are matched against it (any
 * case, as Slurm keeps cluster names in lower case; "all" names every
 * cluster), so a command can do what Slurm's does for its local cluster
 * and for names its database does not know.  client_clusters_check()
 * is what sinfo, scontrol, scancel and sprio do with their -M while
 * parsing options, as Slurm's do (slurmdb_get_info_cluster, then
 * print_db_notok and exit 1 when no name is known).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "cli.h"

/* The daemon's ClusterName from MSG_CONFIG_QUERY, or NULL (printed). */
static char *
cluster_name(void)
{
	struct msg req, resp;
	uint16_t rtype;
	uint32_t code = 0, n;
	char *text = NULL, *k, *v, *name = NULL;
	int rc;

	msg_init(&req);
	msg_init(&resp);
	rc = client_request(MSG_CONFIG_QUERY, &req, &rtype, &resp, &code,
	    &text);
	msg_free(&req);
	if (rc == 1)
		cli_err("%s", text);
	if (rc == 0 && rtype == MSG_KV_LIST) {
		n = msg_get_u32(&resp);
		for (uint32_t i = 0; i < n && !resp.err && name == NULL; i++) {
			k = msg_get_str(&resp);
			v = msg_get_str(&resp);
			if (k != NULL && v != NULL &&
			    strcmp(k, "ClusterName") == 0) {
				name = v;
				v = NULL;
			}
			free(k);
			free(v);
		}
		if (name == NULL)
			cli_err("no ClusterName from the berth daemon");
	} else if (rc == 0)
		cli_err("unexpected reply %u from berth daemon", rtype);
	free(text);
	msg_free(&resp);
	return name;
}

int
client_clusters(const char *list, char **name, char ***unknown)
{
	char **v, *own;
	size_t nunknown = 0;
	bool found = false;

	*name = NULL;
	*unknown = NULL;
	if ((own = cluster_name()) == NULL)
		return -1;
	v = strv_split(list, ",", NULL);
	/* + 2: an empty list gives one name (below) and the NULL. */
	*unknown = xcalloc(strv_len(v) + 2, sizeof **unknown);
	for (size_t i = 0; v[i] != NULL; i++) {
		if (strcasecmp(v[i], own) == 0 || strcasecmp(v[i], "all") == 0)
			found = true;
		else
			(*unknown)[nunknown++] = xstrdup(v[i]);
	}
	/* An empty list ("-M ''") names the cluster "". */
	if (v[0] == NULL)
		(*unknown)[nunknown++] = xstrdup(list);
	strv_free(v);
	if (!found) {
		free(own);
		return 0;
	}
	*name = own;
	return 1;
}

int
client_clusters_check(const char *list, char **name)
{
	char **unknown;
	int rc;

	rc = client_clusters(list, name, &unknown);
	for (size_t i = 0; unknown != NULL && unknown[i] != NULL; i++)
		cli_err("No cluster '%s' known by database.", unknown[i]);
	strv_free(unknown);
	if (rc == 0)
		cli_err("'%s' can't be reached now, or it is an invalid entry "
		    "for --cluster.  Use 'sacctmgr list clusters' to see "
		    "available clusters.", list);
	return rc == 1 ? 0 : -1;
}
