// links: store/store-vfs.c store/store-flush.c
/* SPDX-License-Identifier: MIT */
/*
 * The WAL-gathering VFS, driven directly: consecutive writes to a WAL
 * file reach the file as one write only when something else touches it
 * (read, sync, size, close), in order, with overlaps and gaps kept; a
 * write larger than the buffer goes straight through; other files are
 * written at once.  The WAL's sync: a full fdatasync() first, after a
 * write past what the last full one covered and after a truncate; by
 * range and barrier otherwise, on ext4 and XFS only; the barrier taken
 * from a full inode-table group of our own files (store-flush.c).
 */
#include <dirent.h>
#include <sys/statfs.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "store/store-int.h"
#include "t.h"

static off_t
disk_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* What the kernel has at off: what any other process would read. */
static int
disk_has(const char *path, off_t off, const char *want, size_t n)
{
	char got[256];
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd == -1)
		return 0;
	r = pread(fd, got, n, off);
	close(fd);
	return r == (ssize_t)n && memcmp(got, want, n) == 0;
}

/* Entries of a directory but . and .., or -1. */
static int
dir_count(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
dir_remove(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);
	char *p;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = xprintf("%s/%s", path, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(path);
}

/* Syncs since the last call: full ones and by range. */
static void
syncs(unsigned long *full, unsigned long *range)
{
	static unsigned long f0, r0;
	unsigned long f, r;

	store_vfs_syncs(&f, &r);
	*full = f - f0;
	*range = r - r0;
	f0 = f;
	r0 = r;
}

static void
test_pick(void)
{
	unsigned long long ino[48], base = 1;
	int i;

	for (i = 0; i < 48; i++)
		ino[i] = 1000 + (unsigned long long)i * 3;	/* scattered */
	is_int(store_flush_pick(ino, 48, &base), 0, "scattered: none");
	ok(base == 0, "…and no group");
	for (i = 0; i < 16; i++)
		ino[i] = 5 + (unsigned long long)i;		/* 5-20: two */
	is_int(store_flush_pick(ino, 16, &base), 0, "16 across two blocks: "
	    "none");
	ok(base == 0, "…no group");
	for (i = 0; i < 8; i++)
		ino[i] = 100 + (unsigned long long)i * 7;
	for (i = 8; i < 24; i++)
		ino[i] = 33 + (unsigned long long)(23 - i);	/* 33-48 */
	is_int(store_flush_pick(ino, 24, &base), 8, "33-48 after 8 others: "
	    "the first of them");
	ok(base == 33, "…group 33-48");
}

#define GROUP_OK(n)	((n) == 16 || (n) == 1 ? (n) : -1)

static sqlite3_file *
vopen(sqlite3_vfs *v, const char *path, int extra)
{
	sqlite3_file *f = xcalloc(1, (size_t)v->szOsFile);
	int out = 0;

	if (v->xOpen(v, path, f, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    extra, &out) != SQLITE_OK || f->pMethods == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

int
main(void)
{
	char dir[] = "/tmp/berth-test-vfs-XXXXXX", buf[256];
	char *wal, *db;
	sqlite3_vfs *v;
	sqlite3_file *f, *g;
	sqlite3_int64 size = -1;
	char *big;

	if (mkdtemp(dir) == NULL)
		return 1;
	wal = xprintf("%s/x.db-wal", dir);
	db = xprintf("%s/x.db", dir);
	is_int(store_vfs_register(), SQLITE_OK, "the VFS registers");
	is_int(store_vfs_register(), SQLITE_OK, "…and again, a no-op");
	v = sqlite3_vfs_find(STORE_VFS);
	ok(v != NULL && v != sqlite3_vfs_find(NULL), "found by name, not the "
	    "default");

	/* The default VFS takes a WAL's mode from its database's file. */
	ok(write_file_atomic(db, "", 0, 0600, false) == 0, "database file");
	f = vopen(v, wal, SQLITE_OPEN_WAL);
	ok(f != NULL, "a WAL file opens");
	if (f == NULL)
		return done_testing();
	ok(f->pMethods->xWrite(f, "aaaaaaaaaa", 10, 0) == SQLITE_OK &&
	    f->pMethods->xWrite(f, "bbbbb", 5, 10) == SQLITE_OK,
	    "two consecutive writes");
	is_int((int)disk_size(wal), 0, "…gathered: nothing written yet");
	ok(f->pMethods->xRead(f, buf, 15, 0) == SQLITE_OK &&
	    memcmp(buf, "aaaaaaaaaabbbbb", 15) == 0, "a read sees both");
	ok(disk_has(wal, 0, "aaaaaaaaaabbbbb", 15), "…and made them first");

	/* An overwrite inside the gathered bytes and a gap after them. */
	ok(f->pMethods->xWrite(f, "ccccc", 5, 15) == SQLITE_OK &&
	    f->pMethods->xWrite(f, "XY", 2, 16) == SQLITE_OK &&
	    f->pMethods->xWrite(f, "dd", 2, 100) == SQLITE_OK,
	    "an overwrite and a write past a gap");
	ok(f->pMethods->xSync(f, SQLITE_SYNC_NORMAL) == SQLITE_OK,
	    "sync");
	ok(disk_has(wal, 15, "cXYcc", 5), "the later write wins");
	ok(disk_has(wal, 100, "dd", 2), "the write past the gap is there");
	ok(f->pMethods->xFileSize(f, &size) == SQLITE_OK && size == 102,
	    "size 102");

	/* Larger than the buffer: straight through, after what is
	 * gathered. */
	big = xmalloc(100 * 1024);
	memset(big, 'e', 100 * 1024);
	ok(f->pMethods->xWrite(f, "ff", 2, 102) == SQLITE_OK &&
	    f->pMethods->xWrite(f, big, 100 * 1024, 104) == SQLITE_OK,
	    "a gathered write, then 100 KB");
	ok(disk_has(wal, 102, "ffe", 3) && disk_size(wal) == 104 + 100 * 1024,
	    "both on disk, in order");
	ok(f->pMethods->xWrite(f, "gg", 2, 0) == SQLITE_OK, "one more");
	ok(f->pMethods->xClose(f) == SQLITE_OK, "close");
	ok(disk_has(wal, 0, "gg", 2), "close makes it");
	free(f);

	/* Another file (the database): written at once. */
	g = vopen(v, db, SQLITE_OPEN_MAIN_DB);
	ok(g != NULL && g->pMethods->xWrite(g, "hh", 2, 0) == SQLITE_OK,
	    "a database file write");
	ok(disk_has(db, 0, "hh", 2), "…is made at once");
	if (g != NULL) {
		g->pMethods->xClose(g);
		free(g);
	}

	/* The WAL's sync. */
	{
		char *w2 = xprintf("%s/y.db-wal", dir);
		char *d2 = xprintf("%s/y.db", dir);
		char *sd = xprintf("%s/y.db-sync", dir);
		unsigned long full, range;
		struct statfs sf;
		bool fast;
		int n;

		fast = statfs(dir, &sf) == 0 && (sf.f_type == 0xEF53 ||
		    sf.f_type == 0x58465342);
		printf("# %s: %s\n", dir, fast ? "ext4 or XFS: syncs by range" :
		    "neither ext4 nor XFS: every sync is full");
		ok(write_file_atomic(d2, "", 0, 0600, false) == 0,
		    "second database file");
		syncs(&full, &range);
		f = vopen(v, w2, SQLITE_OPEN_WAL);
		ok(f != NULL, "its WAL opens");
		if (f == NULL)
			return done_testing();
		n = dir_count(sd);
		if (fast)
			ok(n == GROUP_OK(n), "the barrier's directory: a group "
			    "of 16 or a lone file (%d)", n);
		else
			is_int(n, -1, "no barrier directory");
		ok(f->pMethods->xWrite(f, big, 64 * 1024, 0) == SQLITE_OK &&
		    f->pMethods->xSync(f, SQLITE_SYNC_FULL) == SQLITE_OK,
		    "64 KB written and synced");
		syncs(&full, &range);
		ok(full == 1 && range == 0, "the first sync is full");
		ok(f->pMethods->xWrite(f, "ii", 2, 1000) == SQLITE_OK &&
		    f->pMethods->xWrite(f, "jj", 2, 70) == SQLITE_OK &&
		    f->pMethods->xSync(f, SQLITE_SYNC_FULL) == SQLITE_OK,
		    "two writes inside it, synced");
		syncs(&full, &range);
		ok(fast ? full == 0 && range == 1 : full == 1 && range == 0,
		    "…%s", fast ? "by range" : "full");
		ok(disk_has(w2, 1000, "ii", 2) && disk_has(w2, 70, "jj", 2),
		    "…both in the file");
		ok(f->pMethods->xWrite(f, "kk", 2, 64 * 1024 - 1) ==
		    SQLITE_OK && f->pMethods->xSync(f, SQLITE_SYNC_FULL) ==
		    SQLITE_OK, "a write across the end, synced");
		syncs(&full, &range);
		ok(full == 1 && range == 0, "…full: the file grew");
		ok(f->pMethods->xWrite(f, "ll", 2, 64 * 1024 - 1) ==
		    SQLITE_OK && f->pMethods->xSync(f, SQLITE_SYNC_FULL) ==
		    SQLITE_OK, "the same bytes again (up to the end), synced");
		syncs(&full, &range);
		ok(fast ? full == 0 && range == 1 : full == 1 && range == 0,
		    "…%s: the last full sync covered it",
		    fast ? "by range" : "full");
		ok(f->pMethods->xTruncate(f, 0) == SQLITE_OK &&
		    f->pMethods->xWrite(f, "mm", 2, 0) == SQLITE_OK &&
		    f->pMethods->xSync(f, SQLITE_SYNC_FULL) == SQLITE_OK,
		    "truncated to nothing, written again, synced");
		syncs(&full, &range);
		ok(full == 1 && range == 0, "…full: its blocks are new");
		ok(f->pMethods->xClose(f) == SQLITE_OK, "close");
		free(f);
		unlink(w2);
		unlink(d2);
		dir_remove(sd);
		free(w2);
		free(d2);
		free(sd);
	}
	test_pick();

	free(big);
	unlink(wal);
	unlink(db);
	{
		char *sd = xprintf("%s/x.db-sync", dir);

		dir_remove(sd);
		free(sd);
	}
	rmdir(dir);
	free(wal);
	free(db);
	return done_testing();
}
