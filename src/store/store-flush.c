/* SPDX-License-Identifier: MIT */
/*
 * The WAL's commit sync without its inode.
 *
 * A commit's fdatasync() of the WAL on ext4 writes the WAL's dirty pages,
 * then (without a journal) the 4 KB block of the inode table that holds
 * the WAL's inode, whenever anything in that block changed, and then
 * flushes the disk's write cache: three requests in turn.  The inode
 * block is dirty at nearly every commit, because it holds fifteen other
 * inodes too (on the project's VM, the job files of the same directory,
 * rewritten at every launch) and the WAL's own mtime moves with every
 * clock tick.  Yet nothing in it matters for the commit: the WAL is
 * written over blocks that are already allocated and on disk (it is
 * given its working size at open: store.c, wal_prealloc()), so its size
 * and block map do not change, and its times are of no use after a
 * crash.
 *
 * So once a full fdatasync() has put every block of the WAL below some
 * offset on disk, a commit that writes only below it syncs as:
 *   sync_file_range(WAIT_BEFORE | WRITE | WAIT_AFTER) over the frames it
 *   wrote: the pages reach the device;
 *   fdatasync() of a "barrier" file that is never written: nothing of it
 *   to write, so only the flush of the device's cache, which makes the
 *   frames durable.
 * Two requests instead of three (docs/performance.md, session 10).
 *
 * The barrier's own inode block must stay clean, or its fdatasync()
 * writes it just the same: it is taken among empty files created in a
 * directory of our own (<db>-sync/), from a group of 16 (an inode table
 * block of 256-byte inodes) that are all ours.  Files are created 16 at a
 * time until such a group exists (the first ones fill the free inodes
 * scattered among other files'), at most 256, and all but the group are
 * removed.  If no group comes out, any of them serves; only the speed
 * differs.
 *
 * This is only right where an overwrite in place needs no metadata:
 * ext4 (not with data=journal, per mount or per file, nor DAX) and XFS.
 * Anywhere else (btrfs and other copy-on-write filesystems, tmpfs, NFS,
 * ...) there is no barrier and every sync is the full fdatasync().
 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "store-int.h"

#define EXT4_MAGIC	0xEF53		/* also ext2 and ext3 */
#define XFS_MAGIC	0x58465342

#define NANCHOR		256
#define GROUP		16		/* inodes per 4 KB block of 256 bytes */

/*
 * Does the filesystem's mount, found by device in mountinfo, have an
 * option that makes an overwrite in place need more than its pages?
 * Unknown counts as yes.
 */
static bool
mount_unsafe(dev_t dev)
{
	char want[32], *line = NULL, *p;
	size_t cap = 0;
	bool unsafe = true;
	FILE *f;

	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return true;
	snprintf(want, sizeof want, "%u:%u", major(dev), minor(dev));
	while (getline(&line, &cap, f) != -1) {
		/* id parent maj:min root mountpoint opts ... - type src sopts */
		p = line;
		for (int i = 0; i < 2 && p != NULL; i++)
			if ((p = strchr(p, ' ')) != NULL)
				p++;
		if (p == NULL || strncmp(p, want, strlen(want)) != 0 ||
		    p[strlen(want)] != ' ')
			continue;
		if ((p = strstr(p, " - ")) == NULL)
			break;
		unsafe = strstr(p, "data=journal") != NULL ||
		    strstr(p, "dax") != NULL;
		break;
	}
	free(line);
	fclose(f);
	return unsafe;
}

/* Is walfd's file one whose blocks are overwritten in place, with nothing
 * else to sync when neither its size nor its block map changes? */
static bool
in_place(int walfd, const struct stat *st)
{
	struct statfs sf;
	int attr = 0;

	if (fstatfs(walfd, &sf) == -1 ||
	    (sf.f_type != EXT4_MAGIC && sf.f_type != XFS_MAGIC))
		return false;
	if (ioctl(walfd, FS_IOC_GETFLAGS, &attr) == -1 ||
	    (attr & (FS_JOURNAL_DATA_FL | FS_DAX_FL)) != 0)
		return false;
	return !mount_unsafe(st->st_dev);
}

/* Remove every entry of directory dfd (files only: we made them). */
static void
dir_empty(int dfd)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if ((fd = dup(dfd)) == -1)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			(void)unlinkat(dfd, de->d_name, 0);
	closedir(d);
}

/*
 * Which of the anchors' inode numbers lie in a group of GROUP that holds
 * only anchors?  The index of the first such anchor, or 0.
 */
int
store_flush_pick(const unsigned long long *ino, int n, unsigned long long *base)
{
	for (int i = 0; i < n; i++) {
		unsigned long long b = (ino[i] - 1) / GROUP * GROUP + 1;
		int have = 0;

		for (int j = 0; j < n; j++)
			if (ino[j] >= b && ino[j] < b + GROUP)
				have++;
		if (have == GROUP) {
			*base = b;
			return i;
		}
	}
	*base = 0;
	return 0;
}

int
store_flush_open(int walfd, const char *wal_name)
{
	unsigned long long ino[NANCHOR], base;
	struct stat st, ast;
	char *dir, name[16];
	size_t len = strlen(wal_name);
	int dfd, fd, n, pick, barrier = -1;

	if (len <= 4 || strcmp(wal_name + len - 4, "-wal") != 0 ||
	    fstat(walfd, &st) == -1 || !in_place(walfd, &st))
		return -1;
	dir = xmalloc(len + 2);
	memcpy(dir, wal_name, len - 4);
	memcpy(dir + len - 4, "-sync", 6);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_warn("mkdir %s", dir);
		free(dir);
		return -1;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_warn("open %s", dir);
		free(dir);
		return -1;
	}
	dir_empty(dfd);
	base = 0;
	pick = 0;
	for (n = 0; n < NANCHOR && base == 0; n++) {
		snprintf(name, sizeof name, "%d", n);
		if ((fd = openat(dfd, name, O_RDONLY | O_CREAT | O_EXCL |
		    O_CLOEXEC, 0600)) == -1)
			break;
		if (fstat(fd, &ast) == -1 || ast.st_dev != st.st_dev) {
			close(fd);
			(void)unlinkat(dfd, name, 0);
			break;
		}
		ino[n] = (unsigned long long)ast.st_ino;
		close(fd);
		if ((n + 1) % GROUP == 0)
			pick = store_flush_pick(ino, n + 1, &base);
	}
	if (n == 0) {
		log_warn("create %s/0", dir);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (base != 0 && ino[i] >= base && ino[i] < base + GROUP)
			continue;
		if (i == pick)
			continue;
		snprintf(name, sizeof name, "%d", i);
		(void)unlinkat(dfd, name, 0);
	}
	snprintf(name, sizeof name, "%d", pick);
	if ((barrier = openat(dfd, name, O_RDONLY | O_CLOEXEC)) == -1)
		log_warn("open %s/%s", dir, name);
	/* The new entries and inodes on disk now, once: from here on the
	 * barrier's inode block has nothing to write. */
	else if (fdatasync(barrier) == -1 || fsync(dfd) == -1) {
		log_warn("fsync %s", dir);
		close(barrier);
		barrier = -1;
	}
out:
	close(dfd);
	free(dir);
	return barrier;
}
