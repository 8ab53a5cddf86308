// links:
/* SPDX-License-Identifier: MIT */
/*
 * parse_time_limit, parse_mem_mb and parse_begin_time against the values
 * Slurm 22.05 accepts and refuses (time_str2mins, str_to_mbytes,
 * parse_time).  Times run in UTC from a fixed "now" so results are exact.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "common/parse.h"
#include "t.h"

#define INF	0xffffffffu

static uint32_t
tl(const char *s)
{
	uint32_t m = 12345;

	if (parse_time_limit(s, &m) == -1)
		return 0xdeadu;
	return m;
}

static uint64_t
mem(const char *s)
{
	uint64_t m = 12345;

	if (parse_mem_mb(s, &m) == -1)
		return 0xdeadu;
	return m;
}

/* 2026-11-22T04:20:44Z, a Sunday. */
#define NOW	((int64_t)1795321244)

static int64_t
begin(const char *s)
{
	int64_t t = 0;

	if (parse_begin_time(s, NOW, &t) == -1)
		return -1;
	return t;
}

static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm);
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();

	/* time limits: every Slurm form */
	is_int(tl("10"), 10, "minutes");
	is_int(tl("0123"), 123, "leading zero minutes");
	is_int(tl("5:30"), 6, "minutes:seconds rounds up");
	is_int(tl("5:00"), 5, "minutes:seconds exact");
	is_int(tl("0:1"), 1, "one second is one minute");
	is_int(tl("1:30:00"), 90, "hours:minutes:seconds");
	is_int(tl("00:05:00"), 5, "HH:MM:SS from 11_sbatch_directives");
	is_int(tl("1:00:01"), 61, "h:m:s rounds up");
	is_int(tl("2-0"), 2880, "days-hours");
	is_int(tl("1-2"), 1560, "days-hours 1-2");
	is_int(tl("1-2:30"), 1590, "days-hours:minutes");
	is_int(tl("1-0:0:30"), 1441, "days-hours:minutes:seconds");
	is_int(tl("3-"), 4320, "days- alone");
	is_int(tl("0"), INF, "0 is INFINITE");
	is_int(tl("0:0"), INF, "0:0 is INFINITE");
	is_int(tl("UNLIMITED"), INF, "UNLIMITED");
	is_int(tl("infinite"), INF, "infinite, any case");
	is_int(tl("-1"), INF, "-1");
	is_int(tl("60"), 60, "-t 60 from 02_sbatch_errors");
	is_int(tl("garbage"), 0xdead, "garbage refused");
	is_int(tl(""), 0xdead, "empty refused");
	is_int(tl("5:"), 0xdead, "5: refused");
	is_int(tl(":5"), 0xdead, ":5 refused");
	is_int(tl("1:2:3:4"), 0xdead, "three colons refused");
	is_int(tl("1-2-3"), 0xdead, "two dashes refused");
	is_int(tl("1:2-3"), 0xdead, "dash after colon refused");
	is_int(tl("1-:3"), 0xdead, "d-:m refused");
	is_int(tl("-5"), 0xdead, "negative refused");
	is_int(tl("10m"), 0xdead, "unit letters refused");
	is_int(tl(" 10"), 0xdead, "blanks refused");
	is_int(tl("99999999999999"), 0xdead, "overflow refused");

	/* memory */
	is_int(mem("500"), 500, "plain number is MB");
	is_int(mem("500M"), 500, "M");
	is_int(mem("500m"), 500, "m");
	is_int(mem("1G"), 1024, "G");
	is_int(mem("2g"), 2048, "g");
	is_int(mem("1T"), 1024 * 1024, "T");
	is_int(mem("1024K"), 1, "K exact");
	is_int(mem("1025K"), 2, "K rounds up");
	is_int(mem("1k"), 1, "1k rounds up to 1");
	is_int(mem("0"), 0, "0 allowed");
	is_int(mem("4GB"), 4096, "GB accepted");
	is_int(mem("100000"), 100000, "100000 from 02_sbatch_errors");
	is_int(mem("abc"), 0xdead, "abc refused");
	is_int(mem(""), 0xdead, "empty refused");
	is_int(mem("-5"), 0xdead, "negative refused");
	is_int(mem("5X"), 0xdead, "unknown unit refused");
	is_int(mem("5GX"), 0xdead, "junk after unit refused");
	is_int(mem("5B"), 0xdead, "bytes refused");
	is_int(mem("99999999999999999999"), 0xdead, "overflow refused");
	is_int(mem("9999999999999T"), 0xdead, "overflow after unit refused");

	/* --begin */
	is_int(begin("now"), NOW, "now");
	is_int(begin("now+60"), NOW + 60, "now+60 (seconds by default)");
	is_int(begin("now+1hour"), NOW + 3600, "now+1hour");
	is_int(begin("now+2hours"), NOW + 7200, "now+2hours");
	is_int(begin("now+10minutes"), NOW + 600, "now+10minutes");
	is_int(begin("now+1day"), NOW + 86400, "now+1day");
	is_int(begin("now+1week"), NOW + 7 * 86400, "now+1week");
	is_int(begin("now+ 5 seconds"), NOW + 5, "blanks inside delta");
	is_int(begin("NOW+1MINUTE"), NOW + 60, "case-insensitive");
	is_int(begin("now-60"), NOW - 60, "now-60");
	is_int(begin("now+1h"), -1, "now+1h refused as in Slurm");
	is_int(begin("now+"), -1, "now+ without count refused");
	is_int(begin("nowx"), -1, "nowx refused");
	is_int(begin("garbage"), -1, "garbage refused");
	is_int(begin(""), -1, "empty refused");
	is_int(begin("16:00"), utc(2026, 11, 22, 16, 0, 0), "16:00 today");
	is_int(begin("04:20"), utc(2026, 11, 23, 4, 20, 0),
	    "a time already past (same minute) means tomorrow");
	is_int(begin("04:21:30"), utc(2026, 11, 22, 4, 21, 30),
	    "HH:MM:SS later today");
	is_int(begin("3:00"), utc(2026, 11, 23, 3, 0, 0), "3:00 is tomorrow");
	is_int(begin("4PM"), -1, "4PM without minutes refused");
	is_int(begin("4:00 PM"), utc(2026, 11, 22, 16, 0, 0), "4:00 PM");
	is_int(begin("12:30am"), utc(2026, 11, 23, 0, 30, 0), "12:30am");
	is_int(begin("12:00pm"), utc(2026, 11, 22, 12, 0, 0), "12:00pm");
	is_int(begin("13:00pm"), -1, "13:00pm refused");
	is_int(begin("24:00"), -1, "24:00 refused");
	is_int(begin("10:60"), -1, "minute 60 refused");
	is_int(begin("midnight"), utc(2026, 11, 23, 0, 0, 0), "midnight");
	is_int(begin("noon"), utc(2026, 11, 22, 12, 0, 0), "noon");
	is_int(begin("elevenses"), -1, "elevenses refused (22.05 has no such word)");
	is_int(begin("fika"), utc(2026, 11, 22, 15, 0, 0), "fika");
	is_int(begin("teatime"), utc(2026, 11, 22, 16, 0, 0), "teatime");
	is_int(begin("today"), utc(2026, 11, 22, 0, 0, 0),
	    "today alone is today's midnight");
	is_int(begin("tomorrow"), utc(2026, 11, 23, 0, 0, 0), "tomorrow");
	is_int(begin("tomorrow noon"), utc(2026, 11, 23, 12, 0, 0),
	    "tomorrow noon");
	is_int(begin("noon tomorrow"), utc(2026, 11, 23, 12, 0, 0),
	    "noon tomorrow");
	is_int(begin("2027-01-20T12:34:00"), utc(2027, 1, 20, 12, 34, 0),
	    "YYYY-MM-DDTHH:MM:SS");
	is_int(begin("2027-01-20T12:34"), utc(2027, 1, 20, 12, 34, 0),
	    "YYYY-MM-DDTHH:MM");
	is_int(begin("2027-01-20"), utc(2027, 1, 20, 0, 0, 0), "YYYY-MM-DD");
	is_int(begin("2027-1-5"), -1, "YYYY-M-D is not Slurm's form");
	is_int(begin("2027-13-01"), -1, "month 13 refused");
	is_int(begin("12/25"), utc(2026, 12, 25, 0, 0, 0), "MM/DD this year");
	is_int(begin("01/05"), utc(2027, 1, 5, 0, 0, 0),
	    "MM/DD already past is next year");
	is_int(begin("11/22"), utc(2027, 11, 22, 0, 0, 0),
	    "today's date at midnight is past: next year");
	is_int(begin("12/25/27"), utc(2027, 12, 25, 0, 0, 0), "MM/DD/YY");
	is_int(begin("122527"), utc(2027, 12, 25, 0, 0, 0), "MMDDYY");
	is_int(begin("12.25.27"), utc(2027, 12, 25, 0, 0, 0), "MM.DD.YY");
	is_int(begin("12/25-10:00"), utc(2026, 12, 25, 10, 0, 0),
	    "MM/DD-HH:MM");
	is_int(begin("13/25"), -1, "month 13 refused");
	is_int(begin("12/32"), -1, "day 32 refused");
	is_int(begin("uts1800000000"), 1800000000, "uts seconds");
	is_int(begin("uts12"), -1, "uts too small refused");
	is_int(begin("uts18x"), -1, "uts junk refused");

	return done_testing();
}
