// SPDX-License-Identifier: MIT
/*
 * The step clients' side of the conversations in docs/steps.md, shared by
 * srun and salloc: asking for an allocation (MSG_ALLOC, with Slurm's
 * pending/granted/cancelled lines of 60_srun and 61_salloc), asking for a
 * step inside one (MSG_STEP_CREATE), and the small one-shot requests that
 * follow (MSG_STEP_LAUNCHED, MSG_STEP_COMPLETE, MSG_ALLOC_RELEASE); and
 * two helpers both commands need.
 *
 * The connection of the allocation or step request is used for the
 * requests that follow until the caller closes it (srun does once its
 * tasks run); later requests open a new one, as do requests after the
 * daemon went away (a restart).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/xmalloc.h"
#include "../proto/step.h"
#include "cli.h"
#include "opt.h"
#include "step-client.h"

extern char **environ;

static struct client	*conn;

static int
call(uint16_t type, const struct msg *req, uint16_t *rtype,
    struct msg *resp, char **cause)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (conn == NULL && (conn = client_open(cause)) == NULL)
			return -1;
		if (client_call(conn, type, req, rtype, resp, cause) == 0)
			return 0;
		client_close(conn);
		conn = NULL;
		if (attempt == 0) {
			free(*cause);
			*cause = NULL;
		}
	}
	return -1;
}

void
step_client_close(void)
{
	if (conn != NULL)
		client_close(conn);
	conn = NULL;
}

/* MSG_ERROR's code and text (the text: the daemon's, else the code's). */
static void
get_error(struct msg *resp, uint32_t *code, char **text)
{
	*code = msg_get_u32(resp);
	*text = msg_get_str(resp);
	if (*text == NULL || **text == '\0') {
		free(*text);
		*text = xstrdup(berth_strerror(*code));
	}
}

int
step_opt_err(struct opt_err *err)
{
	int status = err->status != 0 ? err->status : 255;

	if (err->text != NULL)
		fputs(err->text, stderr);
	opt_err_free(err);
	return status;
}

char *
step_command_line(char **argv)
{
	struct buf b;

	buf_init(&b);
	for (char **a = argv; *a != NULL; a++)
		buf_printf(&b, "%s%s", a != argv ? " " : "", *a);
	return buf_steal(&b);
}

void
step_conv_free(struct step_conv *sc)
{
	free(sc->cluster_name);
	sc->cluster_name = NULL;
}

/* The grant's tail: str cluster_name, u32 kill_wait (docs/protocol.md). */
static void
grant_tail(struct step_conv *sc, struct msg *resp)
{
	if (msg_remaining(resp) == 0)
		return;
	free(sc->cluster_name);
	sc->cluster_name = msg_get_str(resp);
	sc->kill_wait = msg_get_u32(resp);
}

static void
print_pending(const struct step_conv *sc, uint32_t id, uint32_t reason)
{
	if (sc->quiet)
		return;
	if (reason == WAIT_PART_CONFIG)
		cli_warn("Requested partition configuration not available now");
	if (sc->salloc)
		cli_warn("Pending job allocation %u", id);
	cli_warn("job %u queued and waiting for resources", id);
}

/* Whether a variable's name starts with prefix: one walk of environ. */
static bool
env_has_prefix(const char *prefix)
{
	size_t n = strlen(prefix);

	for (char **e = environ; *e != NULL; e++)
		if (strncmp(*e, prefix, n) == 0)
			return true;
	return false;
}

int
gpu_env_export(const struct opts *o)
{
	const char *name[] = { "SLURM_GPUS", "SLURM_GPUS_PER_NODE",
	    "SLURM_GPUS_PER_TASK" };
	const char *val[] = { o->gpus, o->gpus_per_node, o->gpus_per_task };
	const enum opt_id id[] = { OPT_ID_GPUS, OPT_ID_GPUS_PER_NODE,
	    OPT_ID_GPUS_PER_TASK };
	/* unsetenv walks the environment once per name: usually there
	 * is nothing to drop, which one walk tells. */
	bool inherited = env_has_prefix("SLURM_GPUS");

	for (size_t i = 0; i < sizeof name / sizeof name[0]; i++) {
		if (o->src[id[i]] && val[i] != NULL) {
			if (setenv(name[i], val[i], 1) == -1) {
				cli_err("setenv %s: %s", name[i],
				    strerror(errno));
				return -1;
			}
		} else if (inherited && unsetenv(name[i]) == -1) {
			cli_err("unsetenv %s: %s", name[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

void
job_desc_gpu_type(struct job_desc *d, const struct opts *o)
{
	const char *s = NULL, *c;

	/* opt_resolve's order: the last of these that was given counts. */
	if (o->src[OPT_ID_GPUS_PER_NODE])
		return;		/* in job.gres */
	if (o->src[OPT_ID_GPUS])
		s = o->gpus;
	else if (o->src[OPT_ID_GPUS_PER_TASK])
		s = o->gpus_per_task;
	free(d->gpu_type);
	d->gpu_type = NULL;
	if (s != NULL && (c = strchr(s, ':')) != NULL)
		d->gpu_type = xstrndup(s, (size_t)(c - s));
}

/*
 * MaxJobCount reached (EAGAIN): Slurm's salloc and srun say so once, then
 * sleep 1, 2, ... 10 seconds before asking again (55 s in all, measured
 * on Slurm 22.05.8), and give up with the refusal.  True: ask again.
 */
#define ALLOC_RETRIES	10

static bool
alloc_retry(const struct step_conv *sc, const struct msg *resp)
{
	static unsigned retries;
	struct msg peek = *resp;
	uint32_t code;

	code = msg_get_u32(&peek);
	if (peek.err || code != BERTH_EAGAIN)
		return false;
	return client_retry_wait(&retries, ALLOC_RETRIES, sc->salloc ?
	    "Slurm job queue full, sleeping and retrying." :
	    "Slurm controller not responding, sleeping and retrying.");
}

int
step_alloc(struct step_conv *sc, const struct job_desc *d,
    uint32_t flags, const struct step *req, struct job *j, struct step *st,
    bool *has_step)
{
	struct msg m, resp;
	uint16_t rtype;
	uint32_t code, id = 0;
	char *cause = NULL, *text = NULL;
	const char *std;
	bool pending = false;
	int r;

	*has_step = false;
	msg_init(&m);
	msg_init(&resp);
	proto_job_desc_put(&m, d);
	msg_put_u32(&m, flags);
	if (req != NULL)
		proto_step_put(&m, req);
again:
	if ((conn = client_open(&cause)) == NULL) {
		cli_err("%s", cause);
		free(cause);
		msg_free(&m);
		return -1;
	}
	r = client_call(conn, MSG_ALLOC, &m, &rtype, &resp, &cause);
	if (r == 0 && rtype == MSG_ERROR && alloc_retry(sc, &resp)) {
		step_client_close();
		msg_free(&resp);
		msg_init(&resp);
		goto again;
	}
	msg_free(&m);
	while (r == 0 && rtype == MSG_ALLOC_PENDING) {
		uint32_t reason;

		id = msg_get_u32(&resp);
		reason = msg_get_u32(&resp);
		if (msg_end(&resp) == -1)
			break;
		print_pending(sc, id, reason);
		pending = true;
		msg_free(&resp);
		msg_init(&resp);
		r = client_recv(conn, &rtype, &resp, &cause);
	}
	if (r == -1) {
		cli_err("%s", cause);
		free(cause);
		goto fail;
	}
	if (rtype == MSG_ERROR) {
		get_error(&resp, &code, &text);
		if (code == BERTH_EAGAIN && !sc->salloc) {
			free(text);	/* srun gives up without a word */
			goto fail;
		}
		if (pending && code == BERTH_EALREADY_DONE) {
			if (sc->salloc)
				cli_warn("Job allocation %u has been revoked.",
				    id);
			cli_warn("Job has been cancelled");
		}
		std = berth_strerror(code);
		if (text != NULL && *text != '\0' && strcmp(text, std) != 0)
			cli_err("%s", text);	/* the daemon's detail */
		else if (code == BERTH_ENODE_CONFIG &&
		    (d->job.flags & JOB_F_MEM_SET))
			cli_err("Memory specification can not be satisfied");
		if (sc->salloc)
			cli_err("Job submit/allocate failed: %s", std);
		else
			cli_err("Unable to allocate resources: %s", std);
		free(text);
		goto fail;
	}
	if (rtype != MSG_ALLOC_GRANTED || proto_job_get(&resp, j) == -1) {
		cli_err("unexpected reply %u from berth daemon", rtype);
		goto fail;
	}
	*has_step = msg_get_u32(&resp) != 0;
	if (*has_step && proto_step_get(&resp, st) == -1)
		*has_step = false;
	else
		grant_tail(sc, &resp);
	if (resp.err || msg_end(&resp) == -1) {
		if (*has_step)
			step_free(st);
		job_free(j);
		*has_step = false;
		cli_err("bad reply from berth daemon");
		goto fail;
	}
	if (pending && !sc->quiet)
		cli_warn("job %u has been allocated resources", j->id);
	msg_free(&resp);
	return 0;
fail:
	msg_free(&resp);
	step_client_close();
	return -1;
}

/*
 * A pending step's srun lost the daemon: wait half a second before
 * asking again, for up to a minute (a restart takes well under that).
 */
#define RECONNECT_TRIES	120

static bool
reconnect_wait(int *tries)
{
	struct timespec ts = { 0, 500 * 1000 * 1000 };

	if ((*tries)++ >= RECONNECT_TRIES)
		return false;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return true;
}

int
step_create(struct step_conv *sc, const struct step *req,
    struct job *j, struct step *st)
{
	struct msg m, resp;
	uint16_t rtype;
	uint32_t code;
	char *cause = NULL, *text = NULL;
	bool pending = false;
	int r, tries = 0;

	msg_init(&m);
	msg_init(&resp);
	proto_step_put(&m, req);
again:
	if ((conn = client_open(&cause)) == NULL) {
		if (pending && reconnect_wait(&tries)) {
			free(cause);
			cause = NULL;
			goto again;
		}
		cli_err("%s", cause);
		free(cause);
		msg_free(&m);
		msg_free(&resp);
		return -1;
	}
	r = client_call(conn, MSG_STEP_CREATE, &m, &rtype, &resp, &cause);
	while (r == 0 && rtype == MSG_STEP_PENDING) {
		uint32_t id = msg_get_u32(&resp);

		(void)msg_get_u32(&resp);
		if (!pending && !sc->quiet)
			cli_warn("Job %u step creation temporarily disabled, "
			    "retrying (Requested nodes are busy)", id);
		pending = true;
		tries = 0;
		msg_free(&resp);
		msg_init(&resp);
		r = client_recv(conn, &rtype, &resp, &cause);
	}
	if (r == -1 && pending && reconnect_wait(&tries)) {
		/*
		 * The daemon went away while the step waited (a restart: a
		 * pending step is not stored).  Ask again, as Slurm's srun
		 * keeps retrying its step creation.
		 */
		free(cause);
		cause = NULL;
		client_close(conn);
		conn = NULL;
		msg_free(&resp);
		msg_init(&resp);
		goto again;
	}
	msg_free(&m);
	if (r == -1) {
		cli_err("%s", cause);
		free(cause);
		goto fail;
	}
	if (rtype == MSG_ERROR) {
		get_error(&resp, &code, &text);
		if (code == BERTH_EINVALID_JOB) {
			cli_err("Unable to confirm allocation for job %u: %s",
			    req->job_id, text);
			cli_warn("Check SLURM_JOB_ID environment variable. "
			    "Expired or invalid job %u", req->job_id);
		} else if (code == BERTH_EGRES &&
		    strcmp(text, berth_strerror(code)) != 0) {
			/* The daemon's reason first, as Slurm's srun. */
			cli_err("%s", text);
			cli_err("Unable to create step for job %u: %s",
			    req->job_id, berth_strerror(code));
		} else
			cli_err("Unable to create step for job %u: %s",
			    req->job_id, text);
		free(text);
		goto fail;
	}
	if (rtype != MSG_STEP_CREATED || proto_job_get(&resp, j) == -1) {
		cli_err("unexpected reply %u from berth daemon", rtype);
		goto fail;
	}
	if (proto_step_get(&resp, st) == -1) {
		job_free(j);
		cli_err("bad reply from berth daemon");
		goto fail;
	}
	grant_tail(sc, &resp);
	if (resp.err || msg_end(&resp) == -1) {
		step_free(st);
		job_free(j);
		cli_err("bad reply from berth daemon");
		goto fail;
	}
	if (pending && !sc->quiet)
		cli_warn("Step created for StepId=%u.%u", st->job_id,
		    st->step_id);
	msg_free(&resp);
	return 0;
fail:
	msg_free(&resp);
	step_client_close();
	return -1;
}

/* One request whose answer is MSG_OK. */
static int
simple(uint16_t type, const struct msg *m)
{
	struct msg resp;
	uint16_t rtype;
	uint32_t code;
	char *cause = NULL, *text = NULL;
	int rc = 0;

	msg_init(&resp);
	if (call(type, m, &rtype, &resp, &cause) == -1) {
		cli_err("%s", cause);
		free(cause);
		rc = -1;
	} else if (rtype == MSG_ERROR) {
		get_error(&resp, &code, &text);
		cli_err("%s", text);
		free(text);
		rc = -1;
	} else if (rtype != MSG_OK) {
		cli_err("unexpected reply %u from berth daemon", rtype);
		rc = -1;
	}
	msg_free(&resp);
	return rc;
}

int
step_launched(uint32_t job_id, uint32_t step_id, pid_t pgid)
{
	struct msg m;
	int rc;

	msg_init(&m);
	msg_put_u32(&m, job_id);
	msg_put_u32(&m, step_id);
	msg_put_u32(&m, (uint32_t)pgid);
	rc = simple(MSG_STEP_LAUNCHED, &m);
	msg_free(&m);
	return rc;
}

int
step_complete(const struct step *fin)
{
	struct msg m;
	int rc;

	msg_init(&m);
	proto_step_put(&m, fin);
	rc = simple(MSG_STEP_COMPLETE, &m);
	msg_free(&m);
	return rc;
}

int
step_release(uint32_t job_id, int status, const struct step *fin)
{
	struct msg m;
	int rc;

	msg_init(&m);
	msg_put_u32(&m, job_id);
	msg_put_u32(&m, (uint32_t)status);
	msg_put_u32(&m, fin != NULL ? RELEASE_F_STEP : 0);
	if (fin != NULL)
		proto_step_put(&m, fin);
	rc = simple(MSG_ALLOC_RELEASE, &m);
	msg_free(&m);
	return rc;
}
