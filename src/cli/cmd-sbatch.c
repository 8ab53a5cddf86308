/* SPDX-License-Identifier: MIT */
/*
 * sbatch: submit a batch script.  The order of work is Slurm 22.05's, so
 * that the same mistakes produce the same first error:
 *
 *   1. argv, early pass: --help/--usage/--version/--quiet/--verbose/--wrap,
 *      and the position of the script (the first non-option);
 *   2. the script: --wrap's, the named file, or standard input; Slurm's
 *      checks ("Unable to open file", "Batch script is empty!", no "#!");
 *   3. #SBATCH lines, then SBATCH_* variables, then argv again: each later
 *      source overrides the earlier (opt.c keeps the precedence);
 *   4. cross-option checks, the job description, MSG_SUBMIT;
 *   5. "Submitted batch job N" (or "N" with --parsable), and with -W wait
 *      for the job on a second connection and exit with its exit code.
 *
 * One difference in order: when the command line itself is malformed
 * (unknown option, missing value) that is reported before the script is
 * read, so sbatch never waits on a terminal's stdin only to fail.
 *
 * Exit status: 255 for option errors, 1 for everything else that fails
 * (script problems, rejections by the daemon), as Slurm.
 *
 * The job's environment is computed here, as Slurm's sbatch does, from
 * --export: ALL (default) is the whole environment; NONE keeps only SLURM_*
 * variables and asks for the user's login environment underneath
 * (SLURM_GET_USER_ENV=1 and JOB_F_EXPORT_NONE, which the supervisor
 * honours); a list adds the named variables (from the environment, or
 * NAME=value) to the SLURM_* ones and also asks for the login environment
 * (16_sbatch_export: --export=FOO=bar sees the login PATH), unless the
 * list contains ALL, which adds everything.  sbatch adds
 * SLURM_SUBMIT_DIR, SLURM_SUBMIT_HOST (gethostname, as Slurm),
 * SLURM_PRIO_PROCESS, SLURM_UMASK, SLURM_RLIMIT_*, SLURM_GPUS,
 * SLURM_GPUS_PER_NODE and SLURM_GPUS_PER_TASK (--gpus... as given, not
 * --gres; inherited ones dropped: gpu_env_export) and, when --export was
 * given, SLURM_EXPORT_ENV.
 *
 * Resource limits: as Slurm's default PropagateResourceLimits=ALL, the
 * soft limit of each of the ten rlimits Slurm knows goes into
 * SLURM_RLIMIT_<NAME>; --propagate=NONE sends none, --propagate=LIST only
 * those (with "RLIMIT_" or without), and any --propagate marks them with
 * a "U" (asked for by the user); none with --get-user-env.  The supervisor applies them to the job,
 * up to its hard limits, and removes the variables (src/jobsup/env.c).
 *
 * Rejections: the daemon's MSG_ERROR carries an error code and a text.  A
 * text other than the code's standard words is the daemon's detail (like
 * slurmctld's err_msg) and is printed first, then "Batch job submission
 * failed: <standard words>".  When the daemon sends no detail, the two
 * details Slurm prints for the cases in 02_sbatch_errors are added here:
 * "invalid partition specified: P" and, for a node-configuration error on
 * a request with a memory option, "Memory specification can not be
 * satisfied".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/envidx.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/spec.h"
#include "cli.h"
#include "opt.h"
#include "script.h"
#include "step-client.h"

extern char **environ;

/*
 * A job environment being built: "NAME=value" strings in the order first
 * set, indexed by name.  The strings are not v's: those of environ are
 * used where they are (nothing changes environ once it is built; copies
 * were most of sbatch's heap with a few hundred variables), those made
 * here are kept in own, for env_free.
 */
struct envv {
	char		**v;
	size_t		  n;
	size_t		  cap;		/* room in v, its NULL included */
	char		**own;
	size_t		  nown;
	struct envidx	  idx;
};

static void	 print_lines(const char *);
static int	 print_opt_err(struct opt_err *);
static char	*abs_path(const char *, const char *);
static char	*current_dir(void);
static size_t	 env_name_len(const char *);
static void	 env_reserve(struct envv *, size_t);
static void	 env_free(struct envv *);
static char	*env_own(struct envv *, char *);
static void	 env_take(struct envv *, char *, size_t);
static void	 env_put(struct envv *, const char *);
static void	 env_join(struct envv *, const char *, const char *,
		    const char *);
static void	 env_set(struct envv *, const char *, const char *);
static void	 env_merge(struct envv *, bool);
static bool	 export_item(struct envv *, const char *);
static int	 build_env(const struct opts *, const char *,
		    struct envv *, struct job_desc *);
static int	 extra_env(const struct opts *, struct envv *);
static void	 print_rejection(const struct job_desc *, uint32_t,
		    const char *);
static int	 submit(struct opts *, struct job_desc *);
static int	 wait_job(uint32_t);

/* Print a '\n'-separated message as "sbatch: error: " lines. */
static void
print_lines(const char *text)
{
	const char *p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL) {
			cli_err("%s", p);
			break;
		}
		cli_err("%.*s", (int)(nl - p), p);
		p = nl + 1;
	}
}

static int
print_opt_err(struct opt_err *err)
{
	int status = err->status != 0 ? err->status : 255;

	if (err->text != NULL)
		fputs(err->text, stderr);
	opt_err_free(err);
	return status;
}

/* path made absolute against dir (Slurm's make_full_path: no cleanup). */
static char *
abs_path(const char *dir, const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	if (strcmp(dir, "/") == 0)
		return xprintf("/%s", path);
	return xprintf("%s/%s", dir, path);
}

/*
 * getcwd(NULL, 0), but in a heap buffer grown as needed: musl's has the
 * kernel write the path into a PATH_MAX array on the stack, 4 KB below
 * sbatch's frames, a page the start of sbatch touches for nothing else.
 */
static char *
current_dir(void)
{
	size_t size = 256;
	char *buf;
	int err;

	for (;;) {
		buf = xmalloc(size);
		if (getcwd(buf, size) != NULL)
			return buf;
		err = errno;
		free(buf);
		if (err != ERANGE) {
			errno = err;
			return NULL;
		}
		size *= 2;
	}
}

static size_t
env_name_len(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq != NULL ? (size_t)(eq - kv) : strlen(kv);
}

/* Room for more variables, in the vector and in its index. */
static void
env_reserve(struct envv *e, size_t more)
{
	if (e->n + more + 1 > e->cap) {
		e->cap = e->n + more + 1;
		e->v = xreallocarray(e->v, e->cap, sizeof *e->v);
	}
	envidx_reserve(&e->idx, e->v, e->n, e->n + more);
}

static void
env_free(struct envv *e)
{
	for (size_t i = 0; i < e->nown; i++)
		free(e->own[i]);
	free(e->own);
	free(e->v);
	envidx_free(&e->idx);
	memset(e, 0, sizeof *e);
}

/* s, a string on the heap, is the environment's to free. */
static char *
env_own(struct envv *e, char *s)
{
	e->own = xreallocarray(e->own, e->nown + 1, sizeof *e->own);
	e->own[e->nown++] = s;
	return s;
}

/*
 * Set kv, a "NAME=value" string that lives as long as the environment,
 * whose name is its first len bytes, replacing an earlier NAME in place.
 */
static void
env_take(struct envv *e, char *kv, size_t len)
{
	size_t i;

	if (e->n + 2 > e->cap) {
		e->cap = 2 * e->cap + 16;
		e->v = xreallocarray(e->v, e->cap, sizeof *e->v);
	}
	e->v[e->n] = kv;
	if ((i = (size_t)envidx_put(&e->idx, e->v, e->n + 1, len)) < e->n)
		e->v[i] = kv;
	else
		e->n++;
	e->v[e->n] = NULL;
}

/* Set a copy of kv. */
static void
env_put(struct envv *e, const char *kv)
{
	env_take(e, env_own(e, xstrdup(kv)), env_name_len(kv));
}

/*
 * Set <prefix><name>=<value>.  The variables sbatch sets are joined so,
 * and their numbers formatted by fmt_decimal(), without printf, whose cost
 * in musl was a third of sbatch's own instructions.
 */
static void
env_join(struct envv *e, const char *prefix, const char *name,
    const char *value)
{
	size_t plen = strlen(prefix), nlen = strlen(name);
	size_t vlen = strlen(value);
	char *kv = xmalloc(plen + nlen + vlen + 2);

	memcpy(kv, prefix, plen);
	memcpy(kv + plen, name, nlen);
	kv[plen + nlen] = '=';
	memcpy(kv + plen + nlen + 1, value, vlen + 1);
	env_take(e, env_own(e, kv), plen + nlen);
}

static void
env_set(struct envv *e, const char *name, const char *value)
{
	env_join(e, "", name, value);
}


static void
env_merge(struct envv *e, bool slurm_only)
{
	const char *eq;
	size_t n = 0;

	while (environ[n] != NULL)
		n++;
	env_reserve(e, n);
	for (char **p = environ; *p != NULL; p++)
		if ((eq = strchr(*p, '=')) != NULL &&
		    (!slurm_only || strncmp(*p, "SLURM_", 6) == 0))
			env_take(e, *p, (size_t)(eq - *p));
}

/*
 * One --export list item: "ALL", "NAME" (its current value, if set) or
 * "NAME=value" (quotes around the value removed).  Returns true for ALL.
 */
static bool
export_item(struct envv *e, const char *item)
{
	const char *eq = strchr(item, '='), *val;
	size_t vlen;

	if (strcasecmp(item, "ALL") == 0) {
		env_merge(e, false);
		return true;
	}
	if (eq == NULL) {
		if ((val = getenv(item)) != NULL)
			env_set(e, item, val);
		return false;
	}
	val = eq + 1;
	vlen = strlen(val);
	if (vlen >= 2 && (val[0] == '"' || val[0] == '\'') &&
	    val[vlen - 1] == val[0]) {
		char *kv = xprintf("%.*s=%.*s", (int)(eq - item), item,
		    (int)(vlen - 2), val + 1);

		env_take(e, env_own(e, kv), (size_t)(eq - item));
	} else
		env_put(e, item);
	return false;
}

/*
 * Which limits --propagate names (Slurm's parse_rlimits: ALL, NONE or a
 * list of names, case as given, "RLIMIT_" optional, separated by commas
 * or blanks).  Without the option, all.  -1 and the error printed for an
 * unknown name.
 */
static int
propagated(const char *arg, bool *on)
{
	char *copy, *tok, *last;
	bool all = arg == NULL || strcmp(arg, "ALL") == 0;
	size_t i;

	for (i = 0; i < SPEC_NRLIMITS; i++)
		on[i] = all;
	if (all || strcmp(arg, "NONE") == 0)
		return 0;
	copy = xstrdup(arg);
	for (tok = strtok_r(copy, ", \t\n", &last); tok != NULL;
	    tok = strtok_r(NULL, ", \t\n", &last)) {
		if (strncmp(tok, "RLIMIT_", 7) == 0)
			tok += 7;
		for (i = 0; i < SPEC_NRLIMITS; i++)
			if (strcmp(tok, spec_rlimits[i].name) == 0)
				break;
		if (i == SPEC_NRLIMITS) {
			cli_err("Bad rlimit name: %s", tok);
			cli_err("--propagate=%s is not valid.", arg);
			free(copy);
			return -1;
		}
		on[i] = true;
	}
	free(copy);
	return 0;
}

/* SLURM_RLIMIT_<NAME>=[U]<soft limit> for each limit propagated. */
static int
put_rlimits(struct envv *e, const char *arg)
{
	bool on[SPEC_NRLIMITS];
	struct rlimit rl;
	char num[32], *v;

	if (propagated(arg, on) == -1)
		return -1;
	for (size_t i = 0; i < SPEC_NRLIMITS; i++) {
		if (!on[i])
			continue;
		if (getrlimit(spec_rlimits[i].resource, &rl) == -1) {
			cli_err("getrlimit (RLIMIT_%s): %s",
			    spec_rlimits[i].name, strerror(errno));
			continue;
		}
		v = fmt_decimal(num + sizeof num - 1,
		    (unsigned long long)rl.rlim_cur);
		if (arg != NULL)
			*--v = 'U';
		env_join(e, "SLURM_RLIMIT_", spec_rlimits[i].name, v);
	}
	return 0;
}

/* The job's environment, built in e (for env_free) and shown by d->env. */
static int
build_env(const struct opts *o, const char *cwd, struct envv *e,
    struct job_desc *d)
{
	const char *exp = o->export_env;
	bool user_env = o->get_user_env;
	char host[256], num[32], *v;
	mode_t mask;
	int prio, rc;

	if (exp == NULL || strcasecmp(exp, "ALL") == 0)
		env_merge(e, false);
	else if (strcasecmp(exp, "NONE") == 0) {
		env_merge(e, true);
		user_env = true;
		d->job.flags |= JOB_F_EXPORT_NONE;
	} else {
		struct buf item;
		bool all = false;
		char q = '\0';

		/* split at commas outside quotes (Slurm's find_quote_token) */
		buf_init(&item);
		for (const char *p = exp;; p++) {
			if (*p == '\0' || (*p == ',' && q == '\0')) {
				if (item.len > 0 && export_item(e, item.data))
					all = true;
				buf_reset(&item);
				if (*p == '\0')
					break;
				continue;
			}
			if (q == '\0' && (*p == '"' || *p == '\''))
				q = *p;
			else if (*p == q)
				q = '\0';
			buf_addc(&item, *p);
		}
		buf_free(&item);
		env_merge(e, true);
		if (!all) {
			/* like NONE: the login environment underneath */
			user_env = true;
			d->job.flags |= JOB_F_EXPORT_NONE;
		}
	}
	if (exp != NULL)
		env_set(e, "SLURM_EXPORT_ENV", exp);
	if (user_env)
		env_put(e, "SLURM_GET_USER_ENV=1");

	env_set(e, "SLURM_SUBMIT_DIR", cwd);
	if (gethostname(host, sizeof host) == 0) {
		host[sizeof host - 1] = '\0';
		env_set(e, "SLURM_SUBMIT_HOST", host);
	}
	errno = 0;
	prio = getpriority(PRIO_PROCESS, 0);
	if (prio != -1 || errno == 0) {
		v = fmt_decimal(num + sizeof num - 1,
		    prio < 0 ? -(unsigned long long)prio : (unsigned)prio);
		if (prio < 0)
			*--v = '-';
		env_set(e, "SLURM_PRIO_PROCESS", v);
	}
	/* Slurm's sbatch sets it for the job (checked: SLURM_NTASKS_PER_NODE=2
	 * with --ntasks-per-node=2), and srun inside reads it. */
	if (o->src[OPT_ID_NTASKS_PER_NODE] && o->ntasks_per_node > 0) {
		env_set(e, "SLURM_NTASKS_PER_NODE",
		    fmt_decimal(num + sizeof num - 1, o->ntasks_per_node));
	}
	if (getenv("SLURM_UMASK") == NULL) {
		mask = umask(0);
		umask(mask);
		/* "0%o%o%o" */
		num[0] = '0';
		num[1] = (char)('0' + ((mask >> 6) & 07));
		num[2] = (char)('0' + ((mask >> 3) & 07));
		num[3] = (char)('0' + (mask & 07));
		num[4] = '\0';
		env_set(e, "SLURM_UMASK", num);
	}
	/* As Slurm's sbatch, not with --get-user-env (the login's limits
	 * are the user's choice then). */
	rc = o->get_user_env ? 0 : put_rlimits(e, o->propagate);
	if (rc == 0)
		rc = extra_env(o, e);
	d->env = e->v;
	return rc;
}

/*
 * The variables of the options of scripts written for a cluster, as
 * Slurm's sbatch sets them (checked on 22.05.8): SLURM_CONTAINER,
 * SLURM_NTASKS_PER_GPU, SLURM_GPUS_PER_SOCKET; and --export-file's
 * variables ("NAME=value" separated by NULs, or else by newlines; a
 * number is a file descriptor), not with --export=NONE.
 */
static int
extra_env(const struct opts *o, struct envv *e)
{
	struct buf b;
	char chunk[4096], num[16], *end;
	const char *p, *stop;
	ssize_t n;
	long fd;
	bool own = true, nul;

	if (o->container != NULL)
		env_set(e, "SLURM_CONTAINER", o->container);
	if (o->src[OPT_ID_NTASKS_PER_GPU]) {
		snprintf(num, sizeof num, "%u", o->ntasks_per_gpu);
		env_set(e, "SLURM_NTASKS_PER_GPU", num);
	}
	if (o->gpus_per_socket != NULL)
		env_set(e, "SLURM_GPUS_PER_SOCKET", o->gpus_per_socket);
	if (o->export_file == NULL || (o->export_env != NULL &&
	    strcasecmp(o->export_env, "NONE") == 0))
		return 0;

	fd = strtol(o->export_file, &end, 10);
	if (*end == '\0' && end != o->export_file && fd >= 0)
		own = false;
	else if ((fd = open(o->export_file, O_RDONLY | O_CLOEXEC)) == -1) {
		cli_err("Could not open user environment file %s",
		    o->export_file);
		return -1;
	}
	buf_init(&b);
	while ((n = read((int)fd, chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)n);
	if (n == -1 || b.len == 0) {
		cli_err("Could not open user environment file %s",
		    o->export_file);
		if (own)
			close((int)fd);
		buf_free(&b);
		return -1;
	}
	if (own)
		close((int)fd);
	nul = memchr(b.data, '\0', b.len) != NULL;
	for (p = b.data; p < b.data + b.len; p = stop + 1) {
		stop = memchr(p, nul ? '\0' : '\n',
		    (size_t)(b.data + b.len - p));
		if (stop == NULL)
			stop = b.data + b.len;
		if (stop > p && memchr(p, '=', (size_t)(stop - p)) != NULL) {
			char *kv = xstrndup(p, (size_t)(stop - p));

			env_put(e, kv);
			free(kv);
		}
	}
	buf_free(&b);
	return 0;
}

static void
print_rejection(const struct job_desc *d, uint32_t code, const char *text)
{
	const char *std = berth_strerror(code);

	if (text != NULL && *text != '\0' && strcmp(text, std) != 0)
		cli_err("%s", text);
	else if (code == BERTH_EINVALID_PARTITION && d->job.partition != NULL)
		cli_err("invalid partition specified: %s", d->job.partition);
	else if (code == BERTH_ENODE_CONFIG && (d->job.flags & JOB_F_MEM_SET))
		cli_err("Memory specification can not be satisfied");
	cli_err("Batch job submission failed: %s", std);
}

static int
submit(struct opts *o, struct job_desc *d)
{
	struct msg req, resp;
	uint16_t rtype;
	uint32_t code = 0, id;
	char *errtext = NULL;
	int r, rc = 0;

	msg_init(&req);
	msg_init(&resp);
	proto_job_desc_put(&req, d);
	/* A full queue (MaxJobCount): Slurm's sbatch retries for 120 s. */
	r = client_request_retry(MSG_SUBMIT, &req, &rtype, &resp, &code,
	    &errtext, "Slurm temporarily unable to accept job, sleeping and "
	    "retrying", 15);
	msg_free(&req);
	if (r == -1) {
		rc = 1;
		goto out;
	}
	if (r == 1) {
		if (d->test_only)
			fprintf(stderr, "allocation failure: %s\n", errtext);
		else
			print_rejection(d, code, errtext);
		rc = 1;
		goto out;
	}
	if (rtype != MSG_SUBMITTED) {
		cli_err("Batch job submission failed: unexpected reply %u "
		    "from berth daemon", rtype);
		rc = 1;
		goto out;
	}
	if (client_submitted(&resp, d, &id) == -1) {
		cli_err("Batch job submission failed: bad reply from berth "
		    "daemon");
		rc = 1;
		goto out;
	}
	if (d->test_only)
		goto out;
	if (o->quiet == 0 && o->clusters != NULL) {
		/* -M: the name of the cluster, as Slurm (one cluster) */
		if (o->parsable)
			printf("%u;%s\n", id, o->clusters);
		else
			printf("Submitted batch job %u on cluster %s\n", id,
			    o->clusters);
	} else if (o->quiet == 0) {
		if (o->parsable)
			printf("%u\n", id);
		else
			printf("Submitted batch job %u\n", id);
	}
	fflush(stdout);
	if (o->wait)
		rc = wait_job(id);
out:
	free(errtext);
	msg_free(&resp);
	return rc;
}

/*
 * -W: ask for MSG_JOB_DONE on a new connection.  The exit status is
 * job_wait_code's: the job's exit code, 1 if it was killed by a signal
 * (03_sbatch_wait).  Replies for other ids (array tasks, and the worst
 * task already over when the wait began) are folded in, keeping the
 * highest code, until the job's own.
 */
static int
wait_job(uint32_t id)
{
	struct client *c;
	struct msg req, resp;
	uint16_t rtype;
	char *cause = NULL;
	int worst = -1, r;

	if ((c = client_open(&cause)) == NULL) {
		cli_err("%s", cause);
		free(cause);
		return 1;
	}
	msg_init(&req);
	msg_init(&resp);
	msg_put_u32(&req, id);
	r = client_call(c, MSG_JOB_WAIT, &req, &rtype, &resp, &cause);
	msg_free(&req);
	while (r == 0) {
		if (rtype == MSG_JOB_DONE) {
			uint32_t jid = msg_get_u32(&resp);
			uint32_t state = msg_get_u32(&resp);
			int32_t status = (int32_t)msg_get_u32(&resp);
			int ec;

			if (msg_end(&resp) == -1) {
				cli_err("bad reply from berth daemon");
				worst = 1;
				break;
			}
			ec = job_wait_code(state, status);
			if (ec > worst)
				worst = ec;
			if (jid == id)
				break;
		} else if (rtype == MSG_ERROR) {
			uint32_t code = msg_get_u32(&resp);
			char *text = msg_get_str(&resp);

			cli_err("%s", text != NULL ? text :
			    berth_strerror(code));
			free(text);
			worst = 1;
			break;
		} else {
			cli_err("unexpected reply %u from berth daemon", rtype);
			worst = 1;
			break;
		}
		msg_free(&resp);
		msg_init(&resp);
		r = client_recv(c, &rtype, &resp, &cause);
	}
	if (r == -1) {
		if (worst == -1) {
			cli_err("%s", cause);
			worst = 1;
		}
		free(cause);
	}
	msg_free(&resp);
	client_close(c);
	return worst < 0 ? 1 : worst;
}

int
cmd_sbatch(int argc, char **argv)
{
	struct opts o;
	struct opt_err err = { 0, NULL, false };
	struct envv env = { NULL, 0, 0, NULL, 0, { NULL, 0 } };
	struct job_desc d;
	struct buf line;
	char *text = NULL, *cause = NULL, **tokens = NULL, **sv, *cwd;
	const char *path = NULL;
	size_t len = 0, ntok;
	int first, first2, nargs, resolved, rc = 1;

	opt_init(&o, OPT_SBATCH);
	job_desc_init(&d);

	/* 1. early options; where the script is */
	switch (opt_parse_argv(&o, argc, argv, OPT_SRC_ARGV, OPT_PASS_EARLY,
	    &first, &err)) {
	case -1:
		rc = print_opt_err(&err);
		goto out;
	case 1:
		/*
		 * A malformed command line: report it now rather than after
		 * reading the script (Slurm reads first, and would sit on a
		 * terminal's stdin when "-J" lacks its value).
		 */
		if (opt_parse_argv(&o, argc, argv, OPT_SRC_ARGV,
		    OPT_PASS_MAIN, &first2, &err) == -1) {
			rc = print_opt_err(&err);
			goto out;
		}
		break;
	}
	if (opt_run_action(&o, stdout, BERTH_VERSION_LINE)) {
		rc = 0;
		goto out;
	}
	nargs = argc - first;
	if (o.wrap != NULL && nargs > 0) {
		cli_err("Script arguments not permitted with --wrap option");
		goto out;
	}

	/* 2. the script */
	if (o.wrap != NULL) {
		text = script_wrap(o.wrap);
		len = strlen(text);
	} else {
		path = nargs > 0 ? argv[first] : NULL;
		if (script_read(path, &text, &len, &cause) == -1 ||
		    script_check(text, len, &cause) == -1) {
			print_lines(cause);
			goto out;
		}
	}

	/* 3. #SBATCH lines, SBATCH_* variables, the command line */
	if (script_directives(text, len, "#SBATCH",
	    path != NULL ? path : "stdin", &tokens, &cause) == -1) {
		print_lines(cause);
		rc = 255;
		goto out;
	}
	ntok = strv_len(tokens);
	if (ntok > 0) {
		sv = xcalloc(ntok + 2, sizeof *sv);
		sv[0] = argv[0];
		memcpy(sv + 1, tokens, ntok * sizeof *sv);
		if (opt_parse_argv(&o, (int)ntok + 1, sv, OPT_SRC_SCRIPT,
		    OPT_PASS_MAIN, &first2, &err) == -1) {
			free(sv);
			rc = print_opt_err(&err);
			goto out;
		}
		free(sv);
	}
	if (opt_apply_env(&o, &err) == -1 ||
	    opt_parse_argv(&o, argc, argv, OPT_SRC_ARGV, OPT_PASS_MAIN,
	    &first2, &err) == -1) {
		rc = print_opt_err(&err);
		goto out;
	}
	resolved = opt_resolve(&o, &err);
	if (resolved == -1 && !err.late) {
		rc = print_opt_err(&err);
		goto out;
	}

	/* -M: Slurm's lines for names berth is not; exit 1 if none is */
	if (o.clusters != NULL) {
		char *name;

		if (client_clusters_check(o.clusters, &name) == -1)
			goto out;
		free(o.clusters);
		o.clusters = name;
	}
	opt_extra_warnings(&o, stderr);

	/* 4. the job description (-v's table precedes Slurm's GPU checks) */
	if ((cwd = current_dir()) == NULL) {
		cli_err("getcwd failed: %s", strerror(errno));
		goto out;
	}
	if (o.verbose > 0)
		opt_print_set(&o, stderr, cwd);
	if (resolved == -1) {
		free(cwd);
		rc = print_opt_err(&err);
		goto out;
	}
	opt_fill_job(&o, &d.job);
	job_desc_gpu_type(&d, &o);
	d.job.workdir = o.chdir != NULL ? abs_path(cwd, o.chdir) :
	    xstrdup(cwd);
	if (o.job_name != NULL)
		d.job.name = xstrdup(o.job_name);
	else if (o.wrap != NULL)
		d.job.name = xstrdup("wrap");
	else if (path != NULL) {
		const char *base = strrchr(path, '/');

		d.job.name = xstrdup(base != NULL ? base + 1 : path);
	} else
		d.job.name = xstrdup("sbatch");
	if (o.output != NULL)
		d.job.std_out = abs_path(d.job.workdir, o.output);
	if (o.error != NULL)
		d.job.std_err = abs_path(d.job.workdir, o.error);
	if (o.input != NULL)
		d.job.std_in = abs_path(d.job.workdir, o.input);
	if (path != NULL)
		d.job.command = abs_path(cwd, path);
	if (o.wrap != NULL)
		d.job.flags |= JOB_F_WRAP;
	d.job.uid = getuid();
	d.job.gid = getgid();
	buf_init(&line);
	for (int i = 0; i < argc; i++) {
		if (i > 0)
			buf_addc(&line, ' ');
		buf_adds(&line, argv[i]);
	}
	d.job.submit_line = buf_steal(&line);

	d.script = text;
	text = NULL;
	d.argv = xcalloc((size_t)(nargs > 1 ? nargs : 1), sizeof *d.argv);
	for (int i = 1; i < nargs; i++)
		d.argv[i - 1] = xstrdup(argv[first + i]);
	d.array = xstrdup0(o.array);
	d.test_only = o.test_only;
	d.wait = o.wait;
	if (gpu_env_export(&o) == -1 || build_env(&o, cwd, &env, &d) == -1) {
		free(cwd);
		rc = 1;
		goto out;
	}
	free(cwd);

	/* 5. submit, report, maybe wait */
	rc = submit(&o, &d);
out:
	free(text);
	free(cause);
	strv_free(tokens);
	d.env = NULL;		/* env's vector, its strings not d's */
	env_free(&env);
	job_desc_free(&d);
	opt_free(&o);
	opt_err_free(&err);
	return rc;
}
