/* SPDX-License-Identifier: MIT */
/*
 * Starting, watching and re-adopting supervisors (berth-jobsup), one per
 * running job; see src/proto/spec.h for the job file contract.
 *
 * Launch: the job is committed RUNNING before it runs (the first job of
 * an iteration is handed over just before that commit and told to go
 * after it: supervise_prelaunch() below).  We write the script to
 * <jobs>/<id>.sh, create the job file <jobs>/<id>, take an exclusive flock
 * on it, write the spec into it, and start the supervisor in its own
 * session with the job file as fd 3 (forked by the zygote, below, or
 * posix_spawned), so the lock is held exactly as long as a supervisor
 * has the job.  Its socket ("d", or its end) or a pidfd tells us when
 * the job is over; the result it recorded in the job file says how the
 * job ended.
 *
 * Control signals (cancel, requeue, signals, time limits) go through
 * pidfds, never by a bare pid (sup_signal()).  We are a child subreaper:
 * what a dead supervisor leaves comes to us and is killed
 * (orphans_kill()); what a re-adopted one leaves goes to the zygote that
 * forked it, and we kill it there (leftovers(), leftovers.c).
 *
 * Recovery after a daemon restart, for each job the store says RUNNING:
 *   no job file                -> never launched: back to PENDING
 *   lock held by someone       -> supervisor alive: adopt it via its pid
 *   lock free, result present  -> it finished while we were away: collect
 *   lock free, job pid only    -> supervisor died mid-job: kill what is
 *                                 left of its process group (by pidfd),
 *                                 NODE_FAIL or pending again if
 *                                 requeueable
 *   lock free, nothing         -> the job never started: back to PENDING
 * So no job is lost, none runs twice, none stays RUNNING forever.
 *
 * Supervisor zygote: one `berth-jobsup -w ...` is kept started (our child,
 * see zyg_spawn()).  Asked with one byte, it forks an idle supervisor and
 * sends us its pid, a pidfd of it and a socket to it (src/jobsup/
 * zygote.c); a launch hands an idle supervisor the job file's path and
 * descriptor over that socket.  So a job's start costs no posix_spawn
 * here, no exec and no C library start-up, and the fork happens while no
 * job waits (docs/performance.md).  The supervisor is then an ordinary
 * one (same fd 3, same shared flock, same arguments, own session) but
 * not our child: we watch it through its socket, the zygote reaps it,
 * and its result is in the job file as before, so recovery and
 * re-adoption are unchanged.  After its job it says "d" on the socket
 * and is idle again (sup_done()): the zygote forks only when none is.  A
 * job only ever goes to a supervisor whose pid we hold.  If there is no
 * idle one (the zygote is gone, or does not answer within 5 s and is
 * killed), the launch spawns as before and the zygote is started again
 * afterwards (after three zygotes in a row that forked nothing, only
 * after a back-off: zyg_fail()).  When the daemon goes away the idle
 * supervisors see their sockets close and exit; the supervisors with
 * jobs carry on, and the zygote stays as long as they do (a child
 * subreaper then: src/jobsup/zygote.c).
 *
 * Spare files: a finished job's two files are not unlinked but kept under
 * their names as spares, and a later launch renames one into service (see
 * spare_take()).  Recovery reads only the files of running jobs; a
 * starting daemon removes the others a previous run left.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/spec.h"
#include "daemon.h"
#include "leftovers.h"

extern char **environ;

static char *
job_file(uint32_t id)
{
	return xprintf("%s/%u", D->jobs_dir, id);
}

static char *
job_script(uint32_t id)
{
	return xprintf("%s/%u.sh", D->jobs_dir, id);
}

/*
 * Spare job files and scripts.  Creating a file allocates an inode, and
 * ext4 without a journal (the project's VM) makes the allocator step over
 * every inode of the group freed in the last 5 s (305 s while its inode
 * table block is dirty), one buffer lookup each: at hundreds of jobs per
 * second every create walked thousands of them, and creating and
 * unlinking two files per job was a third of the daemon's CPU time
 * (ext4 recently_deleted() in perf; docs/performance.md).  So the files of
 * an ended job become spares once its end is committed, under the names
 * they have, and a launch renames a spare to its own names (open,
 * overwrite, rename: no inode is allocated or freed).  A job started again
 * (requeued) takes its own files back, so a spare's name is never a
 * running job's.  A spare script is reused only for a job whose script would
 * have the same owner: the previous owner may still hold it open (the
 * jobs directory may be searchable, see share_daemon in tests/e2e) and
 * must not be able to write somebody else's job.  At most SPARE_MAX of
 * each are kept; beyond that files are unlinked as before.
 */
#define SPARE_MAX	64

struct spare {
	uint32_t	 id;		/* the job it came from: its names */
	uid_t		 owner;		/* scripts: the file's owner */
};
static struct spare	 spare_job[SPARE_MAX];
static struct spare	 spare_sh[SPARE_MAX];
static uint32_t		 nspare_job;
static uint32_t		 nspare_sh;
static bool		 spares_swept;
/* The script owner of each entry of D->doomed (same index). */
static uid_t		*doomed_owner;
static uint32_t		 doomed_owner_cap;

/* The owner of a job's script: the job's user when a root daemon runs a
 * job of somebody else (write_files() chowns it), else ourselves. */
static uid_t
script_owner(const struct job_head *j)
{
	uid_t me = geteuid();

	return me == 0 && j->uid != 0 ? (uid_t)j->uid : me;
}

/*
 * Once per daemon: remove the spares an earlier run left behind, and the
 * files of jobs that are no longer running (a daemon killed between the
 * commit of their end and supervise_files_flush() left them).  Called at
 * the end of recovery, when every running job holds its job file open.
 */
static void
spares_sweep(void)
{
	struct dirent *de;
	struct djob *dj;
	unsigned long id;
	char *end;
	DIR *d;

	if (spares_swept)
		return;
	spares_swept = true;
	if ((d = opendir(D->jobs_dir)) == NULL) {
		log_warn("opendir %s", D->jobs_dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "spare-", 6) != 0) {
			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			errno = 0;
			id = strtoul(de->d_name, &end, 10);
			if (errno != 0 || id > UINT32_MAX ||
			    (*end != '\0' && strcmp(end, ".sh") != 0))
				continue;
			dj = job_find((uint32_t)id);
			if (dj != NULL && DJ_RT(dj)->jobfd != -1)
				continue;
		}
		if (unlinkat(dirfd(d), de->d_name, 0) == -1 && errno != ENOENT)
			log_warn("unlink %s/%s", D->jobs_dir, de->d_name);
	}
	closedir(d);
}

void
supervise_sweep(void)
{
	spares_sweep();
}

/*
 * Open a spare as job `id`'s file (script: its script), or return -1 if
 * there is none to take.  Scripts need owner `owner`.  The job's own
 * file, left by an earlier attempt, is taken first: it is already in
 * place, and another spare renamed over it would leave its entry naming
 * a live file.  The old contents stay: the caller overwrites them and
 * cuts the file to its new length (truncating to 0 would make ext4 start
 * writeback at the last close, see jobfile_write_spec()).  A job file's
 * header is blanked before the rename, so after a crash recovery reads it
 * as "never started".
 */
static int
spare_take(bool script, uid_t owner, uint32_t id, int flags)
{
	struct spare *sp = script ? spare_sh : spare_job;
	uint32_t *n = script ? &nspare_sh : &nspare_job;
	char *name, *path;
	uint32_t i, from;
	int fd = -1;

	spares_sweep();
	for (i = *n; i > 0; i--)
		if (sp[i - 1].id == id)
			break;
	if (i > 0 && script && sp[i - 1].owner != owner) {
		/* Not ours to write (cannot happen for one job): drop it. */
		sp[i - 1] = sp[--*n];
		path = job_script(id);
		if (unlink(path) == -1 && errno != ENOENT)
			log_warn("job=%u: unlink %s", id, path);
		free(path);
		i = 0;
	}
	while (fd == -1) {
		if (i == 0)
			for (i = *n; i > 0; i--)
				if (!script || sp[i - 1].owner == owner)
					break;
		if (i == 0)
			return -1;
		from = sp[i - 1].id;
		sp[i - 1] = sp[--*n];
		i = 0;
		/* Gone (a launch that failed before writing it): next. */
		name = script ? job_script(from) : job_file(from);
		fd = open(name, flags | O_CLOEXEC);
		if (fd != -1 && !script && jobfile_clear(fd) == -1) {
			log_warn("clear %s", name);
			close(fd);
			fd = -1;
		}
		if (fd != -1 && from != id) {
			path = script ? job_script(id) : job_file(id);
			if (rename(name, path) == -1) {
				log_warn("rename %s to %s", name, path);
				close(fd);
				fd = -1;
			}
			free(path);
		}
		free(name);
	}
	return fd;
}

/*
 * An ended job's file, its end committed: keep it as a spare (where it
 * is), or unlink it.
 */
static void
spare_put(uint32_t id, bool script, uid_t owner)
{
	struct spare *sp = script ? spare_sh : spare_job;
	uint32_t *n = script ? &nspare_sh : &nspare_job;
	char *path;

	for (uint32_t i = 0; i < *n; i++)
		if (sp[i].id == id)
			return;		/* already one (ended twice) */
	if (*n < SPARE_MAX) {
		sp[*n].id = id;
		sp[*n].owner = owner;
		(*n)++;
		return;
	}
	path = script ? job_script(id) : job_file(id);
	if (unlink(path) == -1 && errno != ENOENT)
		log_warn("job=%u: unlink %s", id, path);
	free(path);
}

/*
 * Close our copy of the job file and schedule the job's files for removal
 * once the current transaction has committed: if berthd died before that
 * commit, recovery must still find the job file to know the job ran.
 */
static void
job_files_remove(struct djob *dj)
{
	if (dj->run != NULL && dj->run->jobfd != -1) {
		close(dj->run->jobfd);
		dj->run->jobfd = -1;
	}
	if (D->ndoomed == D->doomed_cap) {
		D->doomed_cap = D->doomed_cap ? D->doomed_cap * 2 : 64;
		D->doomed = xreallocarray(D->doomed, D->doomed_cap,
		    sizeof *D->doomed);
	}
	if (doomed_owner_cap < D->doomed_cap) {
		doomed_owner_cap = D->doomed_cap;
		doomed_owner = xreallocarray(doomed_owner, doomed_owner_cap,
		    sizeof *doomed_owner);
	}
	doomed_owner[D->ndoomed] = script_owner(&dj->j);
	D->doomed[D->ndoomed++] = dj->j.id;
}

void
supervise_files_flush(void)
{
	if (D->ndoomed == 0)
		return;
	spares_sweep();
	for (uint32_t i = 0; i < D->ndoomed; i++) {
		spare_put(D->doomed[i], false, 0);
		spare_put(D->doomed[i], true, doomed_owner[i]);
	}
	D->ndoomed = 0;
}

static int
pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Watch supervisor pid through pidfd fd (taken over), or a new one. */
static int
watch_fd(struct djob *dj, pid_t pid, int fd)
{
	struct epoll_event ee;

	if (fd == -1 && (fd = pidfd_open_(pid)) == -1)
		return -1;
	ee.events = EPOLLIN;
	ee.data.ptr = &djob_rt(dj)->ev;
	if (epoll_ctl(D->epfd, EPOLL_CTL_ADD, fd, &ee) == -1) {
		log_warn("job=%u: epoll_ctl pidfd", dj->j.id);
		close(fd);
		return -1;
	}
	djob_rt(dj)->pidfd = fd;
	djob_rt(dj)->sup_pid = pid;
	return 0;
}

/*
 * The pidfd of each supervisor from the zygote (its answer carries one),
 * by our socket to that supervisor, for as long as we keep the socket:
 * signals to it go through the pidfd (pidfd_signal()), never by a pid
 * that may have passed to another process since it ended, and its end is
 * known for sure (sup_gone()).  The supervisor serves job after job, so
 * this costs no system call per job, only a descriptor per supervisor
 * (at most IDLE_MAX idle ones and one per running job).
 */
static int	*sock_pidfd;
static int	 nsock_pidfd;

static void
sock_pidfd_set(int sock, int pidfd)
{
	int n = nsock_pidfd;

	if (sock >= n) {
		nsock_pidfd = sock + 64;
		sock_pidfd = xreallocarray(sock_pidfd, (size_t)nsock_pidfd,
		    sizeof *sock_pidfd);
		for (int i = n; i < nsock_pidfd; i++)
			sock_pidfd[i] = -1;
	}
	sock_pidfd[sock] = pidfd;
}

static int
sock_pidfd_get(int sock)
{
	return sock >= 0 && sock < nsock_pidfd ? sock_pidfd[sock] : -1;
}

/* Close our socket to a supervisor from the zygote, and its pidfd. */
static void
sock_close(int sock)
{
	int pidfd = sock_pidfd_get(sock);

	if (pidfd != -1) {
		close(pidfd);
		sock_pidfd[sock] = -1;
	}
	close(sock);
}

/* Watch a supervisor from the zygote through our socket to it (taken
 * over): it says "d" when its job is done, and its end closes it. */
static int
watch_sock(struct djob *dj, pid_t pid, int sock)
{
	struct epoll_event ee;

	ee.events = EPOLLIN;
	ee.data.ptr = &djob_rt(dj)->ev;
	if (epoll_ctl(D->epfd, EPOLL_CTL_ADD, sock, &ee) == -1) {
		log_warn("job=%u: epoll_ctl supervisor socket", dj->j.id);
		sock_close(sock);
		return -1;
	}
	djob_rt(dj)->pidfd = sock;
	djob_rt(dj)->sup_pid = pid;
	djob_rt(dj)->sup_pooled = true;
	return 0;
}

static int
watch(struct djob *dj, pid_t pid)
{
	return watch_fd(dj, pid, -1);
}

static void
unwatch(struct djob *dj)
{
	struct djob_run *r = dj->run;

	if (r == NULL)
		return;
	if (r->pidfd != -1) {
		if (epoll_ctl(D->epfd, EPOLL_CTL_DEL, r->pidfd, NULL) == -1)
			log_warn("job=%u: epoll_ctl del pidfd", dj->j.id);
		if (r->sup_pooled)
			sock_close(r->pidfd);
		else
			close(r->pidfd);
	}
	r->pidfd = -1;
	r->sup_pid = 0;
	r->sup_pooled = false;
}

/*
 * The job user's home, shell and groups, for the supervisor, which is a
 * static binary without NSS.  Accounts change, so they are looked up
 * again for every launch, except that the last answer is reused for the
 * same uid and gid within USER_CACHE_MS as long as /etc/passwd and
 * /etc/group are the same files, unchanged: the lookup (reading and
 * parsing both files, ~15 system calls) was a quarter of a launch, on the
 * way to the job's start (docs/performance.md).
 */
#define USER_CACHE_MS	1000

static struct {
	bool		 valid;
	uint32_t	 uid;
	uint32_t	 gid;
	int64_t		 at;
	struct stat	 pw;
	struct stat	 gr;
	char		*home;
	char		*shell;
	uint32_t	*groups;
	uint32_t	 ngroups;
} ucache;

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void
spec_user_copy(struct job_spec *spec, const char *home, const char *shell,
    const uint32_t *groups, uint32_t ngroups)
{
	spec->user_known = 1;
	spec->user_home = xstrdup(home);
	spec->user_shell = xstrdup(shell);
	spec->groups = xcalloc((size_t)ngroups + 1, sizeof *spec->groups);
	memcpy(spec->groups, groups, (size_t)ngroups * sizeof *groups);
	spec->ngroups = ngroups;
}

static void
resolve_user(struct job_spec *spec, const struct job_head *j)
{
	struct passwd pw, *res = NULL;
	struct stat pst, gst;
	char buf[16384];
	gid_t *g = NULL;
	int64_t now = mono_msec();
	bool files;
	int n = 32, want;

	files = stat("/etc/passwd", &pst) == 0 && stat("/etc/group", &gst) == 0;
	if (files && ucache.valid && ucache.uid == j->uid &&
	    ucache.gid == j->gid && now - ucache.at < USER_CACHE_MS &&
	    same_file(&pst, &ucache.pw) && same_file(&gst, &ucache.gr)) {
		spec_user_copy(spec, ucache.home, ucache.shell, ucache.groups,
		    ucache.ngroups);
		return;
	}
	if (getpwuid_r((uid_t)j->uid, &pw, buf, sizeof buf, &res) != 0 ||
	    res == NULL)
		return;
	/* Only a root supervisor starting another user's job sets groups
	 * (jobsup's sup_groups); skip the NSS walk otherwise: it loads every
	 * module of nsswitch.conf's group line (libnss_systemd here, 0.25 MB
	 * resident for good).  The cache's key (uid) keeps this choice. */
	want = 0;
	if (geteuid() == 0 && j->uid != 0)
		for (;;) {
			want = n;
			g = xreallocarray(g, (size_t)n, sizeof *g);
			if (getgrouplist(pw.pw_name, (gid_t)j->gid, g,
			    &want) != -1)
				break;
			n = want > n ? want : n * 2;
		}
	free(ucache.home);
	free(ucache.shell);
	free(ucache.groups);
	ucache.home = xstrdup(pw.pw_dir);
	ucache.shell = xstrdup(pw.pw_shell);
	ucache.groups = xcalloc((size_t)want + 1, sizeof *ucache.groups);
	for (int i = 0; i < want; i++)
		ucache.groups[i] = (uint32_t)g[i];
	ucache.ngroups = (uint32_t)want;
	ucache.uid = j->uid;
	ucache.gid = j->gid;
	ucache.at = now;
	ucache.valid = files;
	if (files) {
		ucache.pw = pst;
		ucache.gr = gst;
	}
	free(g);
	spec_user_copy(spec, ucache.home, ucache.shell, ucache.groups,
	    ucache.ngroups);
}

/*
 * The script, environment and arguments of the jobs submitted in this
 * loop iteration, kept until its end (supervise_drop_data()) so that a
 * job starting at once needs no read of them back from SQLite.  Only for
 * one iteration: a daemon with 10,000 pending jobs must not hold them.
 */
struct kept_data {
	uint32_t	 id;
	char		*script;
	char		**env;
	char		**argv;
};
static struct kept_data	*kept;
static uint32_t		 nkept;
static uint32_t		 kept_cap;

void
supervise_keep_data(uint32_t id, char **script, char ***env, char ***argv)
{
	struct kept_data *k;

	if (*script == NULL)
		return;
	if (nkept == kept_cap) {
		kept_cap = kept_cap ? kept_cap * 2 : 16;
		kept = xreallocarray(kept, kept_cap, sizeof *kept);
	}
	k = &kept[nkept++];
	k->id = id;
	k->script = *script;
	k->env = *env != NULL ? *env : xcalloc(1, sizeof *k->env);
	k->argv = *argv != NULL ? *argv : xcalloc(1, sizeof *k->argv);
	*script = NULL;
	*env = *argv = NULL;
}

void
supervise_drop_data(void)
{
	for (uint32_t i = 0; i < nkept; i++) {
		free(kept[i].script);
		strv_free(kept[i].env);
		strv_free(kept[i].argv);
	}
	nkept = 0;
	if (kept_cap > 64) {
		free(kept);
		kept = NULL;
		kept_cap = 0;
	}
}

/* Whose script a job runs: an array task split off its array runs the
 * array's. */
static uint32_t
data_id(const struct job_head *j)
{
	return j->array_job_id != 0 ? j->array_job_id : j->id;
}

static struct kept_data *
kept_find(uint32_t id)
{
	for (uint32_t i = 0; i < nkept; i++)
		if (kept[i].id == id)
			return &kept[i];
	return NULL;
}

/* Write <id>.sh and the spec into the (locked) job file. */
static int
write_files(struct djob *dj, int fd, char **cause)
{
	struct job_spec spec;
	struct stat sb;
	struct kept_data *k;
	char *script = NULL, **env = NULL, **argv = NULL, *path;
	uint32_t data;
	size_t len;
	bool reused = false;
	int sfd, rc = -1;

	data = data_id(&dj->j);
	if ((k = kept_find(data)) != NULL) {
		script = k->script;
		env = k->env;
		argv = k->argv;
	} else if (store_job_data(D->store, data, &script, &env, &argv,
	    cause) == -1)
		return -1;
	path = job_script(dj->j.id);
	len = strlen(script);
	sfd = spare_take(true, script_owner(&dj->j), dj->j.id, O_WRONLY);
	if (sfd != -1)
		reused = true;
	else
		sfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0700);
	/* A reused script is cut after the new text (not to 0 first). */
	if (sfd == -1 || write_full(sfd, script, len) == -1 || (reused &&
	    (fstat(sfd, &sb) == -1 || (sb.st_size > (off_t)len &&
	    ftruncate(sfd, (off_t)len) == -1)))) {
		xasprintf(cause, "write %s: %s", path, strerror(errno));
		if (sfd != -1)
			close(sfd);
		goto out;
	}
	/* A root daemon runs the job as its owner, who must be able to
	 * execute the script (mode 0700). */
	if (geteuid() == 0 && dj->j.uid != 0 &&
	    fchown(sfd, dj->j.uid, dj->j.gid) == -1) {
		xasprintf(cause, "chown %s: %s", path, strerror(errno));
		close(sfd);
		goto out;
	}
	if (close(sfd) == -1) {
		xasprintf(cause, "close %s: %s", path, strerror(errno));
		goto out;
	}
	memset(&spec, 0, sizeof spec);
	djob_job(dj, &spec.job);	/* borrowed: not freed below */
	spec.env = env;
	spec.argv = argv;
	spec.cluster_name = D->conf.cluster_name;
	spec.node_name = D->conf.node_name;
	spec.submit_host = D->conf.node_name;
	spec.conf_path = D->conf_path;
	spec.daemon_socket = D->socket_path;
	spec.kill_wait = D->conf.kill_wait;
	spec.script_path = path;
	resolve_user(&spec, &dj->j);
	if (jobfile_write_spec(fd, &spec) == -1)
		xasprintf(cause, "write job file %s/%u: %s", D->jobs_dir,
		    dj->j.id, strerror(errno));
	else
		rc = 0;
	free(spec.user_home);
	free(spec.user_shell);
	free(spec.groups);
out:
	free(path);
	if (k == NULL) {
		free(script);
		strv_free(env);
		strv_free(argv);
	}
	return rc;
}

static void	collect(struct djob *, bool);
static void	requeue_later(uint32_t);
static void	orphans_kill(void);
static bool	sup_known_any(pid_t);

/*
 * We are a child subreaper (from our first spawn on): whatever a
 * supervisor of ours leaves when it dies becomes our child, as does a
 * supervisor from the zygote when the zygote dies, and the orphans of such
 * a supervisor after it.  The zygote is one too (src/jobsup/zygote.c):
 * the orphans of its supervisors become its children, and it kills them,
 * as we do (keeper_kill(), leftovers.c).  A supervisor lives
 * in its own session and its job's processes may leave the job's process
 * group, so this is how every process of a job whose supervisor died is
 * found: orphans_kill(), when we see the supervisor's end (its pidfd says
 * so only once its children are handed over) and on SIGCHLD, through a
 * signalfd of our own that the loop watches as if it were a supervisor's
 * pidfd (reaper_ev).  Supervisors rarely die, so this costs nothing per
 * job: SIGCHLD comes only from our own children, which are the zygote
 * and the supervisors spawned without it.
 */
static struct ev	 reaper_ev = { EV_PIDFD };
static int		 reaper_fd = -1;
static bool		 reaper_tried;

static void
reaper_start(void)
{
	struct epoll_event ee;
	sigset_t set;

	if (reaper_tried)
		return;
	reaper_tried = true;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == -1) {
		log_warn("prctl PR_SET_CHILD_SUBREAPER");
		return;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1) {
		log_warn("sigprocmask SIGCHLD");
		return;
	}
	if ((reaper_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) ==
	    -1) {
		log_warn("signalfd SIGCHLD");
		return;
	}
	ee.events = EPOLLIN;
	ee.data.ptr = &reaper_ev;
	if (epoll_ctl(D->epfd, EPOLL_CTL_ADD, reaper_fd, &ee) == -1) {
		log_warn("epoll_ctl SIGCHLD signalfd");
		close(reaper_fd);
		reaper_fd = -1;
	}
}

static void
reaper_run(void)
{
	struct signalfd_siginfo si;

	while (read(reaper_fd, &si, sizeof si) == (ssize_t)sizeof si)
		;
	orphans_kill();
}

/* Start `berth-jobsup arg1 [arg2]` with fd as its fd 3. */
static int
spawn(const char *arg1, const char *arg2, int fd, pid_t *pidp, char **cause)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	char *logpath, *argv[4];
	int rc;

	reaper_start();
	logpath = xprintf("%s/berthd.log", D->state_dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, logpath,
	    O_WRONLY | O_APPEND | O_CREAT, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawn_file_actions_adddup2(&fa, fd, 3);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGCHLD);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGHUP);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	argv[0] = D->jobsup_path;
	argv[1] = (char *)(uintptr_t)arg1;
	argv[2] = (char *)(uintptr_t)arg2;
	argv[3] = NULL;
	rc = posix_spawn(pidp, D->jobsup_path, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	free(logpath);
	if (rc != 0) {
		xasprintf(cause, "posix_spawn %s: %s", D->jobsup_path,
		    strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * The supervisor zygote (src/jobsup/zygote.c): `berth-jobsup -w
 * <jobs>/idle-supervisor-waiting`, our child, with its end of a
 * socketpair as fd 3.  Asked with one byte, it forks an idle supervisor
 * and answers with its pid, a pidfd and a socket to it; we keep one such
 * supervisor waiting and hand it the next job.  The second argument only
 * reserves room: a supervisor writes its job file's path over it.
 */
static pid_t	 zyg_pid;
static int	 zyg_sock = -1;
static bool	 zyg_asked;	/* asked for a supervisor, no answer yet */
static bool	 zyg_failed;	/* retry only after the next launch */
/*
 * Zygotes that ended in a row without forking a supervisor (a broken
 * berth-jobsup): after ZYG_FAIL_MAX, none is started again before
 * zyg_retry_at (mono_msec()), 1 s after the third failure, doubling up
 * to ZYG_BACKOFF_MAX_MS; launches spawn their supervisors meanwhile.
 * One line says so.  Reset by each supervisor a zygote forks.
 */
#define ZYG_FAIL_MAX		3
#define ZYG_BACKOFF_MAX_MS	(300 * 1000)
static unsigned	 zyg_fails;
static int64_t	 zyg_retry_at;
/*
 * Idle supervisors: their pid and our socket to each (which is how we
 * watch one once it has a job; the zygote's pidfd of it is kept by the
 * socket, sock_pidfd_set(), for signals); the last is handed the next
 * job.  A supervisor
 * that ends its job says "d" and waits for another (zygote_job_done()),
 * so most jobs find one here and the zygote forks only when none is: a
 * job's start and end cost no fork, session, exit or reap (docs/
 * performance.md).  At most IDLE_MAX wait; others are let go.
 */
#define IDLE_MAX	4
static struct idle_sup {
	pid_t		 pid;
	int		 sock;
	uint32_t	 last_job;	/* the job it ran last, 0 if none */
} idle[IDLE_MAX];
static unsigned	 nidle;

#define ZYGOTE_WAIT_MS	5000

/* Keep one more idle supervisor, or let it go. */
static void
idle_put(pid_t pid, int sock, uint32_t last_job)
{
	if (nidle == IDLE_MAX || D->quit) {
		/* It exits by itself once its socket is closed. */
		sock_close(sock);
		return;
	}
	idle[nidle++] = (struct idle_sup){ pid, sock, last_job };
}

/* The last idle supervisor is gone or taken: forget it (closing its
 * socket if it is still ours: one that is broken or closed exits). */
static void
idle_drop(void)
{
	struct idle_sup *is = &idle[nidle - 1];

	if (is->sock != -1)
		sock_close(is->sock);
	nidle--;
}

/* One more zygote ended without a supervisor: back off after a few. */
static void
zyg_fail(void)
{
	int64_t ms;

	if (++zyg_fails < ZYG_FAIL_MAX)
		return;
	ms = 1000;
	for (unsigned i = ZYG_FAIL_MAX; i < zyg_fails && ms <
	    ZYG_BACKOFF_MAX_MS; i++)
		ms *= 2;
	if (ms > ZYG_BACKOFF_MAX_MS)
		ms = ZYG_BACKOFF_MAX_MS;
	zyg_retry_at = mono_msec() + ms;
	if (zyg_fails == ZYG_FAIL_MAX)
		log_warnx("supervisor zygote failed %u times in a row; "
		    "spawning supervisors directly, trying it again after "
		    "1 s, then less and less often", zyg_fails);
	else
		log_debug("supervisor zygote failed again; next try in %lld "
		    "s", (long long)(ms / 1000));
}

/* The zygote is dead or must die: kill and reap it. */
static void
zyg_drop(void)
{
	if (zyg_sock != -1)
		zyg_fail();
	if (zyg_pid > 0) {
		(void)kill(zyg_pid, SIGKILL);
		while (waitpid(zyg_pid, NULL, 0) == -1 && errno == EINTR)
			;
	}
	if (zyg_sock != -1)
		close(zyg_sock);
	zyg_sock = -1;
	zyg_pid = 0;
	zyg_asked = false;
}

/* Ask for the next idle supervisor (answered while no job waits). */
static void
zyg_ask(void)
{
	if (zyg_sock == -1 || zyg_asked || nidle != 0)
		return;
	if (send(zyg_sock, "f", 1, MSG_NOSIGNAL) != 1) {
		log_warn("supervisor zygote %ld", (long)zyg_pid);
		zyg_drop();
		return;
	}
	zyg_asked = true;
}

static void
zyg_spawn(void)
{
	char *cause = NULL, *arg;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("socketpair for the supervisor zygote");
		zyg_failed = true;
		return;
	}
	arg = xprintf("%s/idle-supervisor-waiting", D->jobs_dir);
	if (spawn("-w", arg, sv[1], &zyg_pid, &cause) == -1) {
		log_warnx("start the supervisor zygote: %s", cause);
		free(cause);
		close(sv[0]);
		zyg_pid = 0;
		zyg_failed = true;
		zyg_fail();
	} else {
		zyg_sock = sv[0];
		zyg_ask();
	}
	close(sv[1]);
	free(arg);
}

/* One answer from the zygote within ms: 1, 0 if none came, -1 if it is
 * gone.  *fdp gets the descriptor it carried, or -1. */
static int
zyg_recv(struct spec_zygote_reply *rep, int *fdp, int ms)
{
	struct pollfd pfd;
	ssize_t n;
	int r;

	*fdp = -1;
	pfd.fd = zyg_sock;
	pfd.events = POLLIN;
	do {
		r = poll(&pfd, 1, ms);
	} while (r == -1 && errno == EINTR);
	if (r == 0)
		return 0;
	memset(rep, 0, sizeof *rep);
	n = sock_recv_fd(zyg_sock, rep, sizeof *rep, MSG_DONTWAIT, fdp);
	if (n == (ssize_t)sizeof *rep)
		return 1;
	if (*fdp != -1)
		close(*fdp);
	*fdp = -1;
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return -1;
}

/*
 * Take the zygote's answer (pidfd, then socket) if it comes within ms.
 * A zygote that is gone, or does not answer within ZYGOTE_WAIT_MS when we
 * wait, is killed; a supervisor it forked but did not hand over sees its
 * socket close and exits, never having had a job.
 */
static void
zyg_collect(int ms)
{
	struct spec_zygote_reply rep, rep2;
	int pidfd, sock, r;

	if (!zyg_asked)
		return;
	if ((r = zyg_recv(&rep, &pidfd, ms)) == 0) {
		if (ms == 0)
			return;
		log_warnx("supervisor zygote %ld did not answer; killing it",
		    (long)zyg_pid);
		zyg_drop();
		return;
	}
	if (r == -1) {
		log_warnx("supervisor zygote %ld is gone", (long)zyg_pid);
		zyg_drop();
		return;
	}
	zyg_asked = false;
	if (rep.pid <= 0) {
		log_warnx("supervisor zygote: cannot start a supervisor: %s",
		    strerror(rep.err));
		if (pidfd != -1)
			close(pidfd);
		return;
	}
	r = zyg_recv(&rep2, &sock, ZYGOTE_WAIT_MS);
	if (r != 1 || rep2.pid != rep.pid || pidfd == -1 || sock == -1) {
		log_warnx("supervisor zygote %ld: bad answer; killing it",
		    (long)zyg_pid);
		if (sock != -1)
			close(sock);
		/* By its pidfd: the zygote may have reaped it already.
		 * Without one, it becomes ours with the zygote's death and
		 * orphans_kill() ends it. */
		if (pidfd != -1) {
			(void)pidfd_signal(pidfd, SIGKILL, NULL);
			close(pidfd);
		}
		zyg_drop();
		return;
	}
	sock_pidfd_set(sock, pidfd);
	idle_put(rep.pid, sock, 0);
	zyg_fails = 0;
}

/*
 * Hand the job file (path and descriptor) to an idle supervisor.
 * Returns 0 with its pid and socket, or -1 if
 * there is none or it is gone (then the caller spawns one as before).
 * The supervisor runs the job only after a "go" byte on its socket: sent
 * here if go, else by the caller (supervise_prelaunch(): no new
 * supervisor is asked for yet).  A supervisor gone while idle (killed)
 * fails the hand-over; the next one is tried.  Not to the supervisor
 * that ran this job last (a requeued job starting again): a control
 * signal sent to that run could still be queued there, and it names
 * the same job.
 */
static int
idle_take(uint32_t id, const char *file, int fd, pid_t *pidp, int *sockp,
    bool go)
{
	struct idle_sup *is, tmp;
	ssize_t n;

	for (;;) {
		/* The newest that did not run this job goes first; if all
		 * did, let the newest go and look again. */
		for (unsigned i = nidle; i-- > 0;) {
			if (idle[i].last_job == id)
				continue;
			tmp = idle[i];
			idle[i] = idle[nidle - 1];
			idle[nidle - 1] = tmp;
			break;
		}
		if (nidle != 0 && idle[nidle - 1].last_job == id) {
			idle_drop();
			continue;
		}
		/* None ready (two launches in a row): have one forked now. */
		if (nidle == 0 && go) {
			zyg_ask();
			zyg_collect(ZYGOTE_WAIT_MS);
		}
		if (nidle == 0)
			return -1;
		is = &idle[nidle - 1];
		/*
		 * Its pid in the job file first (the job's comes with the
		 * job's start).  From the moment it is sent, read or still
		 * in flight (the supervisor may be stopped), the job file
		 * stays locked after our death: a restarted daemon adopts
		 * the supervisor by this pid.
		 */
		if (jobfile_set_pids(fd, (long)is->pid, 0) == -1) {
			log_warn("job=%u: record supervisor pid in %s", id,
			    file);
			return -1;
		}
		n = sock_send_fd(is->sock, file, strlen(file), fd);
		if (n == (ssize_t)strlen(file) && go)
			n = send(is->sock, "g", 1, MSG_NOSIGNAL) == 1 ? n : -1;
		if (n == (ssize_t)strlen(file))
			break;
		log_warn("hand %s to the waiting supervisor %ld", file,
		    (long)is->pid);
		/* Not its pid any more: a supervisor we spawn instead, or
		 * the next idle one, is another (and recovery must not wait
		 * for this one). */
		(void)jobfile_set_pids(fd, 0, 0);
		idle_drop();
		if (!go)
			return -1;
	}
	*pidp = is->pid;
	*sockp = is->sock;
	is->sock = -1;			/* now the job's */
	idle_drop();
	if (go)
		zyg_ask();
	return 0;
}

/*
 * After the launches of a loop iteration: keep the zygote started, and
 * take its answer if it is there (else the next launch waits for it).
 */
void
supervise_prestart(void)
{
	if (zyg_sock == -1) {
		/* (A clock read only while there is no zygote.) */
		if (!zyg_failed && !D->quit && (zyg_fails < ZYG_FAIL_MAX ||
		    mono_msec() >= zyg_retry_at))
			zyg_spawn();
	} else if (zyg_asked)
		zyg_collect(0);
}

/*
 * A supervisor we cannot watch through epoll: wait for its end here (rare,
 * and bounded by the job's own run time).
 */
static void
wait_gone(struct djob *dj, pid_t pid, bool own)
{
	struct pollfd pfd;
	int fd;

	log_warn("job=%u: cannot watch supervisor %ld; waiting for it",
	    dj->j.id, (long)pid);
	if (own) {
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		return;
	}
	if ((fd = pidfd_open_(pid)) == -1)
		return;		/* already gone */
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, -1) == -1 && errno == EINTR)
		;
	close(fd);
}

/*
 * Early hand-over.  The fsync of the commit that makes a job RUNNING is
 * the longest step of its start (docs/performance.md), so the first job
 * to start in an iteration is handed over before that commit: its files
 * are written and the waiting supervisor gets it and prepares it (reads
 * the job file, builds the environment, ...) meanwhile, but runs it only
 * after our "go" (supervise_go(), once the commit has succeeded).
 * If we die before the "go" (or a failed commit makes us exit, see
 * supervise_prelaunch_cancel()), the supervisor sees its socket close and
 * exits without running the job or writing its pid records; recovery then
 * finds either no row for the job (the start-up sweep removes its files)
 * or a RUNNING job whose file is unlocked and never started: pending
 * again.  So the job runs once, and only with its start committed.
 * Only a supervisor already waiting is used (no wait for the zygote
 * before the commit, which holds the replies back), and not for a job
 * whose file name still belongs to an ended attempt whose files are
 * retired only after the commit (a requeue that starts again at once).
 */
static struct djob	*held_dj;	/* handed over, waiting for "go" */
static bool		 held_went;	/* its "go" is sent (supervise_go) */
static int		 held_sock = -1;
static pid_t		 held_pid;

/* The children of (every thread of) pid, appended to *v. */
struct pids {
	pid_t	*v;
	size_t	 n, cap;
};

static void
pids_add(pid_t pid, void *arg)
{
	struct pids *p = arg;

	if (pid <= 1)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	p->v[p->n++] = pid;
}

/* SIGKILL a leftover, saying so once (a process killed may take a
 * while to die, and is seen again meanwhile). */
/*
 * SIGKILL pid and all its descendants, each before its children are
 * listed: a process with SIGKILL pending forks no more, so none is
 * missed.  (One that dies first hands its children to us, and the
 * SIGCHLD of its end brings them to orphans_kill().)
 */
static void
tree_kill(pid_t top)
{
	struct pids p = { NULL, 0, 0 };

	kill_leftover(top);
	proc_children(top, pids_add, &p);
	for (size_t i = 0; i < p.n; i++) {
		kill_leftover(p.v[i]);
		proc_children(p.v[i], pids_add, &p);
	}
	free(p.v);
}

/* Is pid a supervisor we know (idle, handed a job, running one)?
 * own: only one we spawned, which supervise_exited() reaps. */
static bool
sup_known(pid_t pid, bool own)
{
	struct djob *dj;

	if (!own) {
		if (held_dj != NULL && held_pid == pid)
			return true;
		for (unsigned i = 0; i < nidle; i++)
			if (idle[i].pid == pid)
				return true;
	}
	TAILQ_FOREACH(dj, &D->running, entry)
		if (DJ_RT(dj)->sup_pid == pid && (!own || DJ_RT(dj)->own_child))
			return true;
	return false;
}

/*
 * Our children that are neither the zygote nor a supervisor are what is
 * left of jobs whose supervisors died: kill them and everything below
 * them.  Reap those that are dead, and the supervisors the zygote left
 * us when they end (the zygote and the supervisors we spawned are
 * reaped where they are watched: zyg_drop(), supervise_exited()).  The
 * zygote's children that are no supervisors are such leftovers too.
 */
static void
orphans_kill(void)
{
	struct pids p = { NULL, 0, 0 };
	pid_t pid;

	if (!reaper_tried)
		return;
	proc_children(getpid(), pids_add, &p);
	for (size_t i = 0; i < p.n; i++) {
		pid = p.v[i];
		if (pid == zyg_pid) {
			/* Dead while idle supervisors served the launches:
			 * reaped here, and started again at the end of this
			 * loop iteration (supervise_prestart()). */
			if (waitpid(pid, NULL, WNOHANG) == pid) {
				log_warnx("supervisor zygote %ld is gone",
				    (long)pid);
				zyg_pid = 0;
				zyg_drop();
			}
			continue;
		}
		if (sup_known(pid, true) || waitpid(pid, NULL, WNOHANG) != 0)
			continue;	/* reaped elsewhere, or now */
		if (!sup_known(pid, false))
			tree_kill(pid);
	}
	free(p.v);
	/* The zygote is a child subreaper too: what the supervisors it
	 * forked leave goes to it (it kills that as well). */
	if (zyg_pid > 0)
		keeper_kill(zyg_pid, -1, sup_known_any);
}

/* Open, lock and write the job's files; *fdp the locked job file. */
static int
launch_files(struct djob *dj, const char *file, int *fdp, char **cause)
{
	int fd;

	/* O_TRUNC: a file left by an earlier attempt of this job. */
	fd = spare_take(false, 0, dj->j.id, O_RDWR);
	if (fd == -1)
		fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	*fdp = fd;
	if (fd == -1 || flock(fd, LOCK_EX) == -1) {
		xasprintf(cause, "open/lock %s: %s", file, strerror(errno));
		return -1;
	}
	djob_rt(dj)->jobfd = fd;
	return write_files(dj, fd, cause);
}

/*
 * BERTH_TEST_DIE_AT=handover|go (e2e 86-early-handover), =requeue (e2e
 * 80-requeue-crash): the daemon exits at that point of an early
 * hand-over, or of a requeue before its commit, as if killed.  Read once.
 */
bool
supervise_test_die_at(const char *point)
{
	static const char *at;
	static bool read;

	if (!read) {
		at = getenv("BERTH_TEST_DIE_AT");
		read = true;
	}
	if (at == NULL || strcmp(at, point) != 0)
		return false;
	log_flush();	/* the caller dies: keep what it logged */
	return true;
}

void
supervise_prelaunch(void)
{
	struct djob *dj;
	char *file, *cause = NULL;
	int fd;

	if (D->nlaunch != 0 && nidle == 0)
		zyg_collect(0);
	if (D->nlaunch == 0 || nidle == 0 || held_dj != NULL)
		return;
	dj = D->launch[0];
	for (uint32_t i = 0; i < D->ndoomed; i++)
		if (D->doomed[i] == dj->j.id)
			return;
	file = job_file(dj->j.id);
	if (launch_files(dj, file, &fd, &cause) == -1 ||
	    idle_take(dj->j.id, file, fd, &held_pid, &held_sock,
	    false) == -1) {
		/* supervise_launch() tries again after the commit. */
		log_debug("job=%u: early hand-over failed: %s", dj->j.id,
		    cause != NULL ? cause : "no supervisor");
		free(cause);
		if (fd != -1)
			close(fd);
		djob_rt(dj)->jobfd = -1;
		free(file);
		return;
	}
	free(file);
	held_dj = dj;
	/* e2e 86-early-handover: die between hand-over and commit. */
	if (supervise_test_die_at("handover"))
		_exit(3);
}

/* The commit failed (we exit next): the supervisor must not run it. */
void
supervise_prelaunch_cancel(void)
{
	if (held_dj == NULL)
		return;
	sock_close(held_sock);
	held_sock = -1;
	held_dj = NULL;
}

/*
 * The commit is done: the job handed over early may run.  Called before
 * the replies go out (the job's start is what W3 waits for; one send).
 */
void
supervise_go(void)
{
	if (held_dj == NULL || held_went)
		return;
	/* e2e 86-early-handover: die after the commit, before go. */
	if (supervise_test_die_at("go"))
		_exit(3);
	/* A supervisor gone meanwhile is found by its socket's end. */
	if (send(held_sock, "g", 1, MSG_NOSIGNAL) != 1)
		log_warn("job=%u: go to supervisor %ld", held_dj->j.id,
		    (long)held_pid);
	held_went = true;
}

/*
 * A supervisor we spawned records its pid itself, first thing; one that
 * is stopped (or slow) before that, when we die, holds the job file's
 * lock with no pid in it, and a restarted daemon could not adopt it (it
 * waited 5 s for the record, then left the job RUNNING).  So its pid goes
 * in now, as idle_take() writes an idle supervisor's before the
 * hand-over, and recovery adopts it alike (supervise_recover()).  Only
 * "P <pid> ": every record of the line starts so (jobfile_set_pids(), by
 * the supervisor with job pid 0, by the job's process with its own), so
 * this write, whenever it lands, changes nothing written after it (a
 * whole line would put back job pid 0 over the job's if the supervisor
 * got that far first).  Read back by sup_recorded().  One pwrite, on this
 * path only (no zygote).
 */
static void
record_spawned(struct djob *dj, int fd, pid_t pid)
{
	char text[32];
	int n;

	n = snprintf(text, sizeof text, "P %ld ", (long)pid);
	if (pwrite(fd, text, (size_t)n, 0) != n)
		log_warn("job=%u: record supervisor pid %ld", dj->j.id,
		    (long)pid);
}

/* The supervisor pid of the job file's record, also when the record is
 * only the prefix record_spawned() writes; 0 if none. */
static long
sup_recorded(int fd)
{
	char line[65];
	long sup = 0;
	ssize_t n;

	if ((n = pread(fd, line, sizeof line - 1, 0)) <= 0)
		return 0;
	line[n] = '\0';
	if (sscanf(line, "P %ld", &sup) != 1 || sup <= 1)
		return 0;
	return sup;
}

int
supervise_launch(struct djob *dj)
{
	char *file, *cause = NULL;
	struct job_end *e;
	int fd, sock = -1;
	bool own;
	pid_t pid;

	zyg_failed = false;
	file = job_file(dj->j.id);
	if (dj == held_dj) {
		supervise_go();
		held_dj = NULL;
		held_went = false;
		pid = held_pid;
		sock = held_sock;
		held_sock = -1;
		own = false;
		zyg_ask();
		goto started;
	}
	if (launch_files(dj, file, &fd, &cause) == -1)
		goto fail;
	/* Forked by the zygote (not our child), or spawned (ours). */
	own = false;
	if (idle_take(dj->j.id, file, fd, &pid, &sock, true) == -1) {
		if (spawn(file, NULL, fd, &pid, &cause) == -1)
			goto fail;
		own = true;
		record_spawned(dj, fd, pid);
	}
started:
	djob_rt(dj)->launching = false;
	djob_rt(dj)->sup_pid = pid;
	djob_rt(dj)->own_child = own;
	/* A supervisor from the zygote is watched through its socket (its
	 * "done", or its end; watch_fd() closes it if that fails), one we
	 * spawned through a pidfd. */
	if ((sock == -1 || watch_sock(dj, pid, sock) == -1) &&
	    watch(dj, pid) == -1) {
		wait_gone(dj, pid, own);
		djob_rt(dj)->own_child = false;
		djob_rt(dj)->sup_pid = 0;
		collect(dj, false);
	}
	log_debug("job=%u: supervisor %ld started", dj->j.id, (long)pid);
	free(file);
	return 0;
fail:
	log_warnx("job=%u: launch failed: %s", dj->j.id, cause);
	free(cause);
	if (fd != -1 && DJ_RT(dj)->jobfd == -1)
		close(fd);
	job_files_remove(dj);
	free(file);
	djob_rt(dj)->launching = false;
	e = djob_end(dj);
	e->exit_status = 1 << 8;
	e->batch_state = JOB_NONE;
	job_transition(dj, JOB_FAILED, FAIL_LAUNCH);
	return -1;
}

/* scontrol requeue: the attempt is over, the job pends again. */
void
job_requeued(struct djob *dj)
{
	struct job_head *j = &dj->j;
	struct job_end *e = djob_end(dj);

	j->restarts++;
	prio_charge(dj, now_sec());	/* the attempt's usage */
	e->start_time = 0;
	e->end_time = 0;
	e->exit_status = 0;
	e->batch_state = JOB_NONE;
	e->kill_uid = NO_VAL;
	if (j->flags & JOB_F_REQUEUE_HOLD) {
		j->flags |= JOB_F_HOLD_USER;
		j->priority = 0;
	}
	j->flags &= ~(JOB_F_CANCEL_REQ | JOB_F_REQUEUE_REQ |
	    JOB_F_REQUEUE_HOLD);
	job_end_set_str(e, &e->nodelist, NULL);
	job_end_set_str(e, &e->cpu_ids, NULL);
	job_end_set_str(e, &e->gpu_ids, NULL);
	job_transition(dj, JOB_PENDING, (j->flags & JOB_F_HOLD_USER) ?
	    WAIT_HELD_USER : WAIT_NO_REASON);
}

/*
 * Turn a supervisor's result into the job's final state.  started: the
 * job's pid is recorded.  A job whose cancel was handled here ends
 * CANCELLED even if its supervisor reports an end it saw first.  A supervisor that saw the job cancelled (or
 * requeued) before it started it reports that without starting it
 * (src/jobsup/main.c): the job ends CANCELLED with no batch step, as a
 * job that slurmd killed before its launch.
 */
static void
finish(struct djob *dj, const struct job_result *r, bool started)
{
	struct job_head *j = &dj->j;
	struct job_end *e;
	uint32_t state, reason = WAIT_NO_REASON;
	int st = r->status;

	/* The request is a persisted flag: it survives a daemon restart
	 * between `scontrol requeue` and the end of the attempt. */
	if (j->flags & JOB_F_REQUEUE_REQ) {
		job_requeued(dj);
		return;
	}

	e = djob_end(dj);
	if (r->end_time > 0)
		e->end_time = r->end_time;
	e->max_rss_kb = r->max_rss_kb;
	e->max_vsize_kb = r->max_vsize_kb;
	e->user_usec = r->user_usec;
	e->sys_usec = r->sys_usec;
	e->batch_status = st;
	/* A killed batch step shows the signal that ended it: 0:15, or 0:9
	 * if it ignored TERM until KILL after KillWait. */
	if (r->timeout) {
		state = JOB_TIMEOUT;
		reason = FAIL_TIMEOUT;
		e->exit_status = 0;
		e->batch_state = JOB_CANCELLED;
		e->batch_status = WIFSIGNALED(st) ? st : SIGTERM;
	} else if (r->cancelled && !started) {
		state = JOB_CANCELLED;
		e->exit_status = 0;
		e->batch_state = JOB_NONE;
		e->batch_status = 0;
		log_info("job=%u: cancelled before it started; never ran",
		    j->id);
	} else if (r->cancelled) {
		state = JOB_CANCELLED;
		e->exit_status = 0;
		e->batch_state = JOB_CANCELLED;
		e->batch_status = WIFSIGNALED(st) ? st : SIGTERM;
	} else if (j->flags & JOB_F_CANCEL_REQ) {
		/* scancel was handled before this result came: the job ended
		 * on its own (or was killed by somebody else) before the
		 * supervisor heard of the cancel.  slurmctld makes a job
		 * CANCELLED when it handles the request, whatever its
		 * processes do after; the batch step keeps what happened. */
		state = JOB_CANCELLED;
		e->exit_status = 0;
		e->batch_state = WIFSIGNALED(st) ? JOB_CANCELLED :
		    WIFEXITED(st) && WEXITSTATUS(st) == 0 ? JOB_COMPLETE :
		    JOB_FAILED;
	} else if (r->oom) {
		state = JOB_OOM;
		reason = FAIL_OOM;
		e->exit_status = st;
		e->batch_state = JOB_OOM;
	} else if (r->launch_failed) {
		state = JOB_FAILED;
		reason = FAIL_LAUNCH;
		e->exit_status = st;
		e->batch_state = JOB_FAILED;
	} else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		state = JOB_COMPLETE;
		e->exit_status = st;
		e->batch_state = JOB_COMPLETE;
	} else if (WIFEXITED(st)) {
		state = JOB_FAILED;
		reason = FAIL_EXIT_CODE;
		e->exit_status = st;
		e->batch_state = JOB_FAILED;
	} else {
		/* Killed by a signal: Slurm says FAILED (JobLaunchFailure). */
		state = JOB_FAILED;
		reason = FAIL_LAUNCH;
		e->exit_status = st;
		e->batch_state = JOB_FAILED;
	}
	if (r->error != NULL)
		log_info("job=%u: launch error: %s", j->id, r->error);
	job_transition(dj, state, reason);
}

/*
 * The job's supervisor vanished without a result (killed, or the machine
 * went down under it): Slurm's node failure.  As slurmctld's
 * kill_running_job_by_node_name(), a batch job that may be requeued
 * (--requeue, or JobRequeue=1 by default) pends again with Restarts+1
 * (Slurm logs the attempt as NODE_FAIL first; berth keeps one record per
 * job); any other ends NODE_FAIL, reason NodeDown.
 */
static void
node_failed(struct djob *dj)
{
	struct job_end *e;

	/* A `scontrol requeue[hold]` under way completes as asked; a job
	 * being cancelled is not brought back. */
	if ((dj->j.flags & JOB_F_REQUEUE_REQ) || ((dj->j.flags &
	    JOB_F_REQUEUE) && !(dj->j.flags & JOB_F_CANCEL_REQ))) {
		log_info("job=%u: requeued after the failure of its "
		    "supervisor (node failure)", dj->j.id);
		if (!(dj->j.flags & JOB_F_REQUEUE_REQ))
			dj->j.flags &= ~JOB_F_REQUEUE_HOLD;
		job_requeued(dj);
		return;
	}
	/* scancel was under way: the job ends as the user asked. */
	e = djob_end(dj);
	if (dj->j.flags & JOB_F_CANCEL_REQ) {
		e->exit_status = 0;
		e->batch_state = JOB_CANCELLED;
		job_transition(dj, JOB_CANCELLED, WAIT_NO_REASON);
		return;
	}
	/* slurmctld (read_config.c, node_mgr.c): NODE_FAIL, reason
	 * FAIL_DOWN_NODE, exit code 1. */
	e->exit_status = 1;
	e->batch_state = JOB_NODE_FAIL;
	job_transition(dj, JOB_NODE_FAIL, FAIL_DOWN_NODE);
}

static void
back_to_pending(struct djob *dj, const char *why)
{
	struct job_end *e = djob_end(dj);

	log_info("job=%u: %s; pending again", dj->j.id, why);
	job_files_remove(dj);
	e->start_time = 0;
	job_end_set_str(e, &e->nodelist, NULL);
	job_end_set_str(e, &e->cpu_ids, NULL);
	job_end_set_str(e, &e->gpu_ids, NULL);
	job_transition(dj, JOB_PENDING, WAIT_NO_REASON);
}

#define NOSTART_MAX	3

/*
 * The supervisor is gone and the job never started: no job pid in the
 * job file (the supervisor was killed while it prepared the job or
 * waited for our "go", or we died before sending it).  The job pends
 * again, whether this is seen live or by recovery, unless a cancel or a
 * requeue was asked meanwhile: then it ends as asked (node_failed()).
 */
static void
never_started(struct djob *dj)
{
	struct job_head *j = &dj->j;

	if (!(j->flags & (JOB_F_CANCEL_REQ | JOB_F_REQUEUE_REQ))) {
		/*
		 * Supervisors that keep dying before the job starts (a
		 * berth-jobsup that does not match berthd) would start it
		 * again and again: after NOSTART_MAX in a row it is held,
		 * as Slurm holds a job whose launch failed; `scontrol
		 * release` tries again.
		 */
		if (++djob_rt(dj)->nostart >= NOSTART_MAX) {
			dj->run->nostart = 0;
			job_set_hold(j, true);
			log_warnx("job=%u: %d supervisors in a row died before "
			    "starting it; held (scontrol release retries)",
			    j->id, NOSTART_MAX);
		}
		back_to_pending(dj, "supervisor never started the job");
		return;
	}
	log_info("job=%u: supervisor never started the job", dj->j.id);
	if ((j->flags & JOB_F_CANCEL_REQ) && !(j->flags & JOB_F_REQUEUE_REQ)) {
		/* Cancelled: no batch step ever ran (as finish() has it for
		 * a supervisor that saw the cancel before the start). */
		djob_end(dj)->exit_status = 0;
		djob_end(dj)->batch_state = JOB_NONE;
		job_transition(dj, JOB_CANCELLED, WAIT_NO_REASON);
	} else
		node_failed(dj);
	job_files_remove(dj);
}

/*
 * Supervisors re-adopted after a restart, with the lingering zygote that
 * forked them (their keeper, src/jobsup/zygote.c), if it is there, and a
 * pidfd of it: what such a supervisor leaves when it dies goes to that
 * zygote, not to us (leftovers.c).  Only jobs that ran when the daemon
 * started are here; a job's end looks only when the list is not empty.
 */
struct adopted {
	uint32_t	 id;
	pid_t		 keeper;	/* 0 if none */
	int		 keeper_fd;
};
static struct adopted	*adopted;
static size_t		 nadopted;
static size_t		 adopted_cap;

static void
adopted_add(uint32_t id, pid_t sup)
{
	struct adopted *a;

	if (nadopted == adopted_cap) {
		adopted_cap = adopted_cap ? adopted_cap * 2 : 8;
		adopted = xreallocarray(adopted, adopted_cap, sizeof *adopted);
	}
	a = &adopted[nadopted++];
	a->id = id;
	a->keeper = keeper_open(sup, D->jobs_dir, &a->keeper_fd);
}

/* Job id's entry, taken off the list into *a; false if there is none. */
static bool
adopted_take(uint32_t id, struct adopted *a)
{
	for (size_t i = 0; i < nadopted; i++) {
		if (adopted[i].id != id)
			continue;
		*a = adopted[i];
		adopted[i] = adopted[--nadopted];
		return true;
	}
	return false;
}

static bool
sup_known_any(pid_t pid)
{
	return sup_known(pid, false);
}

/*
 * The supervisor died without a result: kill whatever is left of the
 * job, before it ends or pends again.  A supervisor of ours or of our
 * zygote's hands the job's processes (those that left its process group
 * too) to us: orphans_kill().  One that was not (foreign: re-adopted,
 * or found dead by recovery) hands them to the zygote that forked it,
 * which stays while it has busy supervisors (keeper_kill() kills its
 * children, and it kills them too, and those that come to it later), or,
 * without that zygote, to init; the job's process group is found in
 * either case (group_kill()).  Never kill(-pgid): the group's
 * number is free once its members are gone (e2e 97-group-kill-reused).
 */
static void
leftovers(struct djob *dj, long sup, long jobpid, bool foreign,
    const struct adopted *a)
{
	if (a != NULL && a->keeper > 0)
		keeper_kill(a->keeper, a->keeper_fd, sup_known_any);
	if (foreign || a != NULL)
		group_kill((pid_t)sup, (pid_t)jobpid, DJ_END(dj)->start_time);
	orphans_kill();
}

/*
 * The supervisor is gone (or done): collect its result, remove the job's
 * files.  foreign: the supervisor was not ours nor our zygote's (found by
 * recovery).
 */
static void
collect(struct djob *dj, bool foreign)
{
	struct adopted a, *ap = NULL;
	struct job_result r;
	long sup = 0, jobpid = 0;
	int rc = -1;

	if (nadopted != 0 && adopted_take(dj->j.id, &a))
		ap = &a;
	memset(&r, 0, sizeof r);
	if (DJ_RT(dj)->jobfd != -1)
		rc = jobfile_read_state(dj->run->jobfd, &sup, &jobpid, &r);
	if (rc == 1) {
		if (dj->run != NULL)
			dj->run->nostart = 0;
		finish(dj, &r, jobpid > 1);
		job_result_free(&r);
	} else if (rc == 0 && jobpid == 0) {
		job_result_free(&r);
		orphans_kill();
		never_started(dj);
		goto out;
	} else {
		leftovers(dj, sup, jobpid, foreign, ap);
		log_warnx("job=%u: supervisor ended without a result",
		    dj->j.id);
		node_failed(dj);
	}
	job_files_remove(dj);
out:
	if (ap != NULL && a.keeper_fd != -1)
		close(a.keeper_fd);
}

/*
 * A supervisor from the zygote said "d": its job is done, its result in
 * the job file, which it has closed.  It waits for the next job: idle
 * again.  Returns false if it did not say that (it is gone: its socket's
 * end of file), true also for a wake-up with nothing to read.
 */
static bool
sup_done(struct djob *dj)
{
	pid_t pid = DJ_RT(dj)->sup_pid;
	uint32_t id = dj->j.id;
	int sock = DJ_RT(dj)->pidfd;
	ssize_t n;
	char c;

	do {
		n = recv(sock, &c, 1, MSG_DONTWAIT);
	} while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return true;
	if (n != 1 || c != 'd')
		return false;
	if (epoll_ctl(D->epfd, EPOLL_CTL_DEL, sock, NULL) == -1)
		log_warn("job=%u: epoll_ctl del supervisor socket", dj->j.id);
	djob_rt(dj)->pidfd = -1;
	unwatch(dj);
	collect(dj, false);
	idle_put(pid, sock, id);
	return true;
}

/*
 * The socket of a supervisor from the zygote closed without its "d": it
 * is dying.  Its socket closes early in its exit, before its children
 * (the job's processes) are handed over to us, so wait for its pidfd,
 * which says it has ended, for collect() to find them.  False if we have
 * no pidfd of it.
 */
static bool
sup_gone(struct djob *dj)
{
	struct epoll_event ee;
	int sock = DJ_RT(dj)->pidfd, pidfd = sock_pidfd_get(sock);

	if (pidfd == -1)
		return false;
	sock_pidfd[sock] = -1;
	if (epoll_ctl(D->epfd, EPOLL_CTL_DEL, sock, NULL) == -1)
		log_warn("job=%u: epoll_ctl del supervisor socket", dj->j.id);
	close(sock);
	djob_rt(dj)->pidfd = -1;
	djob_rt(dj)->sup_pooled = false;
	ee.events = EPOLLIN;
	ee.data.ptr = &djob_rt(dj)->ev;
	if (epoll_ctl(D->epfd, EPOLL_CTL_ADD, pidfd, &ee) == -1) {
		log_warn("job=%u: epoll_ctl pidfd", dj->j.id);
		close(pidfd);
		return false;
	}
	djob_rt(dj)->pidfd = pidfd;
	return true;
}

void
supervise_exited(struct ev *ev)
{
	struct djob *dj;
	struct djob_run *r;

	if (ev == &reaper_ev) {
		reaper_run();
		return;
	}
	r = (struct djob_run *)ev;
	dj = r->dj;
	if (dj->j.flags & JOB_F_INTERACTIVE) {
		alloc_holder_exited(dj);
		return;
	}
	if (r->sup_pooled && (sup_done(dj) || sup_gone(dj)))
		return;
	if (r->own_child && waitpid(r->sup_pid, NULL, WNOHANG) == -1 &&
	    errno != ECHILD)
		log_warn("job=%u: waitpid %ld", dj->j.id, (long)r->sup_pid);
	r->own_child = false;
	unwatch(dj);
	collect(dj, false);
}

/*
 * Is the job file an earlier attempt's?  A requeued job that starts
 * again in the loop iteration that ended its attempt has both in one
 * commit, and the ended attempt's file keeps the job's name until after
 * it (supervise_files_flush()): a daemon dead in between leaves a
 * RUNNING job whose file holds the old attempt's result.  Its spec says
 * which attempt it was written for.
 */
static bool
earlier_attempt(struct djob *dj)
{
	struct job_spec spec;
	bool old;

	memset(&spec, 0, sizeof spec);
	if (jobfile_read_spec(DJ_RT(dj)->jobfd, &spec) == -1)
		return false;
	old = spec.job.restarts < dj->j.restarts;
	job_spec_free(&spec);
	return old;
}

void
supervise_recover(struct djob *dj)
{
	struct job_result r;
	char *file;
	long sup = 0, jobpid = 0;
	int rc;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	file = job_file(dj->j.id);
	djob_rt(dj)->jobfd = open(file, O_RDWR | O_CLOEXEC);
	free(file);
	if (DJ_RT(dj)->jobfd == -1) {
		back_to_pending(dj, "was never launched");
		return;
	}
	if (flock(DJ_RT(dj)->jobfd, LOCK_EX | LOCK_NB) == 0) {
		/* No supervisor alive. */
		if (earlier_attempt(dj)) {
			close(DJ_RT(dj)->jobfd);
			djob_rt(dj)->jobfd = -1;
			back_to_pending(dj, "was never launched (the job file "
			    "is an earlier attempt's)");
			return;
		}
		memset(&r, 0, sizeof r);
		rc = jobfile_read_state(dj->run->jobfd, &sup, &jobpid, &r);
		job_result_free(&r);
		if (rc != 1 && jobpid == 0) {
			never_started(dj);
			return;
		}
		log_info("job=%u: ended while berthd was away", dj->j.id);
		collect(dj, true);
		return;
	}
	/* Alive.  Its pid is recorded before it has the job (idle_take()),
	 * or right after we spawned it (record_spawned(): only a daemon
	 * killed between the spawn and that write leaves none, until the
	 * supervisor writes its own); one that waited for a "go" we never
	 * sent exits instead, freeing the lock: then the job never started
	 * (supervise_prelaunch()). */
	for (int i = 0; i < 500; i++) {
		memset(&r, 0, sizeof r);
		rc = jobfile_read_state(dj->run->jobfd, &sup, &jobpid, &r);
		job_result_free(&r);
		if (sup <= 1 && rc != -1)
			sup = sup_recorded(DJ_RT(dj)->jobfd);
		if (sup > 1 || rc == -1)
			break;
		if (flock(DJ_RT(dj)->jobfd, LOCK_EX | LOCK_NB) == 0) {
			memset(&r, 0, sizeof r);
			rc = jobfile_read_state(dj->run->jobfd, &sup,
			    &jobpid, &r);
			job_result_free(&r);
			if (rc != 1 && jobpid == 0) {
				never_started(dj);
				return;
			}
			collect(dj, true);
			return;
		}
		nanosleep(&ts, NULL);
	}
	if (sup <= 1) {
		log_warnx("job=%u: live supervisor without a pid record; "
		    "cannot adopt it", dj->j.id);
		return;
	}
	if (watch(dj, (pid_t)sup) == -1) {
		collect(dj, true);	/* it exited between our checks */
		return;
	}
	/* The pidfd is of the process that had the pid then: the supervisor
	 * if the lock is still held now (only it holds the job file), else
	 * maybe another that got the pid since the supervisor ended, which
	 * we must not signal. */
	if (flock(DJ_RT(dj)->jobfd, LOCK_EX | LOCK_NB) == 0) {
		unwatch(dj);
		memset(&r, 0, sizeof r);
		rc = jobfile_read_state(dj->run->jobfd, &sup, &jobpid, &r);
		job_result_free(&r);
		if (rc != 1 && jobpid == 0)
			never_started(dj);
		else
			collect(dj, true);
		return;
	}
	adopted_add(dj->j.id, (pid_t)sup);
	log_info("job=%u: re-adopted supervisor %ld", dj->j.id, sup);
	if (dj->j.flags & JOB_F_REQUEUE_REQ)
		requeue_later(dj->j.id);
}

/*
 * Signal the job's supervisor through its pidfd: the one we watch it by,
 * or, for one from the zygote (watched through its socket), the one the
 * zygote sent with it.  Never by its bare pid: a supervisor that ended
 * just now, its end not yet seen, may have left its pid to another
 * process.  One that has ended is not signalled (ESRCH); its end, seen
 * next, settles the job.
 */
static int
sup_signal(struct djob *dj, int sig, const union sigval *v)
{
	const struct djob_run *r = DJ_RT(dj);
	int fd = r->sup_pooled ? sock_pidfd_get(r->pidfd) : r->pidfd;

	return pidfd_signal(fd, sig, v);
}

int
supervise_cancel(struct djob *dj)
{
	union sigval v;

	/* An allocation's sup_pid is its holder (alloc.c). */
	if (DJ_RT(dj)->sup_pid <= 0 || (dj->j.flags & JOB_F_INTERACTIVE))
		return -1;
	/* One from the zygote may be on to its next job when this arrives:
	 * say which job (spec.h). */
	v = spec_ctl_value(dj->j.id, SPEC_CTL_CANCEL);
	if (sup_signal(dj, DJ_RT(dj)->sup_pooled ? SPEC_CTL_SIG : SIGTERM,
	    DJ_RT(dj)->sup_pooled ? &v : NULL) == -1) {
		if (errno == ESRCH)
			return 0;	/* its end is seen next */
		log_warn("job=%u: kill supervisor %ld", dj->j.id,
		    (long)DJ_RT(dj)->sup_pid);
		return -1;
	}
	return 0;
}

/*
 * scontrol requeue of running jobs, whose supervisors hear of it only
 * once the request (JOB_F_REQUEUE_REQ) is committed: a daemon that dies
 * in between leaves the job running untouched, as its caller saw the
 * request fail (a supervisor told first ended the job, which the next
 * daemon, without the request, could only call CANCELLED).  A
 * re-adopted job whose request was committed is told again (it may not
 * have been): a second requeue signal changes nothing.
 */
static uint32_t		*requeue_due;
static uint32_t		 nrequeue_due;
static uint32_t		 requeue_due_cap;

static void
requeue_later(uint32_t id)
{
	if (nrequeue_due == requeue_due_cap) {
		requeue_due_cap = requeue_due_cap ? requeue_due_cap * 2 : 16;
		requeue_due = xreallocarray(requeue_due, requeue_due_cap,
		    sizeof *requeue_due);
	}
	requeue_due[nrequeue_due++] = id;
}

int
supervise_requeue(struct djob *dj, bool hold)
{
	/* An allocation's sup_pid is its holder (alloc.c). */
	if (DJ_RT(dj)->sup_pid <= 0 || (dj->j.flags & JOB_F_INTERACTIVE))
		return -1;
	dj->j.flags |= JOB_F_REQUEUE_REQ | (hold ? JOB_F_REQUEUE_HOLD : 0);
	if (job_save(dj) == -1)
		return -1;
	requeue_later(dj->j.id);
	/* e2e 80-requeue-crash: die before the commit. */
	if (supervise_test_die_at("requeue"))
		_exit(3);
	return 0;
}

/* The transaction is committed: tell the supervisors of the jobs whose
 * requeue it holds.  One that is gone meanwhile is seen to end, and its
 * job requeued all the same (node_failed()). */
void
supervise_committed(void)
{
	struct djob *dj;
	union sigval v;

	for (uint32_t i = 0; i < nrequeue_due; i++) {
		dj = job_find(requeue_due[i]);
		if (dj == NULL || dj->j.state != JOB_RUNNING ||
		    !(dj->j.flags & JOB_F_REQUEUE_REQ) ||
		    DJ_RT(dj)->sup_pid <= 0)
			continue;
		v = spec_ctl_value(dj->j.id, SPEC_CTL_REQUEUE);
		if (sup_signal(dj, SPEC_CTL_SIG, &v) == -1 && errno != ESRCH)
			log_warn("job=%u: sigqueue requeue to supervisor %ld",
			    dj->j.id, (long)DJ_RT(dj)->sup_pid);
	}
	nrequeue_due = 0;
}

int
supervise_timelimit(struct djob *dj)
{
	union sigval v;
	uint32_t t = dj->j.time_limit;

	/* An allocation's sup_pid is its holder (alloc.c). */
	if (DJ_RT(dj)->sup_pid <= 0 || (dj->j.flags & JOB_F_INTERACTIVE))
		return -1;
	if (t == INFINITE || t == NO_VAL || t >= SPEC_LIMIT_NONE)
		t = SPEC_LIMIT_NONE;
	v = spec_ctl_value(dj->j.id,
	    (int)(SPEC_CTL_TIMELIMIT | (t << SPEC_LIMIT_SHIFT)));
	if (sup_signal(dj, SPEC_CTL_SIG, &v) == -1) {
		if (errno == ESRCH)
			return 0;	/* its end is seen next */
		log_warn("job=%u: sigqueue time limit to supervisor %ld",
		    dj->j.id, (long)DJ_RT(dj)->sup_pid);
		return -1;
	}
	return 0;
}

int
supervise_signal(struct djob *dj, int sig, bool batch_only)
{
	union sigval v;

	/* An allocation's sup_pid is its holder (alloc.c). */
	if (DJ_RT(dj)->sup_pid <= 0 || (dj->j.flags & JOB_F_INTERACTIVE))
		return -1;
	v = spec_ctl_value(dj->j.id, sig | (batch_only ? SPEC_SIG_BATCH : 0));
	if (sup_signal(dj, SPEC_CTL_SIG, &v) == -1) {
		if (errno == ESRCH)
			return 0;	/* its end is seen next */
		log_warn("job=%u: sigqueue supervisor %ld", dj->j.id,
		    (long)DJ_RT(dj)->sup_pid);
		return -1;
	}
	return 0;
}
