/* SPDX-License-Identifier: MIT */
/*
 * Shared copies of the strings thousands of jobs have in common (user,
 * group, partition, account, QOS, working directory, output pattern,
 * submit line, --gpus and --gpus-per-task, ...): a 10,000-job queue
 * otherwise holds 10,000 copies of each.  Reference counted; the table
 * lives in struct daemon.
 *
 * Invariant: the fields listed in interned_fields[] of every job in the
 * table, and the nodelist of its end part, point into this table (job_add
 * interns them, job_forget releases them).  Code that replaces such a
 * field must use job_set_str() or job_end_set_str().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "daemon.h"

struct istr {
	struct istr	*next;
	uint32_t	 refs;
	uint32_t	 hash;
	char		 s[];
};

struct intern_table {
	struct istr	**slot;
	uint32_t	  size;		/* power of two */
	uint32_t	  count;
};

static const size_t interned_fields[] = {
	offsetof(struct job_head, name), offsetof(struct job_head, user),
	offsetof(struct job_head, group), offsetof(struct job_head, partition),
	offsetof(struct job_head, account), offsetof(struct job_head, qos),
	offsetof(struct job_head, workdir),
	offsetof(struct job_head, std_out), offsetof(struct job_head, std_err),
	offsetof(struct job_head, command),
	offsetof(struct job_head, submit_line),
};
/* The same in the more part (jobrec.h), when the job has one. */
static const size_t interned_more[] = {
	offsetof(struct job_more, wckey), offsetof(struct job_more, std_in),
	offsetof(struct job_more, tres_per_job),
	offsetof(struct job_more, tres_per_task),
};

#define NFIELDS(a)	(sizeof (a) / sizeof (a)[0])

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static struct intern_table *
table(void)
{
	if (D->intern == NULL) {
		D->intern = xcalloc(1, sizeof *D->intern);
		D->intern->size = 256;
		D->intern->slot = xcalloc(D->intern->size,
		    sizeof *D->intern->slot);
	}
	return D->intern;
}

static void
grow(struct intern_table *t)
{
	struct istr **old = t->slot, *e, *next;
	uint32_t oldsize = t->size;

	t->size *= 2;
	t->slot = xcalloc(t->size, sizeof *t->slot);
	for (uint32_t i = 0; i < oldsize; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->next;
			e->next = t->slot[e->hash & (t->size - 1)];
			t->slot[e->hash & (t->size - 1)] = e;
		}
	}
	free(old);
}

/* Returns the shared copy of s (NULL for NULL), taking a reference. */
static char *
intern(const char *s)
{
	struct intern_table *t;
	struct istr *e;
	uint32_t h;
	size_t len;

	if (s == NULL)
		return NULL;
	t = table();
	h = hash_str(s);
	for (e = t->slot[h & (t->size - 1)]; e != NULL; e = e->next) {
		if (e->hash == h && strcmp(e->s, s) == 0) {
			e->refs++;
			return e->s;
		}
	}
	if (t->count + 1 > t->size)
		grow(t);
	len = strlen(s);
	e = xmalloc(sizeof *e + len + 1);
	memcpy(e->s, s, len + 1);
	e->refs = 1;
	e->hash = h;
	e->next = t->slot[h & (t->size - 1)];
	t->slot[h & (t->size - 1)] = e;
	t->count++;
	return e->s;
}

static void
release(char *s)
{
	struct intern_table *t = D->intern;
	struct istr *e, **pp;

	if (s == NULL || t == NULL)
		return;
	e = (struct istr *)(void *)(s - offsetof(struct istr, s));
	if (--e->refs > 0)
		return;
	for (pp = &t->slot[e->hash & (t->size - 1)]; *pp != NULL;
	    pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	t->count--;
	free(e);
}

static void
intern_fields(void *part, const size_t *off, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char **p = (char **)(void *)((char *)part + off[i]);
		char *own = *p;

		*p = intern(own);
		free(own);
	}
}

static void
unintern_fields(void *part, const size_t *off, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char **p = (char **)(void *)((char *)part + off[i]);

		release(*p);
		*p = NULL;
	}
}

/* field is one of part's interned ones: replace it with value's copy. */
static bool
set_interned(void *part, const size_t *off, size_t n, char **field,
    const char *value)
{
	for (size_t i = 0; i < n; i++) {
		if ((char *)field == (char *)part + off[i]) {
			char *old = *field;

			*field = intern(value);
			release(old);
			return true;
		}
	}
	return false;
}

void
job_intern(struct job_head *j)
{
	intern_fields(j, interned_fields, NFIELDS(interned_fields));
	if (j->more != NULL)
		intern_fields(j->more, interned_more, NFIELDS(interned_more));
}

void
job_unintern(struct job_head *j)
{
	unintern_fields(j, interned_fields, NFIELDS(interned_fields));
	if (j->more != NULL)
		unintern_fields(j->more, interned_more,
		    NFIELDS(interned_more));
}

void
job_set_str(struct job_head *j, char **field, const char *value)
{
	if (set_interned(j, interned_fields, NFIELDS(interned_fields), field,
	    value) || (j->more != NULL && set_interned(j->more, interned_more,
	    NFIELDS(interned_more), field, value)))
		return;
	free(*field);
	*field = xstrdup0(value);
}

void
job_end_intern(struct job_end *e)
{
	char *own = e->nodelist;

	e->nodelist = intern(own);
	free(own);
}

void
job_end_unintern(struct job_end *e)
{
	release(e->nodelist);
	e->nodelist = NULL;
}

void
job_end_set_str(struct job_end *e, char **field, const char *value)
{
	char *old = *field;

	if (field == &e->nodelist) {
		*field = intern(value);
		release(old);
		return;
	}
	*field = xstrdup0(value);
	free(old);
}
