/* SPDX-License-Identifier: MIT */
/*
 * A passwd(5) file read directly, without NSS: the `berth` client links
 * statically, and static glibc cannot load NSS modules, so it must not call
 * getpwnam()/getpwuid().  Only what the client needs when the daemon cannot
 * tell it: a home directory when $HOME is unset, and a user's number for a
 * message, a login shell for salloc.  Users that only NSS knows (LDAP, sssd) are not found here; the
 * daemon, linked dynamically, remains the authority on user names.
 */
#ifndef BERTH_PASSWD_H
#define BERTH_PASSWD_H

#include <stdint.h>

#define PASSWD_FILE	"/etc/passwd"

struct passwd_ent {
	char		*name;
	uint32_t	 uid;
	uint32_t	 gid;
	char		*dir;
	char		*shell;
};

/*
 * Find a user in file (a passwd(5) file, usually PASSWD_FILE): by name when
 * name is not NULL, else by uid; the first matching line wins.  Returns 0
 * with *pe filled (free with passwd_ent_free), or -1 when the file has no
 * such user or cannot be read.  Comment lines, NIS "+"/"-" lines and
 * malformed lines are skipped.
 */
int	 passwd_find(const char *file, const char *name, uint32_t uid,
	    struct passwd_ent *pe);
void	 passwd_ent_free(struct passwd_ent *);

#endif
