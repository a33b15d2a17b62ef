/* out.c: see out.h. */
#include "out.h"

#include <stdlib.h>
#include <string.h>

static void add_ids(struct strbuf *sb, const struct graph *g, const uint32_t *v,
                    uint32_t n, const char *sep)
{
	for (uint32_t i = 0; i < n; i++)
		sb_addf(sb, "%s%s", i ? sep : "", g->nodes[v[i]].s.rev);
}

static void add_strs(struct strbuf *sb, const char *const *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		sb_addf(sb, "%s%s", i ? ", " : "", v[i]);
}

/* Alembic's _head_only: "parents (deps) -> rev (labels) (head) (current)
 * (branchpoint) (mergepoint), doc". */
static void alembic_line(struct strbuf *sb, const struct graph *g, uint32_t rev, int flags,
                         bool current)
{
	const struct gnode *x = &g->nodes[rev];
	if (flags & OUT_PARENTS) {
		if (x->nparents)
			add_strs(sb, x->s.parents, x->s.nparents);
		else
			sb_adds(sb, "<base>");
		if (x->s.ndepends) {
			sb_adds(sb, " (");
			add_strs(sb, x->s.depends, x->s.ndepends);
			sb_adds(sb, ")");
		}
		sb_adds(sb, " -> ");
	}
	sb_adds(sb, x->s.rev);
	if ((flags & (OUT_LABELS | OUT_LINE_LABELS)) && x->nbranch) {
		sb_adds(sb, " (");
		add_strs(sb, x->branch, x->nbranch);
		sb_adds(sb, ")");
	}
	if ((flags & (OUT_TREE | OUT_HEAD)) && x->nchildren == 0)
		sb_adds(sb, x->ndependents ? " (effective head)" : " (head)");
	if (current)
		sb_adds(sb, " (current)");
	if ((flags & OUT_TREE) && x->nchildren >= 2)
		sb_adds(sb, " (branchpoint)");
	if ((flags & OUT_TREE) && x->nparents >= 2)
		sb_adds(sb, " (mergepoint)");
	if (flags & OUT_DOC)
		sb_addf(sb, ", %s", x->s.message);
}

void out_rev_line(struct strbuf *sb, const struct graph *g, uint32_t rev,
                  int flags, bool current)
{
	if (flags & OUT_ALEMBIC) {
		alembic_line(sb, g, rev, flags, current);
		return;
	}
	const struct gnode *x = &g->nodes[rev];
	if (flags & OUT_PARENTS) {
		if (x->nparents)
			add_ids(sb, g, x->parents, x->nparents, ", ");
		else
			sb_adds(sb, "<base>");
		if (x->ndeps) {
			sb_adds(sb, " (");
			add_ids(sb, g, x->deps, x->ndeps, ", ");
			sb_adds(sb, ")");
		}
		sb_adds(sb, " -> ");
	}
	sb_adds(sb, x->s.rev);
	int32_t line = flags & OUT_LINE_LABELS ? graph_line_labelled(g, rev) : -1;
	if (line >= 0) {
		const struct script *ls = &g->nodes[line].s;
		sb_adds(sb, " (");
		for (uint32_t i = 0; i < ls->nlabels; i++)
			sb_addf(sb, "%s%s", i ? ", " : "", ls->labels[i]);
		sb_adds(sb, ")");
	} else if ((flags & OUT_LABELS) && x->nbranch) {
		sb_adds(sb, " (");
		for (uint32_t i = 0; i < x->nbranch; i++)
			sb_addf(sb, "%s%s", i ? ", " : "", x->branch[i]);
		sb_adds(sb, ")");
	}
	if ((flags & (OUT_TREE | OUT_HEAD)) && x->nchildren == 0)
		sb_adds(sb, " (head)");
	if ((flags & OUT_TREE) && x->nchildren >= 2)
		sb_adds(sb, " (branchpoint)");
	if ((flags & OUT_TREE) && x->nparents >= 2)
		sb_adds(sb, " (mergepoint)");
	if (current)
		sb_adds(sb, " (current)");
	if (flags & OUT_DOC)
		sb_addf(sb, ", %s", x->s.message);
}

static void add_list_line(struct strbuf *sb, const char *key, const struct graph *g,
                          const uint32_t *v, uint32_t n, const char *none)
{
	sb_addf(sb, "%s: ", key);
	if (n)
		add_ids(sb, g, v, n, ", ");
	else
		sb_adds(sb, none);
	sb_addc(sb, '\n');
}

void out_rev_verbose(struct strbuf *sb, const struct graph *g, uint32_t rev,
                     bool current)
{
	const struct gnode *x = &g->nodes[rev];
	sb_adds(sb, "Rev: ");
	out_rev_line(sb, g, rev, OUT_LABELS | OUT_TREE, current);
	sb_addc(sb, '\n');
	if (x->nparents >= 2)
		add_list_line(sb, "Merges", g, x->parents, x->nparents, "");
	else
		add_list_line(sb, "Parent", g, x->parents, x->nparents, "<base>");
	if (x->nchildren >= 2)
		add_list_line(sb, "Branches into", g, x->children, x->nchildren, "");
	if (x->ndeps)
		add_list_line(sb, "Also depends on", g, x->deps, x->ndeps, "");
	if (x->nbranch) {
		sb_adds(sb, "Branch names: ");
		for (uint32_t i = 0; i < x->nbranch; i++)
			sb_addf(sb, "%s%s", i ? ", " : "", x->branch[i]);
		sb_addc(sb, '\n');
	}
	sb_addf(sb, "Path: %s\n\n    %s\n\n    Revision ID: %s\n", x->s.path,
	        x->s.message, x->s.rev);
	sb_adds(sb, x->nparents ? "    Revises: " : "    Revises:");
	add_ids(sb, g, x->parents, x->nparents, ", ");
	sb_addc(sb, '\n');
	if (x->s.create_date)
		sb_addf(sb, "    Create Date: %s\n", x->s.create_date);
	sb_addc(sb, '\n');
}

void out_rev_verbose_alembic(struct strbuf *sb, const struct graph *g, uint32_t rev,
                             bool current)
{
	const struct gnode *x = &g->nodes[rev];
	sb_addf(sb, "Rev: %s%s%s%s%s\n", x->s.rev, x->nchildren ? "" : " (head)",
	        x->nchildren >= 2 ? " (branchpoint)" : "", x->nparents >= 2 ? " (mergepoint)" : "",
	        current ? " (current)" : "");
	sb_adds(sb, x->nparents >= 2 ? "Merges: " : "Parent: ");
	if (x->nparents)
		add_strs(sb, x->s.parents, x->s.nparents);
	else
		sb_adds(sb, "<base>");
	sb_addc(sb, '\n');
	if (x->s.ndepends) {
		sb_adds(sb, "Also depends on: ");
		add_strs(sb, x->s.depends, x->s.ndepends);
		sb_addc(sb, '\n');
	}
	if (x->nchildren >= 2)
		add_list_line(sb, "Branches into", g, x->children, x->nchildren, "");
	if (x->nbranch) {
		sb_adds(sb, "Branch names: ");
		add_strs(sb, x->branch, x->nbranch);
		sb_addc(sb, '\n');
	}
	sb_addf(sb, "Path: %s\n\n", x->s.path);
	const char *doc = x->s.doc ? x->s.doc : x->s.message;
	for (const char *p = doc; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		sb_addf(sb, "    %.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	sb_adds(sb, *doc ? "\n" : "\n\n");
}

static void json_ids(struct strbuf *sb, const char *key, const struct graph *g,
                     const uint32_t *v, uint32_t n)
{
	sb_addf(sb, ",\"%s\":[", key);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, ',');
		sb_add_json_str(sb, g->nodes[v[i]].s.rev);
	}
	sb_addc(sb, ']');
}

void out_json_strs(struct strbuf *sb, const char *key, const char *const *v, uint32_t n)
{
	sb_addf(sb, ",\"%s\":[", key);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, ',');
		sb_add_json_str(sb, v[i]);
	}
	sb_addc(sb, ']');
}

void out_json_str_or_null(struct strbuf *sb, const char *key, const char *v)
{
	sb_addf(sb, ",\"%s\":", key);
	if (v)
		sb_add_json_str(sb, v);
	else
		sb_adds(sb, "null");
}

void out_rev_json(struct strbuf *sb, const struct graph *g, uint32_t rev, int current)
{
	const struct gnode *x = &g->nodes[rev];
	sb_adds(sb, "{\"revision\":");
	sb_add_json_str(sb, x->s.rev);
	sb_adds(sb, ",\"message\":");
	sb_add_json_str(sb, x->s.message);
	json_ids(sb, "parents", g, x->parents, x->nparents);
	json_ids(sb, "children", g, x->children, x->nchildren);
	json_ids(sb, "depends_on", g, x->deps, x->ndeps);
	out_json_strs(sb, "branch_labels", x->s.labels, x->s.nlabels);
	out_json_strs(sb, "branches", x->branch, x->nbranch);
	sb_adds(sb, ",\"create_date\":");
	if (x->s.create_date)
		sb_add_json_str(sb, x->s.create_date);
	else
		sb_adds(sb, "null");
	sb_adds(sb, ",\"path\":");
	sb_add_json_str(sb, x->s.path);
	sb_addf(sb, ",\"is_head\":%s,\"is_base\":%s,\"is_branch_point\":%s,"
	        "\"is_merge_point\":%s,\"transaction\":\"%s\",\"reversible\":%s",
	        x->nchildren == 0 ? "true" : "false", x->nparents == 0 ? "true" : "false",
	        x->nchildren >= 2 ? "true" : "false", x->nparents >= 2 ? "true" : "false",
	        x->s.txn == SCRIPT_TXN_NONE ? "none" : "per-migration",
	        x->s.has_downgrade ? "true" : "false");
	if (current >= 0)
		sb_addf(sb, ",\"current\":%s", current ? "true" : "false");
	sb_addc(sb, '}');
}

/* ---- pictures: Graphviz and Mermaid ---- */

/* Text inside a double-quoted DOT string: quotes and backslashes escaped,
 * control characters (a message is the file's text) as blanks. */
static void dot_str(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, (unsigned char)*s < 0x20 ? ' ' : *s);
	}
}

/* Text inside a Mermaid ["…"] label: Mermaid's entity codes for what
 * would end the label or start markup. */
static void mermaid_str(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '"': sb_adds(sb, "#quot;"); break;
		case '#': sb_adds(sb, "#35;"); break;
		case '<': sb_adds(sb, "#lt;"); break;
		case '>': sb_adds(sb, "#gt;"); break;
		case '&': sb_adds(sb, "#amp;"); break;
		default: sb_addc(sb, (unsigned char)*s < 0x20 ? ' ' : *s);
		}
	}
}

/* A node's role, its shape: a head (bold), a merge point (a hexagon), a
 * branch point (a double border); a merge may be a head too. */
enum pic_role { ROLE_PLAIN, ROLE_BRANCH, ROLE_MERGE };

static enum pic_role role_of(const struct gnode *x)
{
	return x->nparents >= 2 ? ROLE_MERGE : x->nchildren >= 2 ? ROLE_BRANCH : ROLE_PLAIN;
}

static void labels_of(const struct gnode *x, struct strbuf *sb, const char *sep)
{
	const struct script *s = &x->s;
	for (uint32_t i = 0; i < s->nlabels; i++)
		sb_addf(sb, "%s%s", i ? ", " : sep, s->labels[i]);
}

struct picture_format {
	const char *head, *tail;
	void (*node)(struct strbuf *sb, const struct graph *g, uint32_t i, enum pic_role r,
	             bool head, enum out_pic_state st);
	void (*edge)(struct strbuf *sb, const struct graph *g, uint32_t from, uint32_t to,
	             bool dependency);
};

static void dot_node(struct strbuf *sb, const struct graph *g, uint32_t i, enum pic_role r,
                     bool head, enum out_pic_state st)
{
	static const char *const shape[] = {
		[ROLE_PLAIN] = "shape=box, style=\"rounded",
		[ROLE_MERGE] = "shape=hexagon, style=\"solid",
		[ROLE_BRANCH] = "shape=box, peripheries=2, style=\"rounded",
	};
	static const char *const state[] = {
		[PIC_UNKNOWN] = "\"", [PIC_CURRENT] = ",filled\", fillcolor=\"#9be39b\"",
		[PIC_APPLIED] = "\"", [PIC_PENDING] = ",dashed\", color=\"#b36b00\", fontcolor=\"#b36b00\"",
	};
	const struct gnode *x = &g->nodes[i];
	sb_adds(sb, "  \"");
	dot_str(sb, x->s.rev);
	sb_adds(sb, "\" [label=\"");
	dot_str(sb, x->s.rev);
	struct strbuf l = STRBUF_INIT;
	labels_of(x, &l, "(");
	if (l.len) {
		sb_addc(&l, ')');
		sb_adds(sb, "\\n");
		dot_str(sb, sb_str(&l));
	}
	sb_free(&l);
	if (st == PIC_CURRENT)
		sb_adds(sb, "\\n(current)");
	if (x->s.message && *x->s.message) {
		sb_adds(sb, "\\n");
		dot_str(sb, x->s.message);
	}
	sb_addf(sb, "\", %s%s%s%s, tooltip=\"%s%s\"];\n", shape[r], head ? ",bold" : "",
	        state[st], head ? ", penwidth=2.5" : "",
	        r == ROLE_MERGE ? "merge point" : r == ROLE_BRANCH ? "branch point" : "revision",
	        head ? ", head" : "");
}

static void dot_edge(struct strbuf *sb, const struct graph *g, uint32_t from, uint32_t to,
                     bool dependency)
{
	sb_adds(sb, "  \"");
	dot_str(sb, g->nodes[from].s.rev);
	sb_adds(sb, "\" -> \"");
	dot_str(sb, g->nodes[to].s.rev);
	sb_adds(sb, dependency ? "\" [style=dashed, arrowhead=empty];\n" : "\";\n");
}

static void mermaid_node(struct strbuf *sb, const struct graph *g, uint32_t i,
                         enum pic_role r, bool head, enum out_pic_state st)
{
	static const char *const open[] = {
		[ROLE_PLAIN] = "(\"", [ROLE_MERGE] = "{{\"", [ROLE_BRANCH] = "[[\"",
	};
	static const char *const close[] = {
		[ROLE_PLAIN] = "\")", [ROLE_MERGE] = "\"}}", [ROLE_BRANCH] = "\"]]",
	};
	static const char *const cls[] = {
		[PIC_UNKNOWN] = NULL, [PIC_CURRENT] = "current", [PIC_APPLIED] = NULL,
		[PIC_PENDING] = "pending",
	};
	const struct gnode *x = &g->nodes[i];
	sb_addf(sb, "  r%u%s", i, open[r]);
	mermaid_str(sb, x->s.rev);
	struct strbuf l = STRBUF_INIT;
	labels_of(x, &l, " (");
	if (l.len)
		sb_addc(&l, ')');
	mermaid_str(sb, sb_str(&l));
	sb_free(&l);
	if (st == PIC_CURRENT)
		sb_adds(sb, " (current)");
	if (x->s.message && *x->s.message) {
		sb_adds(sb, "<br/>");
		mermaid_str(sb, x->s.message);
	}
	sb_addf(sb, "%s\n", close[r]);
	if (head)
		sb_addf(sb, "  class r%u head\n", i);
	if (cls[st])
		sb_addf(sb, "  class r%u %s\n", i, cls[st]);
}

static void mermaid_edge(struct strbuf *sb, const struct graph *g, uint32_t from,
                         uint32_t to, bool dependency)
{
	sb_addf(sb, "  r%u %s r%u\n", from, dependency ? "-.->" : "-->", to);
}

static const struct picture_format picture_formats[] = {
	[OUT_PICTURE_DOT] = {
		"digraph retort {\n  rankdir=BT;\n"
		"  node [fontname=\"monospace\", fontsize=10];\n",
		"}\n", dot_node, dot_edge,
	},
	[OUT_PICTURE_MERMAID] = {
		"flowchart BT\n"
		"  classDef head stroke-width:3px\n"
		"  classDef current fill:#9be39b\n"
		"  classDef pending stroke-dasharray:5 5,color:#b36b00\n",
		"",
		mermaid_node, mermaid_edge,
	},
};

void out_picture(struct strbuf *sb, enum out_picture fmt, const struct graph *g,
                 const struct bitset *keep, const enum out_pic_state *states)
{
	const struct picture_format *f = &picture_formats[fmt];
	sb_adds(sb, f->head);
	for (uint32_t i = 0; i < g->n; i++)
		if (bitset_get(keep, i))
			f->node(sb, g, i, role_of(&g->nodes[i]), g->nodes[i].nchildren == 0,
			        states ? states[i] : PIC_UNKNOWN);
	for (uint32_t i = 0; i < g->n; i++) {
		const struct gnode *x = &g->nodes[i];
		if (!bitset_get(keep, i))
			continue;
		for (uint32_t k = 0; k < x->nparents; k++)
			if (bitset_get(keep, x->parents[k]))
				f->edge(sb, g, x->parents[k], i, false);
		for (uint32_t k = 0; k < x->ndeps; k++)
			if (bitset_get(keep, x->deps[k]))
				f->edge(sb, g, x->deps[k], i, true);
	}
	sb_adds(sb, f->tail);
}
