/* graph.h: the revision graph of a scripts directory (retort(1)).
 *
 * Revisions are numbered 0..n-1 in the deterministic topological order:
 * parents and dependencies before children, ties broken by Create Date,
 * then by revision id. "Newest first" listings walk it backwards. */
#ifndef RT_GRAPH_H
#define RT_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "script.h"
#include "util.h"

struct gnode {
	struct script s;
	uint32_t *parents;     /* indices, in the order of Revises */
	uint32_t *children;    /* ascending index */
	uint32_t *deps;        /* Depends On, resolved (labels → revision) */
	uint32_t *dependents;  /* reverse of deps */
	uint32_t nparents, nchildren, ndeps, ndependents;
	const char **branch;   /* labels covering this revision (label order) */
	uint32_t nbranch;
};

struct graph_label {
	const char *name;
	uint32_t rev;          /* the revision that carries it */
};

struct graph {
	struct arena arena;    /* owns everything below */
	const char *dir;       /* the (first) versions directory */
	struct gnode *nodes;
	uint32_t n;
	struct strmap ids;     /* id → index */
	const char **sorted_ids;  /* ids in strcmp order, for prefix lookup */
	uint32_t *sorted_idx;     /* index of sorted_ids[i] */
	struct graph_label *labels;
	uint32_t nlabels;
	struct strmap label_map;  /* label → position in labels */
	uint32_t *heads, nheads;          /* no children (parent edges only), ascending */
	uint32_t *bases, nbases;          /* no parents */
	uint32_t *branchpoints, nbranchpoints;
	uint32_t *mergepoints, nmergepoints;
	uint32_t ncached;      /* scripts whose header came from the cache */
};

/* Where a graph's scripts are: directories read as one format; with
 * recursive, their subdirectories too (but __pycache__ and hidden ones).
 * skip_missing: a directory that does not exist holds nothing (Alembic's
 * version_locations), rather than being an error. */
struct graph_src {
	const char *const *dirs;   /* borrowed; dirs[0] becomes graph.dir */
	uint32_t ndirs;
	bool recursive;
	const struct script_format *format;
	bool skip_missing;
};

/* Loads a graph from src, as graph_load does from one directory. */
enum rt_status graph_load_src(const struct graph_src *src, struct graph **out, char **err);

/* Loads DIR/versions style directory `dir` (the versions directory itself)
 * of .sql scripts.
 * Validates the whole graph; every problem is reported in *err, one
 * "file:line: message" per line. On RT_EINPUT nothing is returned.
 * *out: caller frees with graph_free. */
enum rt_status graph_load(const char *dir, struct graph **out, char **err);
void graph_free(struct graph *g);

/* Exact id → index, or -1. */
int32_t graph_find(const struct graph *g, const char *rev);
/* Ids starting with prefix: writes up to max indices, returns the count
 * of all matches. */
uint32_t graph_prefix(const struct graph *g, const char *prefix,
                      uint32_t *out, uint32_t max);
/* Label → the revision carrying it, or -1. */
int32_t graph_label(const struct graph *g, const char *label);

/* Set bits of the ancestors of rev, rev included; deps too if with_deps. */
void graph_ancestors(const struct graph *g, uint32_t rev, bool with_deps,
                     struct bitset *out);
void graph_descendants(const struct graph *g, uint32_t rev, bool with_deps,
                       struct bitset *out);
bool graph_is_ancestor(const struct graph *g, uint32_t anc, uint32_t rev);
/* The revisions a branch label covers (retort(1), REVISION SPECIFIERS): the labelled revision,
 * its descendants, and its ancestors down to the nearest branch point or
 * merge point (that point excluded). */
void graph_label_cover(const struct graph *g, uint32_t labelled,
                       struct bitset *out);
/* Labels that cover rev (for display): writes names into *out
 * (malloc'd array of borrowed strings, caller frees the array). */
uint32_t graph_labels_of(const struct graph *g, uint32_t rev,
                         const char ***out);
/* The revision whose labels name rev's line of history: rev itself when it
 * declares labels, else the first one that does walking down first
 * parents; -1 when none does. What identifies a head among many, where
 * every label that covers it (graph_labels_of) would be dozens. */
int32_t graph_line_labelled(const struct graph *g, uint32_t rev);

/* Heads reached from `from` and following dependency edges too
 * (heads --resolve-dependencies): the heads that are not a dependency of
 * another revision. Writes a malloc'd array. */
uint32_t graph_heads_resolved(const struct graph *g, uint32_t **out);

#endif
