// links: sched/feature.c
/* SPDX-License-Identifier: MIT */
/*
 * covers: --constraint expressions (Slurm's &, |, comma, [..], (..),
 * NAME*COUNT) against a node's Feature= list, and malformed ones.
 */
#include "sched/feature.h"
#include "t.h"

int
main(void)
{
	const char *node = "a100,ib,rack1";

	is_int(feature_eval("a100", node), 1, "a feature the node has");
	is_int(feature_eval("v100", node), 0, "a feature it lacks");
	is_int(feature_eval("a100&ib", node), 1, "and, both present");
	is_int(feature_eval("a100&v100", node), 0, "and, one missing");
	is_int(feature_eval("a100,ib", node), 1, "comma is and");
	is_int(feature_eval("v100|a100", node), 1, "or, one present");
	is_int(feature_eval("v100|h100", node), 0, "or, none present");
	is_int(feature_eval("[rack1|rack2]", node), 1, "matching or");
	is_int(feature_eval("[rack2|rack3]", node), 0, "matching or, none");
	is_int(feature_eval("[a100*2&ib*1]", node), 1,
	    "multiple counts: presence on one node");
	is_int(feature_eval("(v100|a100)&ib", node), 1, "parentheses");
	is_int(feature_eval("(v100|h100)&ib", node), 0, "parentheses, false");
	is_int(feature_eval("a10", node), 0, "no prefix matches");
	is_int(feature_eval("ib", NULL), 0, "a node without features");
	is_int(feature_eval("ib&a100", "a100, ib"), 1,
	    "blanks around Feature= items are ignored");
	is_int(feature_eval("", NULL), 1, "no constraint");
	is_int(feature_eval("a100&", node), -1, "dangling and");
	is_int(feature_eval("(a100", node), -1, "unclosed parenthesis");
	is_int(feature_eval("[a100)", node), -1, "mismatched bracket");
	is_int(feature_eval("a100*", node), -1, "count without digits");
	is_int(feature_eval("a100 ib", node), -1, "space is not an operator");
	is_int(feature_eval("|a100", node), -1, "leading or");
	return done_testing();
}
