// links:
/* SPDX-License-Identifier: MIT */
/*
 * passwd.c: the client's NSS-free reader of passwd(5) files, on a file the
 * test writes (by name, by uid, first match wins, comment/NIS/malformed
 * lines skipped, a missing file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/common/passwd.h"
#include "t.h"

int
main(void)
{
	char path[] = "/tmp/berth-test-passwd.XXXXXX";
	struct passwd_ent pe;
	FILE *fp;
	int fd;

	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		perror("mkstemp");
		return 1;
	}
	fputs("# a comment\n"
	    "+nisuser::::::\n"
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "broken:x:12\n"
	    "bad:x:notanumber:5::/home/bad:/bin/sh\n"
	    "alice:x:1000:1001:Alice,,,:/home/alice:/bin/bash\n"
	    "alias:x:1000:1001::/home/alias:/bin/sh\n"
	    "nohome:x:1002:1002::\n"
	    "noshell:x:1003:1003::/home/noshell:\n"
	    "last:x:1004:1004::/home/last:/bin/sh", fp);
	fclose(fp);

	ok(passwd_find(path, "alice", 0, &pe) == 0 && pe.uid == 1000 &&
	    pe.gid == 1001, "alice by name: uid 1000, gid 1001");
	is_str(pe.dir, "/home/alice", "alice's home");
	is_str(pe.shell, "/bin/bash", "alice's login shell");
	passwd_ent_free(&pe);
	ok(passwd_find(path, NULL, 1000, &pe) == 0, "uid 1000 found");
	is_str(pe.name, "alice", "uid 1000: the first line wins");
	passwd_ent_free(&pe);
	ok(passwd_find(path, NULL, 0, &pe) == 0, "uid 0 found");
	is_str(pe.dir, "/root", "root's home");
	passwd_ent_free(&pe);
	is_int(passwd_find(path, "broken", 0, &pe), -1, "short line skipped");
	is_int(passwd_find(path, "bad", 0, &pe), -1, "bad uid skipped");
	is_int(passwd_find(path, "nohome", 0, &pe), -1,
	    "six fields: skipped");
	ok(passwd_find(path, "noshell", 0, &pe) == 0 && pe.uid == 1003,
	    "empty shell field is fine");
	is_str(pe.shell, "", "…and read as empty");
	passwd_ent_free(&pe);
	ok(passwd_find(path, "last", 0, &pe) == 0 && pe.uid == 1004,
	    "last line without a newline");
	is_str(pe.dir, "/home/last", "…and its home");
	passwd_ent_free(&pe);
	is_int(passwd_find(path, "nisuser", 0, &pe), -1, "NIS line skipped");
	is_int(passwd_find(path, "nobody_here", 0, &pe), -1, "unknown name");
	is_int(passwd_find(path, NULL, 4242, &pe), -1, "unknown uid");
	unlink(path);
	is_int(passwd_find(path, "alice", 0, &pe), -1, "missing file");
	return done_testing();
}
