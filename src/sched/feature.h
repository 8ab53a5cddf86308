/* SPDX-License-Identifier: MIT */
/*
 * --constraint expressions against the node's features (berth.conf
 * Feature=), pure.  Syntax as Slurm's: NAME, NAME*COUNT, a&b (and; a
 * comma too), a|b (or), [..] (matching or / multiple counts), (..).  On
 * one node a count asks only that the node have the feature.
 */
#ifndef BERTH_FEATURE_H
#define BERTH_FEATURE_H

/* 1: the node satisfies expr, 0: it does not, -1: expr is malformed.
 * node_features is a comma-separated list (NULL: none). */
int	 feature_eval(const char *expr, const char *node_features);

#endif
