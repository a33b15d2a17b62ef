/* out.h: how revisions are printed, as text (Alembic's forms) and JSON. */
#ifndef RT_OUT_H
#define RT_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "graph.h"
#include "util.h"

enum out_line_flags {
	OUT_PARENTS = 1 << 0,  /* "a, b -> " or "<base> -> " */
	OUT_LABELS = 1 << 1,   /* " (label)" */
	OUT_TREE = 1 << 2,     /* " (head)", " (branchpoint)", " (mergepoint)" */
	OUT_HEAD = 1 << 3,     /* " (head)" only */
	OUT_DOC = 1 << 4,      /* ", message" */
	OUT_LINE_LABELS = 1 << 5, /* " (label)": only the labels of the line's
	                             nearest labelled revision (graph_line_labelled) */
	OUT_ALEMBIC = 1 << 6,  /* as Alembic writes it for an Alembic project:
	                          parents and dependencies as the file names them,
	                          every label that covers the revision,
	                          " (effective head)" for a head others depend on,
	                          " (current)" right after the head marker */
};

/* One line: "1a2b -> 3f2a (accounts) (head), Add user email".
 * current: add " (current)". */
void out_rev_line(struct strbuf *sb, const struct graph *g, uint32_t rev,
                  int flags, bool current);
/* `history --format dot|mermaid`: the graph as a picture, one table row
 * per format (out.c's picture_formats). */
enum out_picture { OUT_PICTURE_DOT, OUT_PICTURE_MERMAID };
/* What the database says of a revision in a picture. */
enum out_pic_state { PIC_UNKNOWN, PIC_CURRENT, PIC_APPLIED, PIC_PENDING };
/* The revisions in keep and the edges among them (parents solid, Depends
 * On dashed). Heads, merge points and branch points are shaped, branch
 * labels written under the id, and states (NULL: no database, none
 * drawn) coloured: current filled, applied plain, pending dashed. */
void out_picture(struct strbuf *sb, enum out_picture fmt, const struct graph *g,
                 const struct bitset *keep, const enum out_pic_state *states);

/* The verbose block of `heads -v` / `history -v` / `show`. */
void out_rev_verbose(struct strbuf *sb, const struct graph *g, uint32_t rev,
                     bool current);
/* The same block as Alembic writes it (its "log entry"): the revision's
 * docstring, indented, in place of the header retort writes. */
void out_rev_verbose_alembic(struct strbuf *sb, const struct graph *g, uint32_t rev,
                             bool current);
/* ,"key":["v0","v1",…] appended to a JSON object being written. */
void out_json_strs(struct strbuf *sb, const char *key, const char *const *v, uint32_t n);
/* ,"key":"v" appended to a JSON object being written, or ,"key":null
 * when v is NULL. */
void out_json_str_or_null(struct strbuf *sb, const char *key, const char *v);
/* A JSON object describing a revision (see retort(1), "JSON output"). */
void out_rev_json(struct strbuf *sb, const struct graph *g, uint32_t rev,
                  int current);  /* current: -1 unknown, 0 no, 1 yes */

#endif
