/* SPDX-License-Identifier: MIT */
/*
 * The environment index: open addressing with linear probing, FNV-1a of
 * the name, at most half full.  Entries are never deleted one by one:
 * whoever removes or moves entries of the vector rebuilds the index.
 */
#include <stdlib.h>
#include <string.h>

#include "envidx.h"
#include "xmalloc.h"

static size_t
name_len(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq != NULL ? (size_t)(eq - kv) : strlen(kv);
}

static size_t
name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

/* NAME's slot: the one holding it, or the empty one where it would go. */
static uint32_t *
slot_of(const struct envidx *x, char *const *v, const char *name,
    size_t len)
{
	size_t mask = x->cap - 1, i = name_hash(name, len) & mask;

	for (;; i = (i + 1) & mask) {
		const char *kv;

		if (x->slot[i] == 0)
			return &x->slot[i];
		kv = v[x->slot[i] - 1];
		if (strncmp(kv, name, len) == 0 &&
		    (kv[len] == '=' || kv[len] == '\0'))
			return &x->slot[i];
	}
}

ssize_t
envidx_find(const struct envidx *x, char *const *v, const char *name,
    size_t len)
{
	uint32_t *s;

	if (x->cap == 0)
		return -1;
	s = slot_of(x, v, name, len);
	return *s != 0 ? (ssize_t)*s - 1 : -1;
}

/* Index v[0..n-1] in a table with room for total entries. */
static void
index_all(struct envidx *x, char *const *v, size_t n, size_t total)
{
	size_t cap = 64;

	while (cap <= 2 * total)
		cap *= 2;
	if (cap != x->cap) {
		free(x->slot);
		x->slot = xcalloc(cap, sizeof *x->slot);
		x->cap = cap;
	} else
		memset(x->slot, 0, cap * sizeof *x->slot);
	for (size_t i = 0; i < n; i++) {
		uint32_t *s = slot_of(x, v, v[i], name_len(v[i]));

		/* A name twice in v: the index keeps the first. */
		if (*s == 0)
			*s = (uint32_t)i + 1;
	}
}

void
envidx_rebuild(struct envidx *x, char *const *v, size_t n)
{
	index_all(x, v, n, n);
}

void
envidx_reserve(struct envidx *x, char *const *v, size_t n, size_t total)
{
	if (2 * total >= x->cap)
		index_all(x, v, n, total);
}

ssize_t
envidx_put(struct envidx *x, char *const *v, size_t n, size_t len)
{
	uint32_t *s;

	if (2 * n >= x->cap)
		index_all(x, v, n - 1, n);
	s = slot_of(x, v, v[n - 1], len);
	if (*s != 0)
		return (ssize_t)*s - 1;
	*s = (uint32_t)n;
	return (ssize_t)n - 1;
}

void
envidx_free(struct envidx *x)
{
	free(x->slot);
	x->slot = NULL;
	x->cap = 0;
}
