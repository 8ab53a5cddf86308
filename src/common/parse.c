/* SPDX-License-Identifier: MIT */
/*
 * Slurm's value syntaxes (see parse.h), written to accept exactly what
 * Slurm 22.05 accepts:
 *
 *  - time limits follow time_str2mins(): a character check first (digits,
 *    at most one '-' which must come before any ':', at most two ':', and
 *    enough numbers for the separators), then the fields; seconds round up
 *    to whole minutes and a total of zero means INFINITE.
 *  - memory sizes follow str_to_mbytes(): a decimal number and one optional
 *    unit letter.  Slurm looks only at the first character after the
 *    number; we also accept a trailing 'B' ("4GB") and reject other junk.
 *  - --begin follows parse_time(past = 0): a left-to-right scan over
 *    keywords, "now[+-]count[unit]", "HH:MM[:SS] [AM|PM]" and dates; a bare
 *    time of day means its next occurrence, a date without a year the next
 *    such date.  Unit names are only the full words Slurm knows (seconds,
 *    minutes, hours, days, weeks and their singulars): "now+1h" is an error
 *    in Slurm too.
 *
 * No I/O here: callers print Slurm's messages themselves.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "parse.h"
#include "util.h"

static bool	 timespec_chars_ok(const char *);
static int	 read_fields(const char *, int64_t *, int, int *);
static int	 get_delta(const char *, size_t *, int64_t *);
static int	 get_clock(const char *, size_t *, int *, int *, int *);
static int	 get_date(const char *, size_t *, int *, int *, int *);
static int	 two_digits(const char *, size_t *, int *);

/* Largest time limit we accept, in seconds (Slurm stores minutes in an int). */
#define TIME_MAX_SECS	((int64_t)INT32_MAX)
/* INFINITE of proto/job.h (common/ may not include proto/). */
#define LIMIT_INFINITE	0xffffffffu

/*
 * Slurm's _is_valid_timespec: only digits, '-' and ':'; one '-' at most and
 * never after a ':'; two ':' at most; and at least as many numbers as the
 * separators need ("1:" and "1-2:" are refused).
 */
static bool
timespec_chars_ok(const char *s)
{
	int digits = 0, dash = 0, colon = 0;
	bool in_digit = false;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9') {
			if (!in_digit)
				digits++;
			in_digit = true;
		} else if (*s == '-') {
			in_digit = false;
			dash++;
			if (colon)
				return false;
		} else if (*s == ':') {
			in_digit = false;
			colon++;
		} else
			return false;
	}
	if (digits == 0 || dash > 1 || colon > 2)
		return false;
	if (dash) {
		if ((colon == 1 && digits < 3) || (colon == 2 && digits < 4))
			return false;
	} else {
		if ((colon == 1 && digits < 2) || (colon == 2 && digits < 3))
			return false;
	}
	return true;
}

/* Reads up to three ':'-separated numbers; missing ones stay 0. */
static int
read_fields(const char *s, int64_t *f, int max, int *nread)
{
	int n = 0;

	while (*s != '\0' && n < max) {
		int64_t v = 0;

		if (*s < '0' || *s > '9') {
			if (*s == ':' && n > 0) {
				s++;
				continue;
			}
			return -1;
		}
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (*s - '0');
			if (v > TIME_MAX_SECS)
				return -1;
			s++;
		}
		f[n++] = v;
		if (*s == ':')
			s++;
	}
	if (*s != '\0')
		return -1;
	*nread = n;
	return 0;
}

int
parse_time_limit(const char *s, uint32_t *minutes)
{
	int64_t f[3] = { 0, 0, 0 }, secs, days = 0;
	const char *dash;
	int n = 0;

	if (s == NULL || *s == '\0')
		return -1;
	if (strcmp(s, "-1") == 0 || strcasecmp(s, "INFINITE") == 0 ||
	    strcasecmp(s, "UNLIMITED") == 0) {
		*minutes = LIMIT_INFINITE;
		return 0;
	}
	if (!timespec_chars_ok(s))
		return -1;
	if ((dash = strchr(s, '-')) != NULL) {
		/* days-hours[:minutes[:seconds]]; "-5" has no days: refused. */
		if (dash == s)
			return -1;
		for (const char *p = s; p < dash; p++) {
			days = days * 10 + (*p - '0');
			if (days > TIME_MAX_SECS / 86400)
				return -1;
		}
		if (read_fields(dash + 1, f, 3, &n) == -1)
			return -1;
		secs = days * 86400 + f[0] * 3600 + f[1] * 60 + f[2];
	} else {
		if (read_fields(s, f, 3, &n) == -1)
			return -1;
		if (n == 3)		/* hours:minutes:seconds */
			secs = f[0] * 3600 + f[1] * 60 + f[2];
		else			/* minutes[:seconds] */
			secs = f[0] * 60 + f[1];
	}
	if (secs > TIME_MAX_SECS)
		return -1;
	secs = (secs + 59) / 60;
	*minutes = secs == 0 ? LIMIT_INFINITE : (uint32_t)secs;
	return 0;
}

int
parse_mem_mb(const char *s, uint64_t *mb)
{
	uint64_t v = 0, mult = 1;
	const char *p = s;

	if (s == NULL || *p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		p++;
	}
	switch (*p) {
	case '\0':
		break;
	case 'k': case 'K':
		v = v / 1024 + (v % 1024 != 0);	/* round up */
		p++;
		break;
	case 'm': case 'M':
		p++;
		break;
	case 'g': case 'G':
		mult = 1024;
		p++;
		break;
	case 't': case 'T':
		mult = 1024 * 1024;
		p++;
		break;
	default:
		return -1;
	}
	if (*p == 'b' || *p == 'B')
		if (p[-1] < '0' || p[-1] > '9')
			p++;
	if (*p != '\0')
		return -1;
	/* Slurm keeps sizes below NO_VAL64 and in a signed 64-bit value. */
	if (v > (uint64_t)INT64_MAX / mult)
		return -1;
	*mb = v * mult;
	return 0;
}

/*
 * Unit names after "now+N", longest first where one is a prefix of the
 * other, as Slurm matches them (case-insensitive, full words only).
 */
static const struct {
	const char	*name;
	int64_t		 mult;
} units[] = {
	{ "seconds", 1 }, { "second", 1 },
	{ "minutes", 60 }, { "minute", 60 },
	{ "hours", 3600 }, { "hour", 3600 },
	{ "days", 86400 }, { "day", 86400 },
	{ "weeks", 7 * 86400 }, { "week", 7 * 86400 },
};

/*
 * After "now+" or "now-" at *pos (which points at the sign): digits with
 * blanks allowed, then an optional unit which ends the delta.  *pos is left
 * on the last character consumed.
 */
static int
get_delta(const char *s, size_t *pos, int64_t *delta)
{
	size_t off;
	int64_t cnt = 0;
	int digits = 0;

	for (off = *pos + 1; s[off] != '\0' && s[off] != '\n'; off++) {
		size_t u;

		if (isspace((unsigned char)s[off]))
			continue;
		for (u = 0; u < sizeof units / sizeof units[0]; u++) {
			size_t len = strlen(units[u].name);

			if (strncasecmp(s + off, units[u].name, len) == 0) {
				off += len;
				cnt *= units[u].mult;
				break;
			}
		}
		if (u < sizeof units / sizeof units[0])
			break;
		if (s[off] >= '0' && s[off] <= '9') {
			cnt = cnt * 10 + (s[off] - '0');
			if (cnt > (int64_t)1 << 40)
				return -1;
			digits++;
			continue;
		}
		return -1;
	}
	if (digits == 0)
		return -1;
	*pos = off - 1;
	*delta = cnt;
	return 0;
}

static int
two_digits(const char *s, size_t *off, int *v)
{
	if (s[*off] < '0' || s[*off] > '9' ||
	    s[*off + 1] < '0' || s[*off + 1] > '9')
		return -1;
	*v = (s[*off] - '0') * 10 + (s[*off + 1] - '0');
	*off += 2;
	return 0;
}

/* "HH:MM[:SS] [AM|PM]" at *pos; *pos is left on the last character used. */
static int
get_clock(const char *s, size_t *pos, int *hour, int *minute, int *second)
{
	size_t off = *pos;
	int hr, min, sec = 0;

	if (s[off] < '0' || s[off] > '9')
		return -1;
	hr = s[off++] - '0';
	if (s[off] != ':') {
		if (s[off] < '0' || s[off] > '9')
			return -1;
		hr = hr * 10 + (s[off++] - '0');
	}
	if (hr > 23 || s[off] != ':')
		return -1;
	off++;
	if (two_digits(s, &off, &min) == -1 || min > 59)
		return -1;
	if (s[off] == ':') {
		off++;
		if (two_digits(s, &off, &sec) == -1 || sec > 59)
			return -1;
	}
	while (isspace((unsigned char)s[off]))
		off++;
	if (strncasecmp(s + off, "pm", 2) == 0) {
		hr += 12;
		if (hr > 23) {
			if (hr != 24)
				return -1;
			hr = 12;
		}
		off += 2;
	} else if (strncasecmp(s + off, "am", 2) == 0) {
		if (hr > 11) {
			if (hr != 12)
				return -1;
			hr = 0;
		}
		off += 2;
	}
	*pos = off - 1;
	*hour = hr;
	*minute = min;
	*second = sec;
	return 0;
}

/*
 * "YYYY-MM-DD", or "MMDD[YY]", "MM/DD[/YY]", "MM.DD[.YY]" at *pos.  Month
 * is returned zero-based and the year as years since 1900 (-1: not given).
 */
static int
get_date(const char *s, size_t *pos, int *month, int *mday, int *year)
{
	size_t off = *pos, len = strlen(s);
	int mon, day, yr = -1;

	if (len >= off + 8 && s[off + 4] == '-' && s[off + 7] == '-') {
		yr = 0;
		for (int i = 0; i < 4; i++) {
			if (s[off] < '0' || s[off] > '9')
				return -1;
			yr = yr * 10 + (s[off++] - '0');
		}
		off++;			/* '-' */
		if (s[off] < '0' || s[off] > '9')
			return -1;
		mon = s[off++] - '0';
		if (s[off] >= '0' && s[off] <= '9')
			mon = mon * 10 + (s[off++] - '0');
		if (mon < 1 || mon > 12 || s[off] != '-')
			return -1;
		off++;
		if (s[off] < '0' || s[off] > '9')
			return -1;
		day = s[off++] - '0';
		if (s[off] >= '0' && s[off] <= '9')
			day = day * 10 + (s[off++] - '0');
		if (day < 1 || day > 31)
			return -1;
		*pos = off - 1;
		*month = mon - 1;
		*mday = day;
		*year = yr - 1900;
		return 0;
	}

	mon = s[off++] - '0';
	if (s[off] >= '0' && s[off] <= '9')
		mon = mon * 10 + (s[off++] - '0');
	if (mon < 1 || mon > 12)
		return -1;
	if (s[off] == '.' || s[off] == '/')
		off++;
	if (s[off] < '0' || s[off] > '9')
		return -1;
	day = s[off++] - '0';
	if (s[off] >= '0' && s[off] <= '9')
		day = day * 10 + (s[off++] - '0');
	if (day < 1 || day > 31)
		return -1;
	if (s[off] == '.' || s[off] == '/')
		off++;
	if (s[off] >= '0' && s[off] <= '9') {
		int y;

		if (two_digits(s, &off, &y) == -1)
			return -1;
		yr = y + 100;		/* "26" is 2026 */
	}
	*pos = off - 1;
	*month = mon - 1;
	*mday = day;
	if (yr != -1)
		*year = yr;
	return 0;
}

/* Keywords that set the time of day.  Not "elevenses": Slurm 22.05's
 * parse_time() does not know it (checked: "Invalid time specification
 * (pos=0): elevenses"); later releases added it. */
static const struct {
	const char	*word;
	int		 hour;
} clock_words[] = {
	{ "midnight", 0 }, { "noon", 12 }, { "fika", 15 }, { "teatime", 16 },
};

int
parse_begin_time(const char *s, int64_t now, int64_t *out)
{
	time_t tnow = (time_t)now, t;
	struct tm now_tm, tm;
	int hour = -1, minute = -1, second = 0;
	int month = -1, mday = -1, year = -1;
	size_t pos;

	if (s == NULL)
		return -1;
	if (strncasecmp(s, "uts", 3) == 0) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(s + 3, &end, 10);
		if (errno != 0 || end == s + 3 || *end != '\0' || v < 1000000)
			return -1;
		*out = v;
		return 0;
	}
	if (localtime_r(&tnow, &now_tm) == NULL)
		return -1;

	for (pos = 0; s[pos] != '\0' && s[pos] != '\n'; pos++) {
		size_t k;

		if (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '-' ||
		    s[pos] == 'T')
			continue;
		if (strncasecmp(s + pos, "today", 5) == 0) {
			month = now_tm.tm_mon;
			mday = now_tm.tm_mday;
			year = now_tm.tm_year;
			pos += 4;
			continue;
		}
		if (strncasecmp(s + pos, "tomorrow", 8) == 0) {
			time_t later = tnow + 86400;

			localtime_r(&later, &tm);
			month = tm.tm_mon;
			mday = tm.tm_mday;
			year = tm.tm_year;
			pos += 7;
			continue;
		}
		for (k = 0; k < sizeof clock_words / sizeof clock_words[0];
		    k++) {
			size_t len = strlen(clock_words[k].word);

			if (strncasecmp(s + pos, clock_words[k].word, len) == 0)
				break;
		}
		if (k < sizeof clock_words / sizeof clock_words[0]) {
			hour = clock_words[k].hour;
			minute = 0;
			second = 0;
			pos += strlen(clock_words[k].word) - 1;
			continue;
		}
		if (strncasecmp(s + pos, "now", 3) == 0) {
			int64_t delta = 0;
			size_t i;
			time_t later;

			for (i = pos + 3;; i++) {
				if (s[i] == '+' || s[i] == '-') {
					bool neg = s[i] == '-';

					pos = i;
					if (get_delta(s, &pos, &delta) == -1)
						return -1;
					if (neg)
						delta = -delta;
					break;
				}
				if (s[i] == ' ' || s[i] == '\t')
					continue;
				if (s[i] == '\0' || s[i] == '\n') {
					pos = i - 1;
					break;
				}
				return -1;
			}
			later = tnow + (time_t)delta;
			localtime_r(&later, &tm);
			month = tm.tm_mon;
			mday = tm.tm_mday;
			year = tm.tm_year;
			hour = tm.tm_hour;
			minute = tm.tm_min;
			second = tm.tm_sec;
			continue;
		}
		if (s[pos] < '0' || s[pos] > '9')
			return -1;
		if (s[pos + 1] == ':' || (s[pos + 1] != '\0' &&
		    s[pos + 2] == ':')) {
			if (get_clock(s, &pos, &hour, &minute, &second) == -1)
				return -1;
			continue;
		}
		if (get_date(s, &pos, &month, &mday, &year) == -1)
			return -1;
	}

	if (hour == -1 && month == -1)
		return -1;		/* nothing given: Slurm returns 0 */
	if (hour == -1) {		/* a date alone means its midnight */
		hour = 0;
		minute = 0;
	} else if (month == -1) {	/* a time alone: today or tomorrow */
		if (hour > now_tm.tm_hour || (hour == now_tm.tm_hour &&
		    minute > now_tm.tm_min)) {
			month = now_tm.tm_mon;
			mday = now_tm.tm_mday;
			year = now_tm.tm_year;
		} else {
			time_t later = tnow + 86400;

			localtime_r(&later, &tm);
			month = tm.tm_mon;
			mday = tm.tm_mday;
			year = tm.tm_year;
		}
	}
	if (year == -1) {	/* this year if still ahead, else next */
		if (month > now_tm.tm_mon ||
		    (month == now_tm.tm_mon && mday > now_tm.tm_mday) ||
		    (month == now_tm.tm_mon && mday == now_tm.tm_mday &&
		    hour > now_tm.tm_hour) ||
		    (month == now_tm.tm_mon && mday == now_tm.tm_mday &&
		    hour == now_tm.tm_hour && minute > now_tm.tm_min))
			year = now_tm.tm_year;
		else
			year = now_tm.tm_year + 1;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_sec = second;
	tm.tm_min = minute;
	tm.tm_hour = hour;
	tm.tm_mday = mday;
	tm.tm_mon = month;
	tm.tm_year = year;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

/* See parse.h; one parser for sbatch --gres and scontrol update Gres=. */
int
parse_gres_gpus(const char *s, uint32_t *n)
{
	char **tok, **part;
	size_t ntok, npart, i;
	uint32_t total = 0, cnt;
	int rc = 0;

	if (strcasecmp(s, "none") == 0) {
		*n = 0;
		return 0;
	}
	tok = strv_split(s, ",", &ntok);
	if (ntok == 0 || strstr(s, ",,") != NULL || s[strlen(s) - 1] == ',')
		rc = -1;
	for (i = 0; i < ntok && rc == 0; i++) {
		const char *t = tok[i];

		if (strncmp(t, "gres/", 5) == 0 || strncmp(t, "gres:", 5) == 0)
			t += 5;
		if (strstr(t, "::") != NULL || t[0] == ':' ||
		    t[strlen(t) - 1] == ':') {
			rc = -1;
			break;
		}
		part = strv_split(t, ":", &npart);
		if (npart == 0 || npart > 3 || strcmp(part[0], "gpu") != 0)
			rc = -1;
		else if (npart == 1)
			cnt = 1;
		else if (parse_u32(part[npart - 1], &cnt) == -1) {
			/* "gpu:type" means one of that type */
			if (npart == 3)
				rc = -1;
			cnt = 1;
		}
		if (rc == 0)
			total += cnt;
		strv_free(part);
	}
	strv_free(tok);
	if (rc == 0)
		*n = total;
	return rc;
}
