/* SPDX-License-Identifier: MIT */
/*
 * Logging for the daemon and the supervisor (the CLI uses cli_err* instead).
 * One sink: a file opened by log_open(), or stderr.  Each line carries a
 * timestamp, a level and the calling function.  log_warn appends strerror of
 * the current errno; log_warnx does not.  fatal/fatalx are for startup and
 * impossible states only: they log and exit(1).
 */
#ifndef BERTH_LOG_H
#define BERTH_LOG_H

#include <stdbool.h>

int	 log_open(const char *path, const char *prog, bool debug);
void	 log_set_stderr(const char *prog, bool debug);
void	 log_close(void);
/* Hold lines in memory until log_flush() (or log_hold(false), a fatal
 * error, log_close()). */
void	 log_hold(bool);
void	 log_flush(void);
/* While starting up: also print warnings and fatal errors on stderr as
 * "<prog>: message", so whoever started the program sees why it failed. */
void	 log_mirror_stderr(bool);

void	 log_msg(const char *lvl, const char *func, bool err, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
void	 log_fatal(const char *func, bool err, const char *, ...)
	    __attribute__((format(printf, 3, 4), noreturn));
extern bool log_debug_enabled;

#define log_info(...)	log_msg("info", __func__, false, __VA_ARGS__)
#define log_warn(...)	log_msg("warn", __func__, true, __VA_ARGS__)
#define log_warnx(...)	log_msg("warn", __func__, false, __VA_ARGS__)
#define log_debug(...)	do { if (log_debug_enabled) \
	log_msg("debug", __func__, false, __VA_ARGS__); } while (0)
#define fatal(...)	log_fatal(__func__, true, __VA_ARGS__)
#define fatalx(...)	log_fatal(__func__, false, __VA_ARGS__)

#endif
