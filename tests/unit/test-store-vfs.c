// links: store/store-vfs.c
/* SPDX-License-Identifier: MIT */
/*
 * The WAL-gathering VFS, driven directly: consecutive writes to a WAL
 * file reach the file as one write only when something else touches it
 * (read, sync, size, close), in order, with overlaps and gaps kept; a
 * write larger than the buffer goes straight through; other files are
 * written at once.
 */
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

	free(big);
	unlink(wal);
	unlink(db);
	rmdir(dir);
	free(wal);
	free(db);
	return done_testing();
}
