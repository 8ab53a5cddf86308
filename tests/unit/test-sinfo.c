// links: cli/sinfo-print.c cli/sinfo-fields.c fmt/fmt.c fmt/time-fmt.c
/* SPDX-License-Identifier: MIT */
/*
 * sinfo's table against Slurm 22.05's recorded output (00_info.txt idle,
 * 70_sinfo_busy.txt with one job running), from a synthetic node "vm"
 * (2 CPUs, 20000 MB, 2 GPUs) in partitions cpu (default, no limit) and
 * debug (30:00, default 10:00).  The -l date line is cmd-sinfo.c's and not
 * tested here.
 */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "cli/sinfo.h"

static struct node_info node;
static struct part_info parts[2];

static void
setup(const char *state, uint32_t alloc_cpus)
{
	memset(&node, 0, sizeof node);
	node.name = xstrdup("vm");
	node.cpus = 2;
	node.alloc_cpus = alloc_cpus;
	node.real_mem_mb = 20000;
	node.alloc_mem_mb = alloc_cpus * 1000;
	node.free_mem_mb = 23563;
	node.gpus = 2;
	node.sockets = 1;
	node.cores_per_socket = 2;
	node.threads_per_core = 1;
	node.load_x100 = 5;
	node.state = xstrdup(state);
	node.partitions = xstrdup("cpu,debug");
	memset(parts, 0, sizeof parts);
	parts[0].name = xstrdup("cpu");
	parts[0].is_default = 1;
	parts[0].state_up = 1;
	parts[0].max_time = INFINITE;
	parts[0].default_time = NO_VAL;
	parts[0].max_nodes = INFINITE;
	parts[0].priority_tier = 1;
	parts[0].total_cpus = 2;
	parts[0].nodes = xstrdup("vm");
	parts[1] = parts[0];
	parts[1].name = xstrdup("debug");
	parts[1].nodes = xstrdup("vm");
	parts[1].is_default = 0;
	parts[1].max_time = 30;
	parts[1].default_time = 10;
}

static void
teardown(void)
{
	node_info_free(&node);
	part_info_free(&parts[0]);
	part_info_free(&parts[1]);
}

/* Run sinfo_print with the options and return what it printed. */
static char *
run(const struct sinfo_opts *o)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&out, &len);
	if (sinfo_print(fp, o, &node, parts, 2, 0) == -1)
		fprintf(fp, "<error>");
	fclose(fp);
	return out;
}

static void
check(const struct sinfo_opts *o, const char *want, const char *what)
{
	char *got = run(o);

	is_str(got, want, "%s", what);
	free(got);
}

static void
test_idle(void)
{
	struct sinfo_opts o;

	setup("IDLE", 0);
	memset(&o, 0, sizeof o);
	check(&o,
	    "PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST\n"
	    "cpu*         up   infinite      1   idle vm\n"
	    "debug        up      30:00      1   idle vm\n", "sinfo");

	o.node_flag = true;
	check(&o,
	    "NODELIST   NODES PARTITION STATE \n"
	    "vm             1      cpu* idle  \n"
	    "vm             1     debug idle  \n", "sinfo -N");

	memset(&o, 0, sizeof o);
	o.long_output = true;
	check(&o,
	    "PARTITION AVAIL  TIMELIMIT   JOB_SIZE ROOT OVERSUBS     GROUPS  "
	    "NODES       STATE NODELIST\n"
	    "cpu*         up   infinite 1-infinite   no       NO        all  "
	    "    1        idle vm\n"
	    "debug        up      30:00 1-infinite   no       NO        all  "
	    "    1        idle vm\n", "sinfo -l");

	memset(&o, 0, sizeof o);
	o.format = "%P %a %l %D %t %N";
	check(&o,
	    "PARTITION AVAIL TIMELIMIT NODES STATE NODELIST\n"
	    "cpu* up infinite 1 idle vm\n"
	    "debug up 30:00 1 idle vm\n", "sinfo -o '%P %a %l %D %t %N'");

	memset(&o, 0, sizeof o);
	o.summarize = true;
	check(&o,
	    "PARTITION AVAIL  TIMELIMIT   NODES(A/I/O/T) NODELIST\n"
	    "cpu*         up   infinite          0/1/0/1 vm\n"
	    "debug        up      30:00          0/1/0/1 vm\n", "sinfo -s");

	memset(&o, 0, sizeof o);
	o.node_flag = true;
	o.format = "%N %c %m %G %t %O %e";
	check(&o,
	    "NODELIST CPUS MEMORY GRES STATE CPU_LOAD FREE_MEM\n"
	    "vm 2 20000 gpu:2 idle 0.05 23563\n"
	    "vm 2 20000 gpu:2 idle 0.05 23563\n",
	    "sinfo -N -o '%N %c %m %G %t %O %e'");

	memset(&o, 0, sizeof o);
	o.no_header = true;
	o.format = "%P";
	check(&o, "cpu*\ndebug\n", "sinfo -h -o %P (CLIENTS.md)");

	o.no_header = false;
	o.format = "%N %c";
	check(&o, "NODELIST CPUS\nvm 2\n",
	    "no partition column: partitions merge into one line");

	o.format = "%L|%R|%s|%z|%X|%Y|%Z|%w|%E|%H|%f|%d|%o|%n|%%|%A|%F|%g|%r";
	check(&o,
	    "DEFAULTTIME|PARTITION|JOB_SIZE|S:C:T|SOCKETS|CORES|THREADS|"
	    "WEIGHT|REASON|TIMESTAMP|AVAIL_FEATURES|TMP_DISK|NODE_ADDR|"
	    "HOSTNAMES|%|NODES(A/I)|NODES(A/I/O/T)|GROUPS|ROOT\n"
	    "n/a|cpu|1-infinite|1:2:1|1|2|1|1|none|Unknown|(null)|0|vm|vm|%|"
	    "0/1|0/1/0/1|all|no\n"
	    "10:00|debug|1-infinite|1:2:1|1|2|1|1|none|Unknown|(null)|0|vm|vm|"
	    "%|0/1|0/1/0/1|all|no\n", "the other -o letters");

	o.format = NULL;
	o.parts = strv_split("debug", ",", NULL);
	check(&o,
	    "PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST\n"
	    "debug        up      30:00      1   idle vm\n", "sinfo -p debug");
	strv_free(o.parts);
	o.parts = NULL;

	o.long_format = "Partition,Available:.6,NodeList:5x";
	check(&o,
	    "PARTITION            AVAILNODELx\n"
	    "cpu*                    upvm   x\n"
	    "debug                   upvm   x\n",
	    "sinfo -O: widths, no separator");
	teardown();
}

static void
test_busy(void)
{
	struct sinfo_opts o;

	setup("MIXED", 1);
	memset(&o, 0, sizeof o);
	check(&o,
	    "PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST\n"
	    "cpu*         up   infinite      1    mix vm\n"
	    "debug        up      30:00      1    mix vm\n", "busy: sinfo");

	o.node_flag = true;
	o.long_output = true;
	check(&o,
	    "NODELIST   NODES PARTITION       STATE CPUS    S:C:T MEMORY "
	    "TMP_DISK WEIGHT AVAIL_FE REASON              \n"
	    "vm             1      cpu*       mixed 2       1:2:1  20000  "
	    "      0      1   (null) none                \n"
	    "vm             1     debug       mixed 2       1:2:1  20000  "
	    "      0      1   (null) none                \n",
	    "busy: sinfo -N -l");

	memset(&o, 0, sizeof o);
	o.format = "%P %a %l %D %t %N %C";
	check(&o,
	    "PARTITION AVAIL TIMELIMIT NODES STATE NODELIST CPUS(A/I/O/T)\n"
	    "cpu* up infinite 1 mix vm 1/1/0/2\n"
	    "debug up 30:00 1 mix vm 1/1/0/2\n", "busy: sinfo -o ... %C");

	/* -t idle: the node is filtered out; partitions stay, empty. */
	o.format = "%P %D %t %N|";
	(void)sinfo_states_parse("idle", &o.states, &(char *){ NULL });
	o.have_states = true;
	check(&o,
	    "PARTITION NODES STATE NODELIST|\n"
	    "cpu* 0 n/a |\n"
	    "debug 0 n/a |\n", "busy: sinfo -t idle");
	(void)sinfo_states_parse("mix", &o.states, &(char *){ NULL });
	check(&o,
	    "PARTITION NODES STATE NODELIST|\n"
	    "cpu* 1 mix vm|\n"
	    "debug 1 mix vm|\n", "busy: sinfo -t mix");
	o.node_flag = true;
	(void)sinfo_states_parse("idle", &o.states, &(char *){ NULL });
	check(&o, "PARTITION NODES STATE NODELIST|\n",
	    "busy: sinfo -N -t idle: no rows");
	teardown();
}

static void
test_widths(void)
{
	struct sinfo_opts o;

	setup("IDLE", 0);
	free(parts[1].name);
	parts[1].name = xstrdup("verylongpartition");
	memset(&o, 0, sizeof o);
	check(&o,
	    "PARTITION         AVAIL  TIMELIMIT  NODES  STATE NODELIST\n"
	    "cpu*                 up   infinite      1   idle vm\n"
	    "verylongpartition    up      30:00      1   idle vm\n",
	    "%P widens to the longest partition name");
	teardown();
}

static void
test_states(void)
{
	static const char *const cases[][3] = {
		{ "IDLE", "idle", "idle" },
		{ "MIXED", "mix", "mixed" },
		{ "ALLOCATED", "alloc", "allocated" },
		{ "DOWN*", "down*", "down*" },
		{ "IDLE+DRAIN", "drain", "drained" },
		{ "MIXED+DRAIN", "drng", "draining" },
		{ "DRAIN", "drain", "drained" },
		{ "COMPLETING", "comp", "completing" },
		{ "WEIRD", "weird", "weird" },
	};
	struct buf b;
	uint32_t mask;
	char *bad;

	buf_init(&b);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		sinfo_state_compact(&b, cases[i][0]);
		is_str(b.data, cases[i][1], "compact state of %s",
		    cases[i][0]);
		buf_reset(&b);
		sinfo_state_long(&b, cases[i][0]);
		is_str(b.data, cases[i][2], "long state of %s", cases[i][0]);
	}
	buf_free(&b);

	is_int(sinfo_states_parse("idle,MIX", &mask, &bad), 0, "-t idle,MIX");
	ok(sinfo_state_match(mask, "IDLE") && sinfo_state_match(mask,
	    "MIXED") && !sinfo_state_match(mask, "ALLOCATED"),
	    "-t idle,MIX matches idle and mixed only");
	is_int(sinfo_states_parse("d", &mask, &bad), 0, "-t d");
	ok(sinfo_state_match(mask, "DOWN") &&
	    !sinfo_state_match(mask, "IDLE+DRAIN"), "-t d is down");
	is_int(sinfo_states_parse("drain", &mask, &bad), 0, "-t drain");
	ok(sinfo_state_match(mask, "IDLE+DRAIN") &&
	    sinfo_state_match(mask, "MIXED+DRAIN") &&
	    !sinfo_state_match(mask, "IDLE"), "-t drain: drained, draining");
	is_int(sinfo_states_parse("all", &mask, &bad), 0, "-t all");
	ok(sinfo_state_match(mask, "ALLOCATED"), "-t all matches");
	is_int(sinfo_states_parse("idle,bogus", &mask, &bad), -1,
	    "-t bogus is refused");
	is_str(bad, "bogus", "the bad state is named");
	free(bad);
}

static void
test_bad_formats(void)
{
	struct sinfo_opts o;
	char *got;

	setup("IDLE", 0);
	memset(&o, 0, sizeof o);
	o.format = "%P %5k|";
	got = run(&o);
	/* Slurm prints the unknown spec literally (and warns on stderr). */
	is_str(got, "PARTITION %5k|\ncpu* %5k|\ndebug %5k|\n",
	    "unknown -o letter printed literally");
	free(got);
	o.format = NULL;
	o.long_format = "partition:6,bogus,nodes:3";
	got = run(&o);
	is_str(got, "PARTITNOD\ncpu*  1  \ndebug 1  \n",
	    "unknown -O name dropped");
	free(got);
	teardown();
}

int
main(void)
{
	is_int(fmt_table_check(&sinfo_table), -1, "field table is sorted");
	test_idle();
	test_busy();
	test_widths();
	test_states();
	test_bad_formats();
	return done_testing();
}
