/* SPDX-License-Identifier: MIT */
/*
 * Slurm's value formats: durations, time limits, timestamps, memory sizes
 * exit codes and GPU requests (TresPer*), each appended to a struct buf.
 *
 * Slurm has two duration styles and we copy both: squeue's _print_secs()
 * drops leading zero fields ("0:04", "1:00:00"), while sacct and scontrol
 * use secs2time_str()/mins2time_str() which always print hours
 * ("00:01:27").  Days are "D-HH:MM:SS" in both.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "fmt-int.h"

void
fmt_u64(struct buf *b, uint64_t v)
{
	char s[24], *p = s + sizeof s;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	fmt_add(b, p, (size_t)(s + sizeof s - p));
}

void
fmt_i64(struct buf *b, int64_t v)
{
	if (v < 0) {
		fmt_addc(b, '-');
		fmt_u64(b, -(uint64_t)v);
	} else
		fmt_u64(b, (uint64_t)v);
}

void
fmt_2d(struct buf *b, int v)
{
	char s[2] = { (char)('0' + v / 10 % 10), (char)('0' + v % 10) };

	fmt_add(b, s, 2);
}

void
fmt_clock(struct buf *b, int h, int m, int s)
{
	char t[8] = {
		(char)('0' + h / 10 % 10), (char)('0' + h % 10), ':',
		(char)('0' + m / 10 % 10), (char)('0' + m % 10), ':',
		(char)('0' + s / 10 % 10), (char)('0' + s % 10)
	};

	fmt_add(b, t, sizeof t);
}

void
fmt_duration(struct buf *b, int64_t secs)
{
	int d, h, m, s;

	/* squeue's _print_secs() refuses more than a year too. */
	if (secs < 0 || secs > 365 * 86400) {
		fmt_adds(b, "INVALID");
		return;
	}
	s = (int)(secs % 60);
	m = (int)(secs / 60 % 60);
	h = (int)(secs / 3600 % 24);
	d = (int)(secs / 86400);
	if (d != 0) {
		fmt_u64(b, (uint64_t)d);
		fmt_addc(b, '-');
		fmt_clock(b, h, m, s);
	} else if (h != 0) {
		fmt_u64(b, (uint64_t)h);
		fmt_addc(b, ':');
		fmt_2d(b, m);
		fmt_addc(b, ':');
		fmt_2d(b, s);
	} else {
		fmt_u64(b, (uint64_t)m);
		fmt_addc(b, ':');
		fmt_2d(b, s);
	}
}

void
fmt_duration_long(struct buf *b, int64_t secs)
{
	if (secs < 0) {
		fmt_adds(b, "INVALID");
		return;
	}
	if (secs >= 86400) {
		fmt_u64(b, (uint64_t)(secs / 86400));
		fmt_addc(b, '-');
	}
	fmt_clock(b, (int)(secs / 3600 % 24), (int)(secs / 60 % 60),
	    (int)(secs % 60));
}

void
fmt_time_limit(struct buf *b, uint32_t minutes)
{
	if (minutes == INFINITE)
		fmt_adds(b, "UNLIMITED");
	else if (minutes == NO_VAL)
		fmt_adds(b, "NOT_SET");
	else
		fmt_duration(b, (int64_t)minutes * 60);
}

void
fmt_time_limit_long(struct buf *b, uint32_t minutes)
{
	if (minutes == INFINITE)
		fmt_adds(b, "UNLIMITED");
	else if (minutes == NO_VAL)
		fmt_adds(b, "Partition_Limit");
	else
		fmt_duration_long(b, (int64_t)minutes * 60);
}

/*
 * SLURM_TIME_FORMAT as Slurm's slurm_make_time_str() reads it: unset,
 * empty or "standard" is %FT%T; "relative" depends on the day (below);
 * a text with a '%' (shorter than 32) is a strftime format; anything
 * else is standard.  NULL for standard.
 */
static const char *
time_format(void)
{
	static bool done;
	static const char *fmt;
	const char *e;

	if (done)
		return fmt;
	done = true;
	e = getenv("SLURM_TIME_FORMAT");
	if (e == NULL || *e == '\0' || strcmp(e, "standard") == 0)
		return NULL;
	if (strcmp(e, "relative") == 0 ||
	    (strchr(e, '%') != NULL && strlen(e) < 32))
		fmt = e;
	else
		fprintf(stderr, "%s: error: invalid SLURM_TIME_FORMAT = '%s'\n",
		    program_invocation_short_name, e);
	return fmt;
}

/* Slurm's _relative_date_fmt(): the format for a day relative to today. */
static void
relative_time(struct buf *b, const struct tm *tm)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static const char *const wday[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	struct tm now_tm;
	time_t now = time(NULL);
	long dist;

	if (localtime_r(&now, &now_tm) == NULL)
		memset(&now_tm, 0, sizeof now_tm);
	dist = 1000L * (tm->tm_year + 1900) + tm->tm_yday -
	    (1000L * (now_tm.tm_year + 1900) + now_tm.tm_yday);
	if (dist == -1 || dist == 1) {
		fmt_adds(b, dist == -1 ? "Ystday " : "Tomorr ");
		fmt_2d(b, tm->tm_hour);
		fmt_addc(b, ':');
		fmt_2d(b, tm->tm_min);
	} else if (dist == 0)
		fmt_clock(b, tm->tm_hour, tm->tm_min, tm->tm_sec);
	else if (dist < -365 || dist > 365)
		buf_printf(b, "%d %s %d", tm->tm_mday, mon[tm->tm_mon % 12],
		    tm->tm_year + 1900);
	else if (dist < -1 || dist > 6)
		buf_printf(b, "%d %s %02d:%02d", tm->tm_mday,
		    mon[tm->tm_mon % 12], tm->tm_hour, tm->tm_min);
	else
		buf_printf(b, "%s %02d:%02d", wday[tm->tm_wday % 7],
		    tm->tm_hour, tm->tm_min);
}

/*
 * Listing many jobs formats the same instants again and again (jobs
 * submitted together): the last one is kept.
 */
void
fmt_timestamp(struct buf *b, int64_t t, const char *zero_text)
{
	static int64_t last_t;
	static struct buf last;
	struct tm tm;
	time_t tt = (time_t)t;
	/* Called through a pointer: the format is the user's. */
	size_t (*format)(char *, size_t, const char *, const struct tm *) =
	    strftime;
	const char *tf;
	char s[32];

	if (t == 0) {
		fmt_adds(b, zero_text);
		return;
	}
	if (last.len > 0 && t == last_t) {
		fmt_add(b, last.data, last.len);
		return;
	}
	if (localtime_r(&tt, &tm) == NULL) {
		fmt_adds(b, zero_text);
		return;
	}
	buf_reset(&last);
	if ((tf = time_format()) != NULL) {
		if (strcmp(tf, "relative") == 0)
			relative_time(&last, &tm);
		else if (format(s, sizeof s, tf, &tm) == 0) {
			/* Slurm fills a result too long with '#'. */
			memset(s, '#', sizeof s - 1);
			s[sizeof s - 1] = '\0';
			fmt_adds(&last, s);
		} else
			fmt_adds(&last, s);
		last_t = t;
		fmt_add(b, last.data, last.len);
		return;
	}
	fmt_i64(&last, (int64_t)tm.tm_year + 1900);	/* %Y-%m-%dT%H:%M:%S */
	fmt_addc(&last, '-');
	fmt_2d(&last, tm.tm_mon + 1);
	fmt_addc(&last, '-');
	fmt_2d(&last, tm.tm_mday);
	fmt_addc(&last, 'T');
	fmt_clock(&last, tm.tm_hour, tm.tm_min, tm.tm_sec);
	last_t = t;
	fmt_add(b, last.data, last.len);
}

/*
 * Slurm's convert_num_unit2(): with FMT_UNIT_EXACT (CONVERT_NUM_UNIT_EXACT)
 * move to the next unit while the value stays a multiple of half that
 * unit (so 1536M is "1.50G" but 1000M stays "1000M"); FMT_UNIT_ALL moves
 * while the value is at least one unit (2596K is "2.60M" with divisor
 * 1000); FMT_UNIT_NONE keeps the unit.  unit: 0 none, 1 K, 2 M, ...
 */
void
fmt_num_unit(struct buf *b, double num, int unit, int divisor, int mode)
{
	static const char units[] = "\0KMGTP?";
	uint64_t i;

	if ((int64_t)num == 0) {
		fmt_adds(b, "0");
		return;
	}
	while (mode != FMT_UNIT_NONE && num >= divisor && unit < 5 &&
	    (mode == FMT_UNIT_ALL || (uint64_t)num % (uint64_t)(divisor / 2) ==
	    0)) {
		num /= divisor;
		unit++;
	}
	i = (uint64_t)num;
	if ((double)i == num)
		fmt_u64(b, i);
	else
		buf_printf(b, "%.2f", num);
	if (unit > 0)
		fmt_addc(b, units[unit]);
}

/* sacct --units: the unit memory is shown in, -1 for Slurm's choice. */
static int mem_unit = -1;

void
fmt_mem_set_unit(int unit)
{
	mem_unit = unit;
}

/*
 * With a unit set, Slurm's convert_num_unit2() with a spec_type: 0 stays
 * "0", anything else moves to that unit (1000M is "0.98G", 3144K
 * "0.00G", 2048M "2G").
 */
static void
fmt_units(struct buf *b, uint64_t v, int unit)
{
	double num = (double)v;

	if (mem_unit < 0 || v == 0) {
		fmt_num_unit(b, num, unit, 1024, FMT_UNIT_EXACT);
		return;
	}
	for (; unit < mem_unit; unit++)
		num /= 1024;
	for (; unit > mem_unit; unit--)
		num *= 1024;
	if ((double)(uint64_t)num == num)
		fmt_u64(b, (uint64_t)num);
	else
		buf_printf(b, "%.2f", num);
	if (unit > 0)
		fmt_addc(b, "\0KMGTP"[unit]);
}

void
fmt_mem_mb(struct buf *b, uint64_t mb)
{
	fmt_units(b, mb, 2);
}

void
fmt_mem_kb(struct buf *b, uint64_t kb)
{
	fmt_units(b, kb, 1);
}

void
fmt_exit_code(struct buf *b, int32_t status)
{
	int code = 0, sig = 0;

	if (WIFSIGNALED(status))
		sig = WTERMSIG(status);
	else if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	fmt_i64(b, code);
	fmt_addc(b, ':');
	fmt_i64(b, sig);
}

void
fmt_tres_per(struct buf *b, const char *req)
{
	const char *p = req, *e;

	for (;;) {
		e = strchr(p, ',');
		if (strncmp(p, "gres:", 5) != 0)
			buf_adds(b, "gres:");
		if (e == NULL)
			break;
		buf_add(b, p, (size_t)(e + 1 - p));
		p = e + 1;
	}
	buf_adds(b, p);
}
