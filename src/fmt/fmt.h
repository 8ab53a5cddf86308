/* SPDX-License-Identifier: MIT */
/*
 * Table-driven output formatting for squeue, sacct, sinfo and scontrol.
 *
 * A record type (job, accounting row, node, partition) has one field table:
 * an array of struct fmt_field sorted by name (strcasecmp order), searched
 * with bsearch.  A field knows its long name (squeue -O, sacct -o), its
 * %letter (squeue/sinfo -o), its header, its default width and a getter that
 * appends the value of one record to a struct buf.  Getters never print and
 * never pad: the generic code below prints headers, pads, cuts, justifies
 * and separates columns.
 *
 * A format is parsed once into a struct fmt_list (the columns), then
 * fmt_print() or fmt_print_header()/fmt_print_row() print records with it.
 *
 * Three parsers, one per Slurm syntax:
 *   fmt_parse_letters  "%.18i %9P %-8j %#P"   squeue -o, sinfo -o
 *   fmt_parse_long     "JobID:10,State:.8,Reason"   squeue -O, sinfo -O
 *   fmt_parse_acct     "JobID,JobName%30,State%15"  sacct -o/--format
 * Field names are case-insensitive; sacct also takes unambiguous prefixes as
 * Slurm does (the alphabetically first field with that prefix).
 *
 * Column modes (struct fmt_list.mode):
 *   FMT_CUT        squeue/sinfo: pad to width, cut longer values to width;
 *                  width 0 prints the value as is.  Literal text of the
 *                  format (the spaces in "%i %T") is kept as the suffix of
 *                  each column.
 *   FMT_MARK       sacct: every column is width wide and followed by one
 *                  space; longer values are cut to width-1 plus '+';
 *                  a dashed line follows the header.
 *   FMT_PARSABLE   sacct -p: every field followed by '|'.
 *   FMT_PARSABLE2  sacct -P: fields separated by '|', none at the end.
 *
 * Ownership: fmt_list_free() frees what the parsers allocated; tables are
 * static const.  Errors are returned through char **cause (caller frees),
 * worded as Slurm words them without the "<tool>: error: " prefix.
 */
#ifndef BERTH_FMT_H
#define BERTH_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/buf.h"
#include "../proto/job.h"

/* What getters may need besides the record. */
struct fmt_ctx {
	int64_t		 now;		/* wall clock for running times */
	const void	*arg;		/* per-command data, may be NULL */
};

/*
 * Append the value of one field of rec to out (no padding).  out is the
 * line being printed: a getter only appends, it never looks at or changes
 * what is already there.
 */
typedef void	 fmt_get_fn(struct buf *out, const void *rec,
		    const struct fmt_ctx *);

struct fmt_field {
	const char	*name;		/* long name: "JobID", sort key */
	char		 letter;	/* %letter, 0 if none */
	const char	*header;	/* column header: "JOBID" */
	int		 width;		/* default width for long-name lists;
					   < 0: left-justified (sacct style) */
	fmt_get_fn	*get;
};

/*
 * squeue prints some fields with Slurm's _print_str(..., cut_output =
 * false): right-justified ("%.8l") they are padded but never cut (a
 * left-justified value is still cut by its "%.*s").  FMT_F_NOCUT_HDR: the
 * header (NODELIST, SCHEDNODES, NODELIST(REASON)); FMT_F_NOCUT: every
 * value (node lists); FMT_F_NOCUT_NODES: a value that is not a
 * "(reason)"; FMT_F_NOCUT_TIME: a duration (it starts with a digit) or
 * "INVALID", not UNLIMITED or NOT_SET.
 */
#define FMT_F_NOCUT_HDR		0x1
#define FMT_F_NOCUT		0x2
#define FMT_F_NOCUT_NODES	0x4
#define FMT_F_NOCUT_TIME	0x8
/* A value ending in '*' (sinfo's default partition) keeps it when cut. */
#define FMT_F_STAR		0x10

struct fmt_table {
	const struct fmt_field	*fields;	/* sorted by strcasecmp(name) */
	size_t			 nfields;
};

#define FMT_WIDTH_AUTO	(-1)	/* "%#P": widest value (or header) */
#define FMT_WIDTH_SPACE	(-2)	/* "Name:-8": the value, then a space */

struct fmt_col {
	const struct fmt_field	*field;
	int			 width;	/* 0: natural; FMT_WIDTH_AUTO */
	bool			 right;	/* right-justify */
	char			*suffix;	/* literal text after, or NULL */
	unsigned		 flags;	/* FMT_F_*: fmt_job_nocut() */
};

enum fmt_mode {
	FMT_CUT = 0,
	FMT_MARK,
	FMT_PARSABLE,
	FMT_PARSABLE2
};

struct fmt_list {
	char		*prefix;	/* literal text before the first column */
	const char	*delim;		/* -p/-P separator (sacct --delimiter);
					   NULL: "|" */
	struct fmt_col	*cols;
	size_t		 ncols;
	enum fmt_mode	 mode;
};

/* fmt_print flags */
#define FMT_NOHEADER	0x1

/* Lookups.  by_name: exact, case-insensitive.  by_prefix: exact match
 * first, else the first field (in table order) the string is a prefix of. */
const struct fmt_field	*fmt_field_by_name(const struct fmt_table *,
			    const char *);
const struct fmt_field	*fmt_field_by_prefix(const struct fmt_table *,
			    const char *);
const struct fmt_field	*fmt_field_by_letter(const struct fmt_table *, int);
/* Checks that a table is sorted (for unit tests).  Returns the index of the
 * first out-of-order entry, or -1 when sorted. */
int			 fmt_table_check(const struct fmt_table *);

/*
 * Parsers fill *l (which they initialise; mode FMT_CUT, or FMT_MARK for
 * fmt_parse_acct).  On error return -1 with *cause set and *l empty.
 *  - letters: "%[.|-][#|width]X"; '.' right-justifies, '-' left (the
 *    default), '#' asks for FMT_WIDTH_AUTO, "%%" is a literal '%', "%all"
 *    is every letter of the table separated by '|'.  Unknown
 *    letter: "Invalid job format specification: X" (what names the kind).
 *  - long: "Name[:[.]width[suffix]],..." with defwidth when no width is
 *    given (0: the field's default width).  Unknown name: "Invalid job
 *    format specification: Name".
 *  - acct: "Name[%width],..." (or space separated); width replaces the
 *    field's and makes it right-justified, as Slurm does.  Unknown name:
 *    "Invalid field requested: \"Name\"".
 */
int	 fmt_parse_letters(struct fmt_list *, const struct fmt_table *,
	    const char *what, const char *, char **cause);
int	 fmt_parse_long(struct fmt_list *, const struct fmt_table *,
	    const char *what, const char *, int defwidth, char **cause);
int	 fmt_parse_acct(struct fmt_list *, const struct fmt_table *,
	    const char *, char **cause);
void	 fmt_list_free(struct fmt_list *);

/*
 * Printing.  fmt_print prints the header (unless FMT_NOHEADER) then every
 * record, resolving FMT_WIDTH_AUTO columns over all records first.
 * fmt_print_header/fmt_print_row print one line each (newline included);
 * auto-width columns print at natural width there.
 */
void	 fmt_print(FILE *, const struct fmt_list *, const void *const *recs,
	    size_t n, const struct fmt_ctx *, int flags);
void	 fmt_print_header(FILE *, const struct fmt_list *);
void	 fmt_print_row(FILE *, const struct fmt_list *, const void *rec,
	    const struct fmt_ctx *);
/* fmt_print's lines appended to out (auto widths over these records
 * only: for lists printed in pieces, use fixed widths). */
void	 fmt_print_buf(struct buf *out, const struct fmt_list *,
	    const void *const *recs, size_t n, const struct fmt_ctx *,
	    int flags);
/* One padded/cut cell as the list's mode would print it (no separator). */
void	 fmt_cell(struct buf *, enum fmt_mode, const char *value, int width,
	    bool right);

/*
 * Time formats (append to a buf).
 *  fmt_duration:       squeue TIME  "0:04" "1:27" "1:00:00" "1-00:00:00"
 *  fmt_duration_long:  sacct        "00:01:27" "1-00:00:00"
 *  fmt_time_limit:     squeue/sinfo/scontrol minutes: "UNLIMITED" (INFINITE),
 *                      "10:00", "1:00:00", "1-00:00:00"; NO_VAL gives
 *                      "NOT_SET" as squeue does
 *  fmt_time_limit_long: sacct Timelimit "00:10:00", "UNLIMITED",
 *                      "Partition_Limit"
 *  fmt_timestamp:      "2026-11-22T04:20:44" (local time); t == 0 appends
 *                      zero_text ("Unknown", "None", "N/A" per command)
 */
void	 fmt_duration(struct buf *, int64_t secs);
void	 fmt_duration_long(struct buf *, int64_t secs);
void	 fmt_time_limit(struct buf *, uint32_t minutes);
void	 fmt_time_limit_long(struct buf *, uint32_t minutes);
void	 fmt_timestamp(struct buf *, int64_t t, const char *zero_text);
/* Memory in MB as Slurm prints it: "1000M", "2G" when a multiple of 1024. */
void	 fmt_mem_mb(struct buf *, uint64_t mb);
/* Same for KB ("3088K", "215516K", "2M"), as sacct's MaxRSS. */
void	 fmt_mem_kb(struct buf *, uint64_t kb);
/* sacct --units=K|M|G|T|P: both of the above in that unit (1 K ... 5 P),
 * as "0.98G"; -1 (the default) for the above. */
void	 fmt_mem_set_unit(int unit);
/* wait(2) status as "code:signal" ("3:0", "0:15"). */
void	 fmt_exit_code(struct buf *, int32_t status);
/* A GPU request of the job record (job.gres, tres_per_job, tres_per_task)
 * as Slurm's TresPer* fields: "gres:" before each item
 * ("gres:gpu:1,gres:gpu:tesla:2"). */
void	 fmt_tres_per(struct buf *, const char *req);

/*
 * Jobs (fields-job.c).  fmt_job_table: squeue's fields.  Its records are
 * struct fmt_job_rec: a job plus what squeue derives for it when it
 * combines pending array tasks (array_tasks "0-1,3-5", the merged reason
 * "Resources,JobHeldUser"); both NULL for an ordinary job.
 */
struct fmt_job_rec {
	const struct job *job;
	char		*array_tasks;	/* owned; NULL if not combined */
	char		*reason;	/* owned; NULL: job_reason_name() */
	uint32_t	 place;		/* in Slurm's job list (fmt_job_places);
					 * 0: the job's id */
	bool		 unfolded;	/* a task of a pending array record,
					 * on a line of its own (-r) */
};
extern const struct fmt_table	fmt_job_table;
#define FMT_SQUEUE_DEFAULT	"%.18i %.9P %.8j %.8u %.2t %.10M %.6D %R"
#define FMT_SQUEUE_LONG	"%.18i %.9P %.8j %.8u %.8T %.10M %.9l %.6D %R"
/* Marks the columns of l that squeue prints uncut (FMT_F_*). */
void	 fmt_job_nocut(struct fmt_list *);
#define FMT_SQUEUE_START	"%.18i %.9P %.8j %.8u %.2t %.19S %.6D %20Y %R"
/* %i of a single job: "123", "123_4". */
void	 fmt_job_id(struct buf *, const struct job *);
/* Slurm's job_time_used(): elapsed seconds at now (0 while pending). */
int64_t	 fmt_job_elapsed(const struct job *, int64_t now);
/*
 * Merge the pending tasks split off an array (same name and partition)
 * back into the array's pending record, as squeue does without -r (not
 * with each other when the array has no pending record).  Compacts v in
 * place (order kept) and returns the new count.
 */
size_t	 fmt_job_combine(struct fmt_job_rec *, size_t);
/*
 * Array records (one record holds an array's pending tasks in
 * job.array_spec).  fmt_job_array_pending: what follows "ID_[" for such a
 * record, "0-3%2" (caller frees), or NULL for any other job.
 * fmt_job_unfold: a new vector (caller frees it alone) in which every such
 * record becomes one pending job per task, as squeue -r shows them; the
 * copies share the strings of the originals.  With origin, *origin (the
 * caller frees it) gives the index in v each one comes from.
 */
char	*fmt_job_array_pending(const struct job *);
struct job *fmt_job_unfold(const struct job *, size_t n, size_t *nout,
	    size_t **origin);
/*
 * Each job's place in slurmctld's job list, which squeue's sort keeps for
 * jobs that compare equal: the order of submission, except that a task
 * split off an array (held, updated or started on its own) takes the
 * array record's place and the array record moves to the end.  So the
 * k-th task split off array A (new id t_k) sits at t_(k-1) (A for the
 * first), and A's own record at its last split's id.  place[i] for v[i];
 * the ids of the whole listing are needed, not only the shown jobs.
 */
void	 fmt_job_places(const struct job *, size_t n, uint32_t *place);
/* sacct: each record is a row, as in Slurm's database; fills in the task
 * lists of array records ("ID_[0-1,4-5]").  Returns n. */
size_t	 fmt_job_array_rows(struct fmt_job_rec *, size_t);
void	 fmt_job_rec_free(struct fmt_job_rec *);
/*
 * Sort as squeue -S spec does (NULL: Slurm's default "P,t,-p"); keys are
 * squeue letters, '-' before a key reverses it.  Unknown key: -1 and
 * "Invalid sort specification: X".
 */
int	 fmt_job_sort(struct fmt_job_rec *, size_t, const char *spec,
	    int64_t now, char **cause);
/* The job fields a listing with these columns and sort keys never reads
 * (for job_filter.omit), 0 when it may read any. */
uint64_t fmt_job_omit(const struct fmt_list *, const char *sort);

/*
 * Accounting rows (fields-acct.c).  sacct prints one row per job and one
 * per step; a step row is the same record with kind != ACCT_JOB and its own
 * times, state and usage.  Records are const struct acct_row *.
 */
enum acct_kind {
	ACCT_JOB = 0,
	ACCT_BATCH,		/* ID.batch, derived from job.batch_* */
	ACCT_STEP		/* ID.N (srun steps, later) */
};
struct acct_row {
	enum acct_kind	 kind;
	const struct job *job;
	uint32_t	 step_id;	/* ACCT_STEP */
	uint32_t	 ntasks;	/* ACCT_STEP */
	const char	*step_name;	/* ACCT_STEP */
	const char	*array_tasks;	/* "0-5": combined array record */
	uint32_t	 state;		/* the row's state */
	int32_t		 status;	/* the row's wait(2) status */
	int32_t		 derived;	/* job rows: the worst step's status,
					 * -1 while no step was seen */
	int64_t		 start, end;	/* 0: unknown / still running */
	uint32_t	 ncpus;
	uint64_t	 max_rss_kb, max_vsize_kb;
	uint64_t	 user_usec, sys_usec;
};
extern const struct fmt_table	fmt_acct_table;
#define FMT_SACCT_DEFAULT \
	"JobID,JobName,Partition,Account,AllocCPUS,State,ExitCode"
#define FMT_SACCT_BRIEF		"JobID,State,ExitCode"
#define FMT_SACCT_LONG \
	"JobID,JobIDRaw,JobName,Partition,MaxVMSize,MaxVMSizeNode," \
	"MaxVMSizeTask,AveVMSize,MaxRSS,MaxRSSNode,MaxRSSTask,AveRSS," \
	"MaxPages,MaxPagesNode,MaxPagesTask,AvePages,MinCPU,MinCPUNode," \
	"MinCPUTask,AveCPU,NTasks,AllocCPUS,Elapsed,State,ExitCode," \
	"AveCPUFreq,ReqCPUFreqMin,ReqCPUFreqMax,ReqCPUFreqGov,ReqMem," \
	"ConsumedEnergy,MaxDiskRead,MaxDiskReadNode,MaxDiskReadTask," \
	"AveDiskRead,MaxDiskWrite,MaxDiskWriteNode,MaxDiskWriteTask," \
	"AveDiskWrite,ReqTRES,AllocTRES,TRESUsageInAve,TRESUsageInMax," \
	"TRESUsageInMaxNode,TRESUsageInMaxTask,TRESUsageInMin," \
	"TRESUsageInMinNode,TRESUsageInMinTask,TRESUsageInTot," \
	"TRESUsageOutMax,TRESUsageOutMaxNode,TRESUsageOutMaxTask," \
	"TRESUsageOutAve,TRESUsageOutTot"
/*
 * Fill rows for one job: the job row, then (unless allocations_only) its
 * batch row when job.batch_state != JOB_NONE or while a batch job (not
 * JOB_F_INTERACTIVE) is RUNNING.  Returns the number of rows written (at
 * most 2).
 */
size_t	 acct_rows_for_job(struct acct_row *, const struct job *,
	    bool allocations_only);
/* One step row ID.N of job j from its step record (src/proto/step.h). */
struct step;
void	 acct_row_for_step(struct acct_row *, const struct job *,
	    const struct step *);
/* The job fields no column of l reads (for job_filter.omit and
 * proto_job_list_add_some): the long strings, less those printed. */
uint64_t fmt_acct_omit(const struct fmt_list *);
/* Whether a column of l reads the jobs' steps (DerivedExitCode,
 * ConsumedEnergy): sacct -X asks for steps only then. */
bool	 fmt_acct_reads_steps(const struct fmt_list *);
/* Order jobs as sacct lists them: by job id, array tasks by task id. */
void	 acct_sort_jobs(const struct job **, size_t);
/* That order as a comparison (<0, 0, >0). */
int	 acct_job_order(const struct job *, const struct job *);
/* sacct -e: the field names, four per line as Slurm prints them. */
void	 fmt_acct_helpformat(FILE *);

/*
 * sprio (fields-prio.c).  Records are struct fmt_prio_rec: a row of the
 * daemon's reply, or row NULL for the "Weights" line of -w; list gives
 * the weights.
 */
struct prio_row;
struct prio_list;
struct fmt_prio_rec {
	const struct prio_row	*row;
	const struct prio_list	*list;
};
extern const struct fmt_table	fmt_prio_table;

/*
 * sstat rows (fields-sstat.c): the live usage of one running step, as
 * cmd-sstat.c gathers it from /proc.  Usage per TRES in Slurm's units
 * (CPU in ms, memory and disk in bytes): max and min over the step's
 * tasks of each task's value (its peak for memory) with the task that
 * holds it, and tot, the sum of the tasks' current values (the Ave fields
 * are tot / ntasks).  Records are const struct sstat_row *.
 */
enum sstat_tres {		/* sorted by name, as Slurm prints them */
	SSTAT_CPU = 0,
	SSTAT_ENERGY,
	SSTAT_DISK,		/* read (in) or written (out) */
	SSTAT_MEM,
	SSTAT_PAGES,
	SSTAT_VMEM,
	SSTAT_NTRES
};
struct sstat_usage {
	uint64_t	 max, min, tot;
	uint32_t	 max_task, min_task;
};
#define SSTAT_BATCH	0xfffffffbu	/* step_id of ID.batch (Slurm's) */
struct sstat_row {
	uint32_t	 job_id;
	uint32_t	 step_id;	/* or SSTAT_BATCH */
	const char	*nodes;
	const char	*pids;		/* "123,124", or NULL */
	uint32_t	 ntasks;	/* tasks with processes; 0: no usage */
	struct sstat_usage in[SSTAT_NTRES];
	struct sstat_usage out;		/* bytes written */
	double		 cpufreq;	/* average over the tasks */
	bool		 noconvert;	/* --noconvert */
};
extern const struct fmt_table	fmt_sstat_table;
#define FMT_SSTAT_DEFAULT \
	"JobID,MaxVMSize,MaxVMSizeNode,MaxVMSizeTask,AveVMSize,MaxRSS," \
	"MaxRSSNode,MaxRSSTask,AveRSS,MaxPages,MaxPagesNode,MaxPagesTask," \
	"AvePages,MinCPU,MinCPUNode,MinCPUTask,AveCPU,NTasks,AveCPUFreq," \
	"ReqCPUFreqMin,ReqCPUFreqMax,ReqCPUFreqGov,ConsumedEnergy," \
	"MaxDiskRead,MaxDiskReadNode,MaxDiskReadTask,AveDiskRead," \
	"MaxDiskWrite,MaxDiskWriteNode,MaxDiskWriteTask,AveDiskWrite," \
	"TRESUsageInAve,TRESUsageInMax,TRESUsageInMaxNode," \
	"TRESUsageInMaxTask,TRESUsageInMin,TRESUsageInMinNode," \
	"TRESUsageInMinTask,TRESUsageInTot,TRESUsageOutAve,TRESUsageOutMax," \
	"TRESUsageOutMaxNode,TRESUsageOutMaxTask,TRESUsageOutMin," \
	"TRESUsageOutMinNode,TRESUsageOutMinTask,TRESUsageOutTot"
#define FMT_SSTAT_PIDS		"JobID,Nodelist,Pids"
/* sstat -e: the field names in Slurm's order, four per line. */
void	 fmt_sstat_helpformat(FILE *);

#endif
