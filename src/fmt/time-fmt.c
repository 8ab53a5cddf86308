/* SPDX-License-Identifier: MIT */
/*
 * Slurm's value formats: durations, time limits, timestamps, memory sizes
 * and exit codes, each appended to a struct buf.
 *
 * Slurm has two duration styles and we copy both: squeue's _print_secs()
 * drops leading zero fields ("0:04", "1:00:00"), while sacct and scontrol
 * use secs2time_str()/mins2time_str() which always print hours
 * ("00:01:27").  Days are "D-HH:MM:SS" in both.
 */
#include <inttypes.h>
#include <sys/wait.h>
#include <time.h>

#include "fmt.h"

void
fmt_duration(struct buf *b, int64_t secs)
{
	int64_t d, h, m, s;

	/* squeue's _print_secs() refuses more than a year too. */
	if (secs < 0 || secs > 365 * 86400) {
		buf_adds(b, "INVALID");
		return;
	}
	s = secs % 60;
	m = (secs / 60) % 60;
	h = (secs / 3600) % 24;
	d = secs / 86400;
	if (d != 0)
		buf_printf(b, "%" PRId64 "-%02" PRId64 ":%02" PRId64 ":%02"
		    PRId64, d, h, m, s);
	else if (h != 0)
		buf_printf(b, "%" PRId64 ":%02" PRId64 ":%02" PRId64, h, m, s);
	else
		buf_printf(b, "%" PRId64 ":%02" PRId64, m, s);
}

void
fmt_duration_long(struct buf *b, int64_t secs)
{
	int64_t d, h, m, s;

	if (secs < 0) {
		buf_adds(b, "INVALID");
		return;
	}
	s = secs % 60;
	m = (secs / 60) % 60;
	h = (secs / 3600) % 24;
	d = secs / 86400;
	if (d != 0)
		buf_printf(b, "%" PRId64 "-%02" PRId64 ":%02" PRId64 ":%02"
		    PRId64, d, h, m, s);
	else
		buf_printf(b, "%02" PRId64 ":%02" PRId64 ":%02" PRId64, h, m,
		    s);
}

void
fmt_time_limit(struct buf *b, uint32_t minutes)
{
	if (minutes == INFINITE)
		buf_adds(b, "UNLIMITED");
	else if (minutes == NO_VAL)
		buf_adds(b, "NOT_SET");
	else
		fmt_duration(b, (int64_t)minutes * 60);
}

void
fmt_time_limit_long(struct buf *b, uint32_t minutes)
{
	if (minutes == INFINITE)
		buf_adds(b, "UNLIMITED");
	else if (minutes == NO_VAL)
		buf_adds(b, "Partition_Limit");
	else
		fmt_duration_long(b, (int64_t)minutes * 60);
}

void
fmt_timestamp(struct buf *b, int64_t t, const char *zero_text)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char s[64];

	if (t == 0 || localtime_r(&tt, &tm) == NULL) {
		buf_adds(b, zero_text);
		return;
	}
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm);
	buf_adds(b, s);
}

/*
 * Slurm's convert_num_unit() with CONVERT_NUM_UNIT_EXACT: move to the next
 * unit while the value stays a multiple of half that unit (so 1536M is
 * "1.50G" but 1000M stays "1000M").  unit: 0 none, 1 K, 2 M, ...
 */
static void
fmt_units(struct buf *b, uint64_t v, int unit)
{
	static const char units[] = "\0KMGTP?";
	double num = (double)v;
	uint64_t i;

	if (v == 0) {
		buf_adds(b, "0");
		return;
	}
	while (num >= 1024 && (uint64_t)num % 512 == 0 && unit < 5) {
		num /= 1024;
		unit++;
	}
	i = (uint64_t)num;
	if ((double)i == num)
		buf_printf(b, "%" PRIu64, i);
	else
		buf_printf(b, "%.2f", num);
	if (unit > 0)
		buf_addc(b, units[unit]);
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
	buf_printf(b, "%d:%d", code, sig);
}
