/* SPDX-License-Identifier: MIT */
/*
 * A VFS over SQLite's default one that gathers the writes of the WAL into
 * one, and syncs a commit's frames without the WAL's inode (below).  A commit appends a 24-byte frame header and a page for every page
 * it changed, each a pwrite of its own (a dozen per submission), and then
 * syncs; here consecutive writes to the WAL are collected in memory and go
 * out as one pwrite just before anything else touches the file: the
 * sync, a read, a truncate, a lock, a size, a close.  So the WAL's
 * contents are the same as without this layer whenever SQLite or the
 * kernel could look at them, and durability is unchanged: a commit still
 * returns only after its sync.  Every other file (the database, its
 * temporary files) goes straight through.
 *
 * The WAL's sync: once a full fdatasync() has put every block of the WAL
 * below `durable' on disk, a sync of frames written only below it is
 * sync_file_range() over them and an fdatasync() of the barrier file,
 * which flushes the disk's cache; anything else (the first sync, a write
 * past `durable', a filesystem where this is not right, any error) is the
 * default VFS's full sync.  Why, and where it is right: store-flush.c.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/xmalloc.h"
#include "store-int.h"

/* Gathered bytes before a write.  The default VFS writes at most
 * 128 KB - 1 in one call (seekAndWriteFd() masks the length). */
#define WBUF_MAX	(64 * 1024)

struct vfile {
	sqlite3_file	 base;		/* our methods */
	sqlite3_file	*real;		/* the default VFS's file, after us */
	char		*buf;		/* WAL only: writes not yet made */
	size_t		 len, cap;
	sqlite3_int64	 off;		/* where buf goes */
	int		 fd;		/* WAL: our own descriptor, or -1 */
	int		 barrier;	/* WAL: the barrier file, or -1 */
	sqlite3_int64	 lo, hi;	/* WAL: written since the last sync */
	sqlite3_int64	 durable;	/* WAL: all on disk below this */
};

static sqlite3_vfs *real_vfs;
/* WAL syncs made each way, for the tests (store_vfs_syncs()). */
static unsigned long nsync_full, nsync_range;

#define REAL(f)	(((struct vfile *)(f))->real)

/* Make the gathered writes; SQLITE_OK or the write's error. */
static int
vf_flush(struct vfile *f)
{
	int rc;

	if (f->len == 0)
		return SQLITE_OK;
	rc = f->real->pMethods->xWrite(f->real, f->buf, (int)f->len, f->off);
	f->len = 0;
	return rc;
}

static int
wal_write(sqlite3_file *file, const void *p, int n, sqlite3_int64 off)
{
	struct vfile *f = (struct vfile *)file;
	int rc;

	if (f->len > 0 && (off != f->off + (sqlite3_int64)f->len ||
	    f->len + (size_t)n > WBUF_MAX) && (rc = vf_flush(f)) != SQLITE_OK)
		return rc;
	if (f->hi == f->lo || off < f->lo)
		f->lo = off;
	if (off + n > f->hi)
		f->hi = off + n;
	if ((size_t)n > WBUF_MAX)
		return f->real->pMethods->xWrite(f->real, p, n, off);
	if (f->len == 0)
		f->off = off;
	if (f->len + (size_t)n > f->cap) {
		f->cap = f->cap == 0 ? 64 * 1024 : f->cap;
		while (f->cap < f->len + (size_t)n)
			f->cap *= 2;
		f->buf = xrealloc(f->buf, f->cap);
	}
	memcpy(f->buf + f->len, p, (size_t)n);
	f->len += (size_t)n;
	return SQLITE_OK;
}

/*
 * Every other method: the WAL's gathered writes first, then the default
 * VFS's method.  (For the other files there is never anything gathered.)
 */
#define FLUSH_OR_FAIL(file) do {					\
	int rc_ = vf_flush((struct vfile *)(file));			\
	if (rc_ != SQLITE_OK)						\
		return rc_;						\
} while (0)

static int
vf_close(sqlite3_file *file)
{
	struct vfile *f = (struct vfile *)file;
	int rc = vf_flush(f), rc2;

	rc2 = f->real->pMethods->xClose(f->real);
	if (f->fd != -1)
		close(f->fd);
	if (f->barrier != -1)
		close(f->barrier);
	f->fd = f->barrier = -1;
	free(f->buf);
	f->buf = NULL;
	f->cap = 0;
	return rc != SQLITE_OK ? rc : rc2;
}

static int
vf_read(sqlite3_file *file, void *p, int n, sqlite3_int64 off)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xRead(REAL(file), p, n, off);
}

static int
vf_write(sqlite3_file *file, const void *p, int n, sqlite3_int64 off)
{
	return REAL(file)->pMethods->xWrite(REAL(file), p, n, off);
}

static int
vf_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct vfile *f = (struct vfile *)file;

	FLUSH_OR_FAIL(file);
	if (f->durable > size)
		f->durable = size;
	return REAL(file)->pMethods->xTruncate(REAL(file), size);
}

static int
vf_sync(sqlite3_file *file, int flags)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xSync(REAL(file), flags);
}

/* The WAL's sync (see the top of the file). */
static int
wal_sync(sqlite3_file *file, int flags)
{
	struct vfile *f = (struct vfile *)file;
	off_t hole;
	int rc;

	FLUSH_OR_FAIL(file);
	if (f->barrier != -1 && f->hi > f->lo && f->hi <= f->durable &&
	    sync_file_range(f->fd, f->lo, f->hi - f->lo,
	    SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
	    SYNC_FILE_RANGE_WAIT_AFTER) == 0 && fdatasync(f->barrier) == 0) {
		f->lo = f->hi = 0;
		nsync_range++;
		return SQLITE_OK;
	}
	if ((rc = f->real->pMethods->xSync(f->real, flags)) != SQLITE_OK)
		return rc;
	f->lo = f->hi = 0;
	nsync_full++;
	/* Everything is on disk up to the first hole (the end, as the WAL
	 * is written from its start without gaps). */
	if (f->barrier != -1 && (hole = lseek(f->fd, 0, SEEK_HOLE)) != -1)
		f->durable = hole;
	return SQLITE_OK;
}

static int
vf_size(sqlite3_file *file, sqlite3_int64 *size)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xFileSize(REAL(file), size);
}

static int
vf_lock(sqlite3_file *file, int level)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xLock(REAL(file), level);
}

static int
vf_unlock(sqlite3_file *file, int level)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xUnlock(REAL(file), level);
}

static int
vf_check_lock(sqlite3_file *file, int *out)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out);
}

static int
vf_control(sqlite3_file *file, int op, void *arg)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xFileControl(REAL(file), op, arg);
}

static int
vf_sector(sqlite3_file *file)
{
	return REAL(file)->pMethods->xSectorSize(REAL(file));
}

static int
vf_caps(sqlite3_file *file)
{
	return REAL(file)->pMethods->xDeviceCharacteristics(REAL(file));
}

static int
vf_shm_map(sqlite3_file *file, int pg, int pgsz, int extend,
    void volatile **pp)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xShmMap(REAL(file), pg, pgsz, extend,
	    pp);
}

static int
vf_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xShmLock(REAL(file), offset, n, flags);
}

static void
vf_shm_barrier(sqlite3_file *file)
{
	(void)vf_flush((struct vfile *)file);
	REAL(file)->pMethods->xShmBarrier(REAL(file));
}

static int
vf_shm_unmap(sqlite3_file *file, int delete_flag)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xShmUnmap(REAL(file), delete_flag);
}

static int
vf_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **pp)
{
	FLUSH_OR_FAIL(file);
	return REAL(file)->pMethods->xFetch(REAL(file), off, n, pp);
}

static int
vf_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
	return REAL(file)->pMethods->xUnfetch(REAL(file), off, p);
}

/* iVersion is set at open to the default VFS file's, so SQLite never
 * calls a method that file does not have. */
static sqlite3_io_methods pass_methods = {
	3, vf_close, vf_read, vf_write, vf_truncate, vf_sync, vf_size,
	vf_lock, vf_unlock, vf_check_lock, vf_control, vf_sector, vf_caps,
	vf_shm_map, vf_shm_lock, vf_shm_barrier, vf_shm_unmap, vf_fetch,
	vf_unfetch
};
static sqlite3_io_methods wal_methods = {
	3, vf_close, vf_read, wal_write, vf_truncate, wal_sync, vf_size,
	vf_lock, vf_unlock, vf_check_lock, vf_control, vf_sector, vf_caps,
	vf_shm_map, vf_shm_lock, vf_shm_barrier, vf_shm_unmap, vf_fetch,
	vf_unfetch
};
static sqlite3_io_methods pass_methods_v[3], wal_methods_v[3];

static int
vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
    int *outflags)
{
	struct vfile *f = (struct vfile *)file;
	int rc, v;

	(void)vfs;
	memset(f, 0, sizeof *f);
	f->fd = f->barrier = -1;
	f->real = (sqlite3_file *)(f + 1);
	rc = real_vfs->xOpen(real_vfs, name, f->real, flags, outflags);
	if (rc != SQLITE_OK || f->real->pMethods == NULL) {
		f->base.pMethods = NULL;
		return rc;
	}
	v = f->real->pMethods->iVersion;
	if (v < 1 || v > 3)
		v = 1;
	f->base.pMethods = (flags & SQLITE_OPEN_WAL) ? &wal_methods_v[v - 1] :
	    &pass_methods_v[v - 1];
	if ((flags & SQLITE_OPEN_WAL) && name != NULL &&
	    (f->fd = open(name, O_RDWR | O_CLOEXEC)) != -1 &&
	    (f->barrier = store_flush_open(f->fd, name)) == -1) {
		close(f->fd);
		f->fd = -1;
	}
	return SQLITE_OK;
}

/* The rest of the VFS is the default one's, called through. */
static int
vfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int
vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int
vfs_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *
vfs_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs->xDlOpen(real_vfs, name);
}

static void
vfs_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	real_vfs->xDlError(real_vfs, n, msg);
}

static void
(*vfs_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void
vfs_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	real_vfs->xDlClose(real_vfs, h);
}

static int
vfs_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int
vfs_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return real_vfs->xSleep(real_vfs, us);
}

static int
vfs_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int
vfs_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xGetLastError != NULL ?
	    real_vfs->xGetLastError(real_vfs, n, out) : 0;
}

static int
vfs_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs vfs = {
	2, 0, 0, NULL, STORE_VFS, NULL, vfs_open, vfs_delete, vfs_access,
	vfs_full, vfs_dlopen, vfs_dlerror, vfs_dlsym, vfs_dlclose,
	vfs_random, vfs_sleep, vfs_time, vfs_last_error, vfs_time64,
	NULL, NULL, NULL
};

void
store_vfs_syncs(unsigned long *full, unsigned long *range)
{
	*full = nsync_full;
	*range = nsync_range;
}

int
store_vfs_register(void)
{
	if (real_vfs != NULL)
		return SQLITE_OK;
	if ((real_vfs = sqlite3_vfs_find(NULL)) == NULL)
		return SQLITE_ERROR;
	if (real_vfs->iVersion < 2 || real_vfs->xCurrentTimeInt64 == NULL) {
		real_vfs = NULL;
		return SQLITE_ERROR;
	}
	for (int v = 1; v <= 3; v++) {
		pass_methods_v[v - 1] = pass_methods;
		pass_methods_v[v - 1].iVersion = v;
		wal_methods_v[v - 1] = wal_methods;
		wal_methods_v[v - 1].iVersion = v;
	}
	vfs.szOsFile = (int)sizeof(struct vfile) + real_vfs->szOsFile;
	vfs.mxPathname = real_vfs->mxPathname;
	return sqlite3_vfs_register(&vfs, 0);
}
