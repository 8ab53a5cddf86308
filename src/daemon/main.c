/* SPDX-License-Identifier: MIT */
/*
 * berthd: start-up, daemonizing and the event loop.
 *
 * Start-up order: resolve paths; take the state directory's lock (another
 * berthd holding it -> exit 3, so racing autostarts never run two
 * daemons); fork, the parent waiting on a pipe until the child reports
 * "listening" (exit 0) or dies (exit 1); the child opens the log, store and
 * config, recovers jobs, listens, and enters the loop.  fatal() is used
 * only here, before the loop runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "daemon.h"
#include "schedule.h"

struct daemon *D;

static void	 usage(void) __attribute__((noreturn));
static char	*default_state_dir(void);
static void	 setup(void);
static void	 recover(void);
static void	 loop(void);
static void	 handle_signals(void);
static void	 handle_timer(void);
static void	 end_of_iteration(void);

/* How long a commit nobody waits for may wait for company (ms), and when
 * the open one is due (CLOCK_MONOTONIC ms, 0: none). */
#define COMMIT_DEFER_MS	5
static int64_t	 commit_due;

static void
usage(void)
{
	fprintf(stderr, "usage: berthd [-fd] [--state-dir DIR] "
	    "[--socket PATH] [--conf FILE]\n");
	exit(1);
}

static char *
default_state_dir(void)
{
	const char *e, *home;
	struct passwd *pw;

	if ((e = getenv("BERTH_STATE_DIR")) != NULL && *e != '\0')
		return xstrdup(e);
	if ((e = getenv("XDG_STATE_HOME")) != NULL && *e == '/')
		return xprintf("%s/berth", e);
	home = getenv("HOME");
	if ((home == NULL || *home == '\0') &&
	    (pw = getpwuid(getuid())) != NULL)
		home = pw->pw_dir;
	return xprintf("%s/.local/state/berth", home != NULL ? home : "/tmp");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state-dir", required_argument, NULL, 's' },
		{ "socket", required_argument, NULL, 'S' },
		{ "conf", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	char *path, *dir, buf[PATH_MAX];
	const char *e;
	int ch, pfd[2] = { -1, -1 }, fd;
	pid_t pid;
	char ok;

	/*
	 * Nothing the starter had open beyond 0-2 stays open here or in
	 * the supervisors: a shell's pipe held by the daemon (an autostart
	 * from `x=$(sbatch ...)` or from a script writing through a pipe)
	 * would never see its end.  0-2 go to /dev/null or the log below.
	 * An old kernel without close_range keeps them, as before.
	 */
	if (syscall(SYS_close_range, 3u, ~0u, 0u) == -1 && errno != ENOSYS) {
		fprintf(stderr, "berthd: close_range: %s\n", strerror(errno));
		return 1;
	}
	/*
	 * And 0-2 open: one the starter closed (a client run with `<&-`
	 * autostarts us so) would be the state lock's descriptor, which the
	 * /dev/null put on 0 below closed, freeing the lock for a second
	 * daemon.
	 */
	do {
		if ((fd = open("/dev/null", O_RDWR)) == -1) {
			fprintf(stderr, "berthd: open /dev/null: %s\n",
			    strerror(errno));
			return 1;
		}
	} while (fd <= 2);
	close(fd);
	D = xcalloc(1, sizeof *D);
	D->listenfd = D->sigfd = D->timerfd = D->epfd = D->lockfd = -1;
	while ((ch = getopt_long(argc, argv, "fds:S:c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			D->foreground = true;
			break;
		case 'd':
			D->debug = true;
			break;
		case 's':
			D->state_dir = xstrdup(optarg);
			break;
		case 'S':
			D->socket_path = xstrdup(optarg);
			break;
		case 'c':
			D->conf_path = xstrdup(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (D->state_dir == NULL)
		D->state_dir = default_state_dir();
	if (D->socket_path == NULL) {
		if ((e = getenv("BERTH_SOCKET")) != NULL && *e != '\0')
			D->socket_path = xstrdup(e);
		else
			D->socket_path = xprintf("%s/berthd.sock",
			    D->state_dir);
	}
	if (D->conf_path == NULL) {
		if ((e = getenv("BERTH_CONF")) != NULL && *e != '\0')
			D->conf_path = xstrdup(e);
		else
			D->conf_path = xprintf("%s/berth.conf", D->state_dir);
	}
	D->jobs_dir = xprintf("%s/jobs", D->state_dir);
	dir = self_dir();
	D->jobsup_path = xprintf("%s/../libexec/berth/berth-jobsup", dir);
	free(dir);
	if (realpath(D->jobsup_path, buf) != NULL) {
		free(D->jobsup_path);
		D->jobsup_path = xstrdup(buf);
	}

	umask(022);
	if (mkdir_p(D->state_dir, 0700) == -1 || mkdir_p(D->jobs_dir, 0700) ==
	    -1) {
		fprintf(stderr, "berthd: mkdir %s: %s\n", D->state_dir,
		    strerror(errno));
		return 1;
	}
	path = xprintf("%s/berthd.lock", D->state_dir);
	D->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (D->lockfd == -1) {
		fprintf(stderr, "berthd: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (flock(D->lockfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			return 3;	/* another berthd owns this state dir */
		fprintf(stderr, "berthd: flock %s: %s\n", path,
		    strerror(errno));
		return 1;
	}
	free(path);

	if (!D->foreground) {
		if (pipe2(pfd, O_CLOEXEC) == -1) {
			fprintf(stderr, "berthd: pipe: %s\n", strerror(errno));
			return 1;
		}
		if ((pid = fork()) == -1) {
			fprintf(stderr, "berthd: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid > 0) {
			close(pfd[1]);
			if (read(pfd[0], &ok, 1) != 1)
				return 1;	/* child failed: see its log */
			return 0;
		}
		close(pfd[0]);
		if (setsid() == -1)
			fatal("setsid");
	}

	path = xprintf("%s/berthd.log", D->state_dir);
	if (log_open(path, "berthd", D->debug) == -1) {
		fprintf(stderr, "berthd: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	free(path);
	log_mirror_stderr(true);
	setup();
	prio_init();
	recover();

	path = xprintf("%s/berthd.pid", D->state_dir);
	xasprintf(&dir, "%ld\n", (long)getpid());
	if (write_file_atomic(path, dir, strlen(dir), 0644, false) == -1)
		fatal("write %s", path);
	free(dir);
	free(path);
	log_info("berthd started: state %s, socket %s, %u CPUs (%s), "
	    "%llu MB, %u GPUs, config %s", D->state_dir, D->socket_path,
	    D->conf.cpus, D->conf.cpu_ids,
	    (unsigned long long)D->conf.real_mem_mb, D->conf.gpus,
	    D->conf.path != NULL ? D->conf.path : "(none)");

	log_mirror_stderr(false);
	if (!D->foreground) {
		/* stdout/stderr to the log: sanitizer reports land there. */
		path = xprintf("%s/berthd.log", D->state_dir);
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
		free(path);
		if (fd != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		if ((fd = open("/dev/null", O_RDONLY)) != -1) {
			dup2(fd, 0);
			if (fd > 0)
				close(fd);
		}
		ok = 1;
		if (write(pfd[1], &ok, 1) != 1)
			log_warn("write readiness pipe");
		close(pfd[1]);
	}
	log_hold(true);
	loop();
	log_hold(false);
	log_info("berthd stopping; %u running jobs keep running",
	    D->nrunning);
	server_close_all();
	prio_free();
	store_close(D->store);
	path = xprintf("%s/berthd.pid", D->state_dir);
	unlink(path);
	free(path);
	return 0;
}

static void
setup(void)
{
	struct epoll_event ee;
	sigset_t mask;
	char *cause = NULL, *path;

	struct rlimit rl;

	/* Big reply buffers (megabytes for a long squeue) must go back to
	 * the system when freed: a fixed mmap threshold stops glibc from
	 * raising it and keeping them on the heap. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_TRIM_THRESHOLD, 512 * 1024);
	/* One thread: one arena. */
	mallopt(M_ARENA_MAX, 1);

	/* Two fds per running job (pidfd or socket, job file): take what
	 * we may. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_warn("setrlimit RLIMIT_NOFILE");
	}
	TAILQ_INIT(&D->pending);
	TAILQ_INIT(&D->running);
	TAILQ_INIT(&D->done);
	TAILQ_INIT(&D->clients);
	D->start_time = now_sec();

	if (conf_load(D->conf_path, &D->conf, &cause) == -1)
		fatalx("config: %s", cause);
	if (bitmap_parse(&D->node_cpus, D->conf.cpu_ids) == -1)
		fatalx("config: bad CPU list %s", D->conf.cpu_ids);

	path = xprintf("%s/berth.db", D->state_dir);
	if ((D->store = store_open(path, &cause)) == NULL)
		fatalx("%s", cause);
	free(path);
	if (store_max_job_id(D->store, &D->next_id, &cause) == -1)
		fatalx("%s", cause);
	D->next_id++;
	if (D->next_id < D->conf.first_job_id)
		D->next_id = D->conf.first_job_id;

	/* Supervisors we spawn stay zombies until supervise_exited() reaps
	 * them, so pidfd_open() after posix_spawn can never miss a fast one
	 * nor catch a reused pid.  (SIG_DFL: no signal is queued.) */
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1)
		fatal("sigprocmask");
	if ((D->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		fatal("signalfd");
	/* Wall clock: the deadlines it serves (--begin) are wall times. */
	D->timerfd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC |
	    TFD_NONBLOCK);
	if (D->timerfd == -1)
		fatal("timerfd_create");
	if ((D->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		fatal("epoll_create1");
	D->signal_ev.kind = EV_SIGNAL;
	D->timer_ev.kind = EV_TIMER;
	ee.events = EPOLLIN;
	ee.data.ptr = &D->signal_ev;
	if (epoll_ctl(D->epfd, EPOLL_CTL_ADD, D->sigfd, &ee) == -1)
		fatal("epoll_ctl signalfd");
	ee.data.ptr = &D->timer_ev;
	if (epoll_ctl(D->epfd, EPOLL_CTL_ADD, D->timerfd, &ee) == -1)
		fatal("epoll_ctl timerfd");
	if (server_listen(&cause) == -1)
		fatalx("%s", cause);
}

static void
recover_cb(void *arg, struct job *j)
{
	(void)arg;
	job_add(j);
	free(j);
}

/* Load unfinished jobs and re-adopt (or collect) their supervisors. */
static void
recover(void)
{
	struct djob *dj, *next;
	char *cause = NULL;

	if (store_jobs_active(D->store, recover_cb, NULL, &cause) == -1)
		fatalx("%s", cause);
	/* Steps first: a job found ended accounts its steps. */
	if (steps_recover(&cause) == -1)
		fatalx("%s", cause);
	for (dj = TAILQ_FIRST(&D->running); dj != NULL; dj = next) {
		next = TAILQ_NEXT(dj, entry);
		if (dj->j.flags & JOB_F_INTERACTIVE)
			alloc_recover(dj);
		else
			supervise_recover(dj);
	}
	alloc_recover_pending();
	supervise_sweep();
	end_of_iteration();
	schedule_changed();
	if (D->npending + D->nrunning > 0)
		log_info("recovered %u pending and %u running jobs",
		    D->npending, D->nrunning);
}

/*
 * Arm the one timer for the next deadline: the earliest begin time of a
 * pending job (found by the last scheduling pass) or the moment the oldest
 * finished job may be forgotten.  No deadline: the timer is disarmed and
 * the daemon sleeps until something happens.
 */
static void
arm_timer(void)
{
	struct itimerspec its;
	struct djob *oldest = TAILQ_FIRST(&D->done);
	int64_t wake = D->next_begin, steps = alloc_next_deadline();

	if (oldest != NULL && (wake == 0 || oldest->purge_at < wake))
		wake = oldest->purge_at;
	if (steps != 0 && (wake == 0 || steps < wake))
		wake = steps;
	if (wake == D->timer_at)
		return;
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = wake;	/* 0 disarms */
	if (timerfd_settime(D->timerfd, TFD_TIMER_ABSTIME, &its, NULL) == -1)
		log_warn("timerfd_settime");
	D->timer_at = wake;
}

static void
loop(void)
{
	struct epoll_event evs[64];
	int n, timeout;
	bool idle_wait, quiet = false;

	while (!D->quit) {
		/* Never sleep on staged work; a deferred commit is due at
		 * commit_due.  Idle: daemon_idle() may ask for a quiet spell
		 * first (quiet: the last wait was that spell, unbroken). */
		idle_wait = false;
		if (D->sched_needed)
			timeout = 0;
		else if (store_in_txn(D->store)) {
			timeout = (int)(commit_due - mono_msec());
			if (timeout < 0)
				timeout = 0;
		} else {
			timeout = daemon_idle(quiet);
			idle_wait = timeout != -1;
		}
		log_flush();
		n = epoll_wait(D->epfd, evs, (int)nitems(evs), timeout);
		quiet = n == 0 && idle_wait;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			fatal("epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			struct ev *ev = evs[i].data.ptr;

			switch (ev->kind) {
			case EV_LISTEN:
				server_accept();
				break;
			case EV_CLIENT:
				server_client_event((struct client *)ev,
				    evs[i].events);
				break;
			case EV_SIGNAL:
				handle_signals();
				break;
			case EV_TIMER:
				handle_timer();
				break;
			case EV_PIDFD:
				supervise_exited(ev);
				break;
			case EV_STEP:
				step_exited((struct dstep *)ev);
				break;
			case EV_DEAD:
				break;
			}
		}
		if (D->sched_needed)
			schedule();
		end_of_iteration();
	}
}

/*
 * Commit what this iteration staged (submissions, ends, and the jobs the
 * scheduler started: one fsync for all), then grant the interactive
 * allocations started, let the replies go out, retire the files of ended
 * jobs and spawn the started jobs' supervisors (the first one is handed
 * over before the commit and only told to go after it: supervise.c,
 * supervise_prelaunch()).
 */
static void
end_of_iteration(void)
{
	char *cause = NULL;
	bool defer = false, txn;

	alloc_after_schedule();
	steps_flush_dirty();

	/*
	 * A transaction that nobody waits for (no reply staged, no job to
	 * start: typically just job ends) is left open for up to
	 * COMMIT_DEFER_MS, so that it shares the fsync of the next
	 * submission instead of costing its own (two per job before, a
	 * tenth of the daemon's CPU).  Nothing is lost by a crash in that
	 * window: the ended jobs' files are retired only after the commit,
	 * and recovery reads their results from them, as if the daemon had
	 * noticed the ends later.
	 */
	if (store_in_txn(D->store) && !D->quit && D->nlaunch == 0 &&
	    !server_output_pending()) {
		if (commit_due == 0)
			commit_due = mono_msec() + COMMIT_DEFER_MS;
		defer = mono_msec() < commit_due;
	}
	if (!defer)
		commit_due = 0;
	/*
	 * The first job to start is handed over now, to get ready during
	 * the commit's fsync; it runs on the "go" of supervise_go().  (The
	 * commit once ran on a thread of the store meanwhile; without it the
	 * daemon does a few tens of microseconds more before the fsync but
	 * makes two thread wake-ups fewer per commit, and W2 went up:
	 * docs/performance.md, session 6.)
	 */
	supervise_prelaunch();
	/* Replies staged in this iteration promise durability: if the
	 * commit fails they must not go out.  Exit instead; clients see
	 * the connection close and report the failure, and a restart
	 * starts from the last consistent state. */
	txn = store_in_txn(D->store);
	if (!defer && store_commit(D->store, &cause) == -1) {
		supervise_prelaunch_cancel();
		fatalx("commit failed, stopping: %s", cause);
	}
	/* Requests that arrived together share the commit (e2e
	 * 73-group-commit reads this line). */
	if (!defer && txn)
		log_debug("commit: %u requests since the last", D->ntxn_requests);
	if (!defer)
		D->ntxn_requests = 0;
	if (!store_in_txn(D->store)) {
		supervise_go();
		supervise_committed();
	}
	/* Interactive grants and replies first: the file renames of ended
	 * jobs need not delay them.  (A deferred commit has no launch, so
	 * no grant.)  The files go before the launches, which may reuse
	 * them (and a requeued job may start again under the same name),
	 * and only once the ends are committed. */
	alloc_grant();
	server_flush_all();
	/* e2e 80-requeue-crash: dead after a commit with ended jobs' files
	 * still to retire. */
	if (D->ndoomed > 0 && !store_in_txn(D->store) &&
	    supervise_test_die_at("retire"))
		_exit(3);
	if (!store_in_txn(D->store))
		supervise_files_flush();
	steps_reap();
	schedule_launch();
	supervise_drop_data();
	supervise_prestart();
	arm_timer();
}

static void
handle_signals(void)
{
	struct signalfd_siginfo si;
	ssize_t n;

	while ((n = read(D->sigfd, &si, sizeof si)) == sizeof si) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("signal %u: shutting down", si.ssi_signo);
			D->quit = true;
			break;
		case SIGHUP: {
			char *cause = NULL;

			if (daemon_reconfigure(&cause) == -1) {
				log_warnx("SIGHUP: %s; configuration kept",
				    cause);
				free(cause);
			}
			break;
		}
		}
	}
	if (n == -1 && errno != EAGAIN)
		log_warn("read signalfd");
}

static void
handle_timer(void)
{
	uint64_t ticks;
	int64_t now = now_sec();

	if (read(D->timerfd, &ticks, sizeof ticks) == -1 && errno != EAGAIN)
		log_warn("read timerfd");
	D->timer_at = -1;	/* fired: arm again */
	job_purge_old(now);
	alloc_tick(now);
	if (D->next_begin != 0 && D->next_begin <= now) {
		schedule_changed();
	}
}
