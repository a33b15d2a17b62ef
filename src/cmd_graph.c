/* cmd_graph.c: commands that read the revision graph: heads, branches,
 * history, show. */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "lanes.h"
#include "out.h"
#include "spec.h"

/* The spec context for commands that may or may not have a database:
 * the current heads are read only when a specifier needs them. */
struct cur {
	uint32_t n;
	uint32_t *idx;
	bool have;
};

static int load_current(struct cli_ctx *c, struct cur *cur, char **err)
{
	if (cur->have)
		return RT_OK;
	int rc = cli_current_revs(c, &cur->idx, &cur->n, err);
	cur->have = rc == RT_OK;
	return rc;
}

static void cur_free(struct cur *cur)
{
	free(cur->idx);
}

static void ctx_of(struct cli_ctx *c, const struct cur *cur, struct spec_ctx *sc)
{
	sc->g = c->graph;
	sc->current = cur->have ? cur->idx : NULL;
	sc->ncurrent = cur->have ? cur->n : 0;
	sc->have_db = cur->have;
}

static bool is_current(const struct cur *cur, uint32_t rev)
{
	for (uint32_t i = 0; cur->have && i < cur->n; i++)
		if (cur->idx[i] == rev)
			return true;
	return false;
}

static void emit(struct cli_ctx *c, struct strbuf *sb)
{
	fputs(sb_str(sb), c->out);
	sb_free(sb);
}

/* ---- heads ---- */

static const struct cmd_opt heads_opts[] = {
	{"resolve-dependencies", 0, NULL, "treat Depends On as parents: heads nothing depends on"},
	{NULL, 0, NULL, NULL},
};

static int run_heads(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	const struct graph *g = c->graph;
	uint32_t *heads = g->heads, n = g->nheads;
	uint32_t *resolved = NULL;
	if (argc > 1) {
		fprintf(c->errf, "retort heads: unexpected argument '%s'\n", argv[1]);
		return RT_EUSAGE;
	}
	if (cli_flag(opts, "resolve-dependencies"))
		n = graph_heads_resolved(g, &resolved), heads = resolved;
	struct strbuf sb = STRBUF_INIT;
	if (c->json) {
		sb_adds(&sb, "{\"heads\":[");
		for (uint32_t i = 0; i < n; i++) {
			if (i)
				sb_addc(&sb, ',');
			out_rev_json(&sb, g, heads[i], -1);
		}
		sb_adds(&sb, "]}\n");
	} else {
		bool alembic = cli_alembic(c);
		for (uint32_t i = 0; i < n; i++) {
			if (c->verbose && alembic) {
				out_rev_verbose_alembic(&sb, g, heads[i], false);
			} else if (c->verbose) {
				out_rev_verbose(&sb, g, heads[i], false);
			} else {
				out_rev_line(&sb, g, heads[i],
				             OUT_LINE_LABELS | OUT_HEAD | (alembic ? OUT_ALEMBIC : 0), false);
				sb_addc(&sb, '\n');
			}
		}
	}
	emit(c, &sb);
	free(resolved);
	return RT_OK;
}

const struct cmd_entry cmd_heads = {
	"heads", NULL, "show the heads (revisions no other revises)", heads_opts,
	CMD_NEEDS_GRAPH, run_heads,
};

/* ---- branches ---- */

static const struct cmd_opt no_opts[] = {{NULL, 0, NULL, NULL}};

static int run_branches(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	const struct graph *g = c->graph;
	if (argc > 1) {
		fprintf(c->errf, "retort branches: unexpected argument '%s'\n", argv[1]);
		return RT_EUSAGE;
	}
	struct strbuf sb = STRBUF_INIT;
	bool alembic = cli_alembic(c);
	if (c->json)
		sb_adds(&sb, "{\"branchpoints\":[");
	for (uint32_t k = g->nbranchpoints; k-- > 0;) {
		uint32_t b = g->branchpoints[k];
		if (c->json) {
			if (k + 1 < g->nbranchpoints)
				sb_addc(&sb, ',');
			out_rev_json(&sb, g, b, -1);
			continue;
		}
		if (alembic) {
			/* Alembic's: no message unless -v, a blank line after each */
			if (c->verbose) {
				out_rev_verbose_alembic(&sb, g, b, false);
			} else {
				out_rev_line(&sb, g, b, OUT_LABELS | OUT_TREE | OUT_ALEMBIC, false);
				sb_addc(&sb, '\n');
			}
			size_t pad = strlen(g->nodes[b].s.rev);
			for (uint32_t i = 0; i < g->nodes[b].nchildren; i++) {
				sb_addf(&sb, "%s%*s -> ", i ? "\n" : "", (int)pad, "");
				out_rev_line(&sb, g, g->nodes[b].children[i],
				             OUT_LABELS | OUT_TREE | OUT_ALEMBIC | (c->verbose ? OUT_DOC : 0),
				             false);
			}
			sb_adds(&sb, "\n\n");
			continue;
		}
		if (c->verbose) {
			out_rev_verbose(&sb, g, b, false);
		} else {
			out_rev_line(&sb, g, b, OUT_LABELS | OUT_TREE | OUT_DOC, false);
			sb_addc(&sb, '\n');
		}
		size_t pad = strlen(g->nodes[b].s.rev);
		for (uint32_t i = 0; i < g->nodes[b].nchildren; i++) {
			sb_addf(&sb, "%*s -> ", (int)pad, "");
			out_rev_line(&sb, g, g->nodes[b].children[i],
			             OUT_LABELS | OUT_TREE | OUT_DOC, false);
			sb_addc(&sb, '\n');
		}
	}
	if (c->json)
		sb_adds(&sb, "]}\n");
	emit(c, &sb);
	return RT_OK;
}

const struct cmd_entry cmd_branches = {
	"branches", NULL, "show the branch points and where they lead", no_opts,
	CMD_NEEDS_GRAPH, run_branches,
};

/* ---- history ---- */

static const struct cmd_opt history_opts[] = {
	{"rev-range", 'r', "RANGE", "only revisions in A:B (A: and :B allowed)",
	 CMD_ARG_REVISION},
	{"indicate-current", 'i', NULL, "mark the database's current revision(s)"},
	{"graph", 0, NULL, "draw the lanes of the graph, as the console does"},
	{"applied", 0, NULL, "print the ledger instead: who applied what, when, how long"},
	{"ascii", 0, NULL, "with --graph: ASCII lines only"},
	{"format", 0, "FORMAT", "text (default), json (as --json), dot (Graphviz) or mermaid: "
	 "a picture of the graph", CMD_ARG_CHOICE, "text json dot mermaid"},
	{NULL, 0, NULL, NULL},
};

/* --format's values; the pictures are out_picture's. */
static const struct {
	const char *name;
	int picture;  /* enum out_picture, or -1: a list of lines */
	bool json;
} history_formats[] = {
	{"text", -1, false},
	{"json", -1, true},
	{"dot", OUT_PICTURE_DOT, false},
	{"mermaid", OUT_PICTURE_MERMAID, false},
};

/* `history --format dot|mermaid`: the revisions of -r RANGE (all by
 * default) as a picture. The database's states are drawn when it can be
 * read; when it cannot, the graph alone (the picture is of the scripts). */
static int history_picture(struct cli_ctx *c, const char *range, enum out_picture fmt)
{
	const struct graph *g = c->graph;
	char *err = NULL;
	struct cur cur = {0};
	if (load_current(c, &cur, &err) != RT_OK) {
		free(err);
		err = NULL;
		cli_db_drop(c);
	}
	struct bitset keep;
	bitset_init(&keep, g->n);
	int rc = RT_OK;
	if (range) {
		struct spec_ctx sc;
		ctx_of(c, &cur, &sc);
		rc = spec_range_set(&sc, range, &keep, &err);
	} else {
		for (uint32_t i = 0; i < g->n; i++)
			bitset_set(&keep, i);
	}
	enum out_pic_state *states = NULL;
	if (rc == RT_OK && cur.have) {
		struct bitset applied;
		bitset_init(&applied, g->n);
		for (uint32_t i = 0; i < cur.n; i++)
			graph_ancestors(g, cur.idx[i], true, &applied);
		states = xcalloc(g->n ? g->n : 1, sizeof(*states));
		for (uint32_t i = 0; i < g->n; i++)
			states[i] = is_current(&cur, i)         ? PIC_CURRENT
			            : bitset_get(&applied, i)   ? PIC_APPLIED
			                                        : PIC_PENDING;
		bitset_free(&applied);
	}
	if (rc == RT_OK) {
		struct strbuf sb = STRBUF_INIT;
		out_picture(&sb, fmt, g, &keep, states);
		emit(c, &sb);
	}
	free(states);
	bitset_free(&keep);
	cur_free(&cur);
	return rc == RT_OK ? RT_OK : cli_report(c, rc, err);
}

static bool history_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && strcmp(cs, "UTF-8") == 0;
}

static int run_history(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	const struct graph *g = c->graph;
	const char *range = cli_opt(opts, "rev-range");
	char *err = NULL;
	struct cur cur = {0};
	int rc = RT_OK;
	if (argc > 1) {
		fprintf(c->errf, "retort history: unexpected argument '%s' (use -r RANGE)\n",
		        argv[1]);
		return RT_EUSAGE;
	}
	if (cli_flag(opts, "applied"))
		return cmd_history_applied(c, range);
	const char *format = cli_opt(opts, "format");
	if (format) {
		size_t f = 0;
		while (f < RT_ARRAY_LEN(history_formats) && strcmp(history_formats[f].name, format))
			f++;
		if (f == RT_ARRAY_LEN(history_formats)) {
			fprintf(c->errf, "retort history: --format takes text, json, dot or mermaid, "
			        "not '%s'\n", format);
			return RT_EUSAGE;
		}
		if (history_formats[f].picture >= 0)
			return history_picture(c, range, (enum out_picture)history_formats[f].picture);
		c->json |= history_formats[f].json;
	}
	/* With the graph, a database that cannot be read still leaves the
	 * revisions to draw: each as unknown, and exit 1 after them. */
	bool states = cli_flag(opts, "indicate-current") && cli_flag(opts, "graph") && !c->json;
	char *state_err = NULL;
	if (cli_flag(opts, "indicate-current") || spec_mentions_current(range)) {
		rc = load_current(c, &cur, &err);
		if (rc != RT_OK && states && !spec_mentions_current(range)) {
			state_err = err;
			err = NULL;
		} else if (rc != RT_OK) {
			return cli_report(c, rc, err);
		}
		rc = RT_OK;
	}
	struct bitset applied;
	bitset_init(&applied, g->n);
	for (uint32_t i = 0; i < cur.n; i++)
		graph_ancestors(g, cur.idx[i], true, &applied);

	struct bitset keep;
	bitset_init(&keep, g->n);
	if (range) {
		struct spec_ctx sc;
		ctx_of(c, &cur, &sc);
		rc = spec_range_set(&sc, range, &keep, &err);
		if (rc != RT_OK) {
			bitset_free(&keep);
			bitset_free(&applied);
			free(state_err);
			cur_free(&cur);
			return cli_report(c, rc, err);
		}
	} else {
		for (uint32_t i = 0; i < g->n; i++)
			bitset_set(&keep, i);
	}

	struct strbuf sb = STRBUF_INIT;
	struct lanes *lanes = NULL;
	if (cli_flag(opts, "graph") && !c->json) {
		rc = lanes_of_graph(g, &keep, &lanes, &err);
		if (rc != RT_OK) {
			bitset_free(&keep);
			bitset_free(&applied);
			free(state_err);
			cur_free(&cur);
			return cli_report(c, rc, err);
		}
	}
	bool first = true;
	uint32_t row = 0;
	if (c->json)
		sb_adds(&sb, "{\"revisions\":[");
	for (uint32_t k = g->n; k-- > 0;) {
		if (!bitset_get(&keep, k))
			continue;
		bool curr = is_current(&cur, k);
		if (c->json) {
			if (!first)
				sb_addc(&sb, ',');
			out_rev_json(&sb, g, k, cur.have ? curr : -1);
		} else if (c->verbose && cli_alembic(c)) {
			out_rev_verbose_alembic(&sb, g, k, curr);
		} else if (c->verbose) {
			out_rev_verbose(&sb, g, k, curr);
		} else {
			if (lanes) {
				enum lane_state st = !states       ? LANE_STATE_NONE
				                     : !cur.have   ? LANE_STATE_UNKNOWN
				                     : bitset_get(&applied, k) ? LANE_STATE_APPLIED
				                                               : LANE_STATE_PENDING;
				lanes_render_state(lanes, row, !cli_flag(opts, "ascii") && history_utf8(), st, &sb);
				/* Pad by cells, not bytes: glyphs may be multibyte. */
				for (uint32_t w = lanes_width(lanes, row); w < lanes_max_width(lanes); w++)
					sb_adds(&sb, "  ");
			}
			out_rev_line(&sb, g, k, OUT_PARENTS | OUT_LABELS | OUT_TREE | OUT_DOC |
			             (cli_alembic(c) ? OUT_ALEMBIC : 0), curr);
			sb_addc(&sb, '\n');
		}
		first = false;
		row++;
		if (sb.len > 65536) {
			fputs(sb_str(&sb), c->out);
			sb_reset(&sb);
		}
	}
	if (c->json)
		sb_adds(&sb, "]}\n");
	emit(c, &sb);
	if (lanes)
		lanes_free(lanes);
	bitset_free(&keep);
	bitset_free(&applied);
	cur_free(&cur);
	if (state_err) {
		bool utf8 = !cli_flag(opts, "ascii") && history_utf8();
		fprintf(c->errf, "%s\nThe database could not be read: every revision is drawn %s "
		        "(its state is unknown).\n", state_err,
		        lane_state_glyph(LANE_STATE_UNKNOWN, utf8));
		free(state_err);
		return RT_EFAIL;
	}
	return RT_OK;
}

const struct cmd_entry cmd_history = {
	"history", NULL, "list revisions, newest first", history_opts,
	CMD_NEEDS_GRAPH | CMD_TARGETS, run_history,
};

/* ---- show ---- */

static void show_section(struct strbuf *sb, const struct gnode *x,
                         enum script_section which, char **err, int *rc)
{
	char *sql = NULL;
	if (*rc != RT_OK)
		return;
	*rc = script_read_sql(&x->s, which, &sql, err);
	if (*rc == RT_OK) {
		/* Blank lines around a section are layout, not SQL: drop them so
		 * that one blank line separates the sections. */
		const char *s = sql, *e = sql + strlen(sql);
		for (const char *p = s; *p == '\n' || *p == '\r' || *p == ' ' || *p == '\t'; p++)
			if (*p == '\n')
				s = p + 1;
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s)
			sb_addf(sb, "%.*s\n", (int)(e - s), s);
	}
	free(sql);
}

static void show_one(struct strbuf *sb, const struct graph *g, uint32_t r, int curr,
                     bool json, char **err, int *rc)
{
	const struct gnode *x = &g->nodes[r];
	if (json) {
		char *up = NULL, *down = NULL;
		*rc = script_read_sql(&x->s, SCRIPT_UPGRADE, &up, err);
		if (*rc == RT_OK && x->s.has_downgrade)
			*rc = script_read_sql(&x->s, SCRIPT_DOWNGRADE, &down, err);
		out_rev_json(sb, g, r, curr);
		sb->len--; /* reopen the object */
		sb_adds(sb, ",\"upgrade_sql\":");
		sb_add_json_str(sb, up ? up : "");
		sb_adds(sb, ",\"downgrade_sql\":");
		if (down)
			sb_add_json_str(sb, down);
		else
			sb_adds(sb, "null");
		sb_addc(sb, '}');
		free(up);
		free(down);
		return;
	}
	if (script_format_of(&x->s)->id == SCRIPT_FORMAT_ALEMBIC) {
		/* Alembic's show (the revision's log entry), then the script */
		char *text = NULL;
		size_t len = 0;
		out_rev_verbose_alembic(sb, g, r, curr > 0);
		*rc = read_file(x->s.path, &text, &len, err);
		if (*rc == RT_OK)
			sb_addn(sb, text, len);
		free(text);
		return;
	}
	sb_addf(sb, "Revision ID: %s\nRevises:", x->s.rev);
	for (uint32_t i = 0; i < x->nparents; i++)
		sb_addf(sb, "%s%s", i ? ", " : " ", g->nodes[x->parents[i]].s.rev);
	sb_addc(sb, '\n');
	if (x->s.create_date)
		sb_addf(sb, "Create Date: %s\n", x->s.create_date);
	if (x->s.nlabels) {
		sb_adds(sb, "Branch Labels: ");
		for (uint32_t i = 0; i < x->s.nlabels; i++)
			sb_addf(sb, "%s%s", i ? ", " : "", x->s.labels[i]);
		sb_addc(sb, '\n');
	}
	if (x->ndeps) {
		sb_adds(sb, "Depends On: ");
		for (uint32_t i = 0; i < x->ndeps; i++)
			sb_addf(sb, "%s%s", i ? ", " : "", g->nodes[x->deps[i]].s.rev);
		sb_addc(sb, '\n');
	}
	sb_addf(sb, "Transaction: %s\n",
	        x->s.txn == SCRIPT_TXN_NONE ? "none" : "per-migration");
	sb_addf(sb, "Message: %s\n", x->s.message);
	if (x->nbranch) {
		sb_adds(sb, "Branch: ");
		for (uint32_t i = 0; i < x->nbranch; i++)
			sb_addf(sb, "%s%s", i ? ", " : "", x->branch[i]);
		sb_addc(sb, '\n');
	}
	sb_adds(sb, "Children:");
	for (uint32_t i = 0; i < x->nchildren; i++)
		sb_addf(sb, "%s%s", i ? ", " : " ", g->nodes[x->children[i]].s.rev);
	sb_addc(sb, '\n');
	sb_adds(sb, "Status: ");
	out_rev_line(sb, g, r, OUT_TREE, curr > 0);
	sb_addf(sb, "%s\n", x->s.has_downgrade ? "" : " (irreversible)");
	sb_addf(sb, "File: %s\n\n-- migrate:upgrade\n", x->s.path);
	show_section(sb, x, SCRIPT_UPGRADE, err, rc);
	if (x->s.has_downgrade) {
		sb_adds(sb, "\n-- migrate:downgrade\n");
		show_section(sb, x, SCRIPT_DOWNGRADE, err, rc);
	}
}

static int run_show(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	if (argc != 2) {
		fprintf(c->errf, "usage: retort show SPEC\n");
		return RT_EUSAGE;
	}
	char *err = NULL;
	struct cur cur = {0};
	int rc = RT_OK;
	if (spec_mentions_current(argv[1])) {
		rc = load_current(c, &cur, &err);
		if (rc != RT_OK)
			return cli_report(c, rc, err);
	}
	struct spec_ctx sc;
	ctx_of(c, &cur, &sc);
	struct revset rs;
	rc = spec_resolve(&sc, argv[1], &rs, &err);
	if (rc != RT_OK) {
		cur_free(&cur);
		return cli_report(c, rc, err);
	}
	struct strbuf sb = STRBUF_INIT;
	if (rs.n == 0 && !c->json)
		sb_adds(&sb, "<base>: nothing applied\n");
	if (c->json)
		sb_adds(&sb, "{\"revisions\":[");
	for (uint32_t i = 0; i < rs.n && rc == RT_OK; i++) {
		if (i)
			sb_adds(&sb, c->json ? "," : "\n");
		show_one(&sb, c->graph, rs.v[i], cur.have ? is_current(&cur, rs.v[i]) : -1,
		         c->json, &err, &rc);
	}
	if (c->json)
		sb_adds(&sb, "]}\n");
	if (rc == RT_OK)
		emit(c, &sb);
	else
		sb_free(&sb);
	revset_free(&rs);
	cur_free(&cur);
	return cli_report(c, rc, err);
}

const struct cmd_entry cmd_show = {
	"show", "SPEC", "show one revision in full: header, children, file, SQL", no_opts,
	CMD_NEEDS_GRAPH, run_show, CMD_ARG_REVISION,
};
