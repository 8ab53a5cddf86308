/* SPDX-License-Identifier: MIT */
/*
 * sinfo's printing (sinfo-print.c), field table and node state names
 * (sinfo-fields.c), apart from cmd-sinfo.c so unit tests can link them
 * without a daemon.
 *
 * A row is what one sinfo output line describes: a partition and the node
 * of that partition that passed the filters, or no node (Slurm prints
 * partitions without matching nodes with NODES 0 and STATE n/a).  berth
 * has one node, so a row holds at most one.  Rows point into the decoded
 * MSG_NODE_INFO reply; they own nothing.
 */
#ifndef BERTH_CLI_SINFO_H
#define BERTH_CLI_SINFO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/buf.h"
#include "../fmt/fmt.h"
#include "../proto/job.h"

/* What the options ask for (cmd-sinfo.c fills it). */
struct sinfo_opts {
	bool		 node_flag;	/* -N */
	bool		 long_output;	/* -l */
	bool		 summarize;	/* -s */
	bool		 no_header;	/* -h */
	bool		 responding;	/* -r */
	bool		 dead;		/* -d */
	bool		 reasons;	/* -R */
	bool		 resv;		/* -T */
	const char	*format;	/* -o */
	const char	*long_format;	/* -O */
	char		**parts;	/* -p, NULL: all */
	char		**nodes;	/* -n, NULL: all */
	uint32_t	 states;	/* -t mask (sinfo_states_parse) */
	bool		 have_states;
	int		 iterate;	/* -i seconds */
	bool		 all;		/* -a, or -p: partitions hidden
					 * from the caller (AllowGroups) */
};

struct sinfo_row {
	const struct part_info	*part;
	const struct node_info	*node;	/* NULL: no matching node */
};

/*
 * Print the table (header unless -h, then the rows) for the node and its
 * partitions.  Returns 0, or -1 after reporting a bad format on stderr.
 */
int	 sinfo_print(FILE *, const struct sinfo_opts *,
	    const struct node_info *, const struct part_info *,
	    uint32_t nparts, int64_t now);

/* sinfo's fields: -o letters and -O names.  Records: struct sinfo_row. */
extern const struct fmt_table	sinfo_table;

/* Lower-case node state names: "mix"/"mixed", "idle*"/"idle*". */
void	 sinfo_state_compact(struct buf *, const char *state);
void	 sinfo_state_long(struct buf *, const char *state);

/*
 * -t/--states: a comma list of node state names (prefixes, any case, as
 * Slurm matches them) or "all".  Returns 0 and a match set in *mask, or
 * -1 with *bad pointing into a copy the caller frees with free(*bad).
 */
int	 sinfo_states_parse(const char *, uint32_t *mask, char **bad);
bool	 sinfo_state_match(uint32_t mask, const char *state);
/* The list Slurm prints after "valid states: ". */
extern const char	 sinfo_valid_states[];

/* The built-in formats, with Slurm's computed %P and %N widths. */
char	*sinfo_default_format(bool node_flag, bool long_output,
	    bool summarize, int part_width, int node_width);
/* Width of %P over rows: the longest name (plus '*'), at least 9. */
int	 sinfo_part_width(const struct sinfo_row *, size_t);
/* Width of %N over rows: the longest node name, at least 9. */
int	 sinfo_node_width(const struct sinfo_row *, size_t);
/* Marks the columns of l printed as Slurm's sinfo does (FMT_F_*). */
void	 sinfo_col_flags(struct fmt_list *);

#endif
