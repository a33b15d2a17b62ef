/* test_graph.c: loading, validating and indexing the revision graph
 * (retort-script(5), VALIDATION) on the fixture histories of tests/data and on damaged
 * directories written here. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph.h"
#include "tap.h"

#define FIXTURE(name) RT_SRCDIR "/tests/data/" name "/versions"

static struct graph *load(const char *dir)
{
	struct graph *g = NULL;
	char *err = NULL;
	int rc = graph_load(dir, &g, &err);
	if (!ok(rc == RT_OK && g, "load %s", dir))
		printf("# %s\n", err ? err : "(no message)");
	free(err);
	return rc == RT_OK ? g : NULL;
}

static uint32_t id(const struct graph *g, const char *rev)
{
	int32_t i = graph_find(g, rev);
	if (i < 0) {
		printf("# no revision %s\n", rev);
		exit(1);
	}
	return (uint32_t)i;
}

/* Space-separated ids of an index list; static buffer, one at a time. */
static const char *ids(const struct graph *g, const uint32_t *v, uint32_t n)
{
	static struct strbuf sb = STRBUF_INIT;
	sb_reset(&sb);
	for (uint32_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", g->nodes[v[i]].s.rev);
	return sb_str(&sb);
}

static const char *order(const struct graph *g)
{
	static struct strbuf sb = STRBUF_INIT;
	sb_reset(&sb);
	for (uint32_t i = 0; i < g->n; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", g->nodes[i].s.rev);
	return sb_str(&sb);
}

static const char *bits(const struct graph *g, const struct bitset *b)
{
	static struct strbuf sb = STRBUF_INIT;
	sb_reset(&sb);
	for (uint32_t i = 0; i < g->n; i++)
		if (bitset_get(b, i))
			sb_addf(&sb, "%s%s", sb.len ? " " : "", g->nodes[i].s.rev);
	return sb_str(&sb);
}

static const char *cover(const struct graph *g, const char *label)
{
	int32_t r = graph_label(g, label);
	if (r < 0)
		return "(no such label)";
	struct bitset b;
	bitset_init(&b, g->n);
	graph_label_cover(g, (uint32_t)r, &b);
	const char *s = bits(g, &b);
	bitset_free(&b);
	return s;
}

static const char *ancestors(const struct graph *g, const char *rev, bool with_deps)
{
	struct bitset b;
	bitset_init(&b, g->n);
	graph_ancestors(g, id(g, rev), with_deps, &b);
	const char *s = bits(g, &b);
	bitset_free(&b);
	return s;
}

static const char *descendants(const struct graph *g, const char *rev, bool with_deps)
{
	struct bitset b;
	bitset_init(&b, g->n);
	graph_descendants(g, id(g, rev), with_deps, &b);
	const char *s = bits(g, &b);
	bitset_free(&b);
	return s;
}

static const char *branch(const struct graph *g, const char *rev)
{
	static struct strbuf sb = STRBUF_INIT;
	const struct gnode *x = &g->nodes[id(g, rev)];
	sb_reset(&sb);
	for (uint32_t i = 0; i < x->nbranch; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", x->branch[i]);
	return sb_str(&sb);
}

/* The matches of a prefix among the revisions a label covers, as the
 * LABEL@prefix specifier needs them. */
static const char *prefix_in(const struct graph *g, const char *label, const char *prefix)
{
	uint32_t all[16], n = graph_prefix(g, prefix, all, 16);
	struct bitset b;
	bitset_init(&b, g->n);
	if (label)
		graph_label_cover(g, (uint32_t)graph_label(g, label), &b);
	uint32_t kept[16], k = 0;
	for (uint32_t i = 0; i < n && i < 16; i++)
		if (!label || bitset_get(&b, all[i]))
			kept[k++] = all[i];
	bitset_free(&b);
	return ids(g, kept, k);
}

static bool ancestor(const struct graph *g, const char *a, const char *r)
{
	return graph_is_ancestor(g, id(g, a), id(g, r));
}

static void test_linear(void)
{
	struct graph *g = load(FIXTURE("linear"));
	if (!g)
		return;
	is_str(g->dir, FIXTURE("linear"), "dir kept");
	is_int(g->n, 5, "five revisions");
	is_str(order(g), "l1 l2 l3 l4 l5", "order");
	is_str(ids(g, g->heads, g->nheads), "l5", "heads");
	is_str(ids(g, g->bases, g->nbases), "l1", "bases");
	is_int(g->nbranchpoints + g->nmergepoints, 0, "no branch or merge points");
	is_int(g->nlabels, 0, "no labels");
	const struct gnode *l2 = &g->nodes[id(g, "l2")];
	is_str(ids(g, l2->children, l2->nchildren), "l3", "children of l2");
	is_str(ids(g, l2->parents, l2->nparents), "l1", "parents of l2");
	is_int(l2->nbranch, 0, "no branch labels on l2");
	is_str(g->nodes[0].s.message, "Create table t_l1", "scripts carry their header");
	ok(strstr(g->nodes[0].s.path, "/tests/data/linear/versions/20260101_0900_l1_") != NULL,
	   "path is dir/file: %s", g->nodes[0].s.path);
	is_int(graph_find(g, "l9"), -1, "graph_find: unknown id");
	is_int(graph_find(g, "l"), -1, "graph_find takes no prefixes");
	is_int(graph_label(g, "l1"), -1, "an id is not a label");
	is_str(ancestors(g, "l3", false), "l1 l2 l3", "ancestors of l3, l3 included");
	is_str(descendants(g, "l3", false), "l3 l4 l5", "descendants of l3, l3 included");
	ok(ancestor(g, "l1", "l5") && ancestor(g, "l4", "l5"), "l1 and l4 are ancestors of l5");
	ok(!ancestor(g, "l5", "l1"), "l5 is not an ancestor of l1");
	ok(ancestor(g, "l3", "l3"), "a revision is its own ancestor");

	uint32_t out[2] = {99, 99};
	is_int(graph_prefix(g, "l", out, 2), 5, "prefix 'l' matches all five");
	is_str(ids(g, out, 2), "l1 l2", "only max matches written, in id order");
	is_int(graph_prefix(g, "l3", out, 2), 1, "exact id as a prefix");
	is_int(out[0], id(g, "l3"), "prefix l3 -> l3");
	is_int(graph_prefix(g, "m", out, 2), 0, "prefix after every id");
	is_int(graph_prefix(g, "a", out, 2), 0, "prefix before every id");
	is_int(graph_prefix(g, "l33", out, 2), 0, "prefix longer than the id");

	uint32_t *rh;
	uint32_t nrh = graph_heads_resolved(g, &rh);
	is_str(ids(g, rh, nrh), "l5", "resolved heads");
	free(rh);
	graph_free(g);
}

static void test_branchy(void)
{
	struct graph *g = load(FIXTURE("branchy"));
	if (!g)
		return;
	is_int(g->n, 9, "nine revisions");
	is_str(order(g), "t1 t2 b1 a1 b2 a2 m1 x1 y1",
	       "branches interleave by Create Date; equal dates by id, not by file name");
	is_str(ids(g, g->heads, g->nheads), "x1 y1", "two heads");
	is_str(ids(g, g->bases, g->nbases), "t1", "one base");
	is_str(ids(g, g->branchpoints, g->nbranchpoints), "t2 m1", "branch points");
	is_str(ids(g, g->mergepoints, g->nmergepoints), "m1", "merge point");
	const struct gnode *t2 = &g->nodes[id(g, "t2")], *m1 = &g->nodes[id(g, "m1")];
	is_str(ids(g, t2->children, t2->nchildren), "b1 a1", "children in ascending index");
	is_str(ids(g, m1->parents, m1->nparents), "a2 b2", "parents in the order of Revises");
	is_str(ids(g, m1->children, m1->nchildren), "x1 y1", "children of the merge");
	is_int(m1->s.up_len, 1, "merge: empty upgrade (one blank line)");

	is_int(g->nlabels, 2, "two labels");
	is_str(g->labels[0].name, "beta", "labels in the order of their revisions");
	is_int(graph_label(g, "alpha"), id(g, "a1"), "alpha is on a1");
	is_int(graph_label(g, "beta"), id(g, "b1"), "beta is on b1");
	is_int(graph_label(g, "gamma"), -1, "unknown label");
	is_str(cover(g, "alpha"), "a1 a2 m1 x1 y1", "alpha covers its line and what follows");
	is_str(cover(g, "beta"), "b1 b2 m1 x1 y1", "beta: the branch point t2 is excluded");
	is_str(branch(g, "t2"), "", "t2 is on no branch");
	is_str(branch(g, "a2"), "alpha", "a2 is on alpha");
	is_str(branch(g, "y1"), "beta alpha", "y1 is on both");
	const char **names;
	uint32_t nn = graph_labels_of(g, id(g, "m1"), &names);
	ok(nn == 2 && strcmp(names[0], "beta") == 0 && strcmp(names[1], "alpha") == 0,
	   "graph_labels_of(m1)");
	free(names);
	nn = graph_labels_of(g, id(g, "t1"), &names);
	is_int(nn, 0, "graph_labels_of(t1): none");
	free(names);

	ok(ancestor(g, "t1", "y1") && ancestor(g, "b1", "m1") && ancestor(g, "a1", "x1"),
	   "ancestors across the merge");
	ok(!ancestor(g, "a1", "b2") && !ancestor(g, "b2", "a2"), "sibling branches are unrelated");
	ok(!ancestor(g, "x1", "y1") && !ancestor(g, "y1", "x1"), "the two heads are unrelated");
	is_str(ancestors(g, "m1", false), "t1 t2 b1 a1 b2 a2 m1", "ancestors of the merge");
	is_str(descendants(g, "b2", false), "b2 m1 x1 y1", "descendants of b2");

	uint32_t *rh;
	uint32_t nrh = graph_heads_resolved(g, &rh);
	is_str(ids(g, rh, nrh), "x1 y1", "without dependencies, resolved heads are the heads");
	free(rh);
	graph_free(g);
}

static void test_depends(void)
{
	struct graph *g = load(FIXTURE("depends"));
	if (!g)
		return;
	is_str(order(g), "c1 f1 c2 f2", "dependencies come first, whatever the dates");
	is_str(ids(g, g->heads, g->nheads), "c2 f2", "heads follow parent edges only");
	is_str(ids(g, g->bases, g->nbases), "c1 f1", "two bases");
	is_int(g->nbranchpoints + g->nmergepoints, 0, "dependencies make no branch or merge point");
	const struct gnode *f1 = &g->nodes[id(g, "f1")], *f2 = &g->nodes[id(g, "f2")];
	const struct gnode *c1 = &g->nodes[id(g, "c1")], *c2 = &g->nodes[id(g, "c2")];
	is_str(ids(g, f1->deps, f1->ndeps), "c1", "Depends On a label resolves to its revision");
	is_str(f1->s.depends[0], "core", "the script keeps the label as written");
	is_str(ids(g, f2->deps, f2->ndeps), "c2", "Depends On an id");
	is_str(ids(g, c1->dependents, c1->ndependents), "f1", "dependents of c1");
	is_str(ids(g, c2->dependents, c2->ndependents), "f2", "dependents of c2");
	is_int(f1->nparents, 0, "a dependency is not a parent");
	is_str(ids(g, c1->children, c1->nchildren), "c2", "nor a child");
	is_str(ancestors(g, "f2", false), "f1 f2", "ancestors without dependencies");
	is_str(ancestors(g, "f2", true), "c1 f1 c2 f2", "ancestors with dependencies");
	is_str(descendants(g, "c1", false), "c1 c2", "descendants without dependencies");
	is_str(descendants(g, "c1", true), "c1 f1 c2 f2", "descendants with dependencies");
	ok(!ancestor(g, "c2", "f2"), "is_ancestor follows parent edges only");
	is_str(cover(g, "core"), "c1 c2", "core covers its line only");
	is_str(cover(g, "feat"), "f1 f2", "feat covers its line only");

	uint32_t *rh;
	uint32_t nrh = graph_heads_resolved(g, &rh);
	is_str(ids(g, rh, nrh), "f2", "resolved heads: c2 is a dependency of f2");
	free(rh);
	graph_free(g);
}

static void test_labels(void)
{
	struct graph *g = load(FIXTURE("labels"));
	if (!g)
		return;
	is_str(order(g), "ba5e00000000 aa1100000001 ac1100000002 aa2200000001 bd2200000002 "
	       "e0e000000001 e1e100000002 e2e200000003", "order");
	is_int(g->nlabels, 4, "four labels");
	is_int(graph_label(g, "alpha"), id(g, "ac1100000002"), "alpha");
	is_int(graph_label(g, "gamma"), id(g, "e2e200000003"), "gamma");
	is_str(cover(g, "trunk"), order(g), "a label on the base covers everything");
	is_str(cover(g, "alpha"), "aa1100000001 ac1100000002 e0e000000001 e1e100000002 e2e200000003",
	       "alpha: ancestors down to the branch point, exclusive");
	is_str(cover(g, "beta"), "aa2200000001 bd2200000002 e0e000000001 e1e100000002 e2e200000003",
	       "beta: its own line and what follows the merge");
	is_str(cover(g, "gamma"), "e1e100000002 e2e200000003",
	       "gamma: ancestors down to the merge point, exclusive");
	is_str(branch(g, "ba5e00000000"), "trunk", "base is on trunk only");
	is_str(branch(g, "aa1100000001"), "trunk alpha", "an ancestor covered by alpha");
	is_str(branch(g, "aa2200000001"), "trunk beta", "the revision carrying beta");
	is_str(branch(g, "e0e000000001"), "trunk alpha beta", "the merge point");
	is_str(branch(g, "e2e200000003"), "trunk alpha beta gamma", "the head");

	uint32_t out[8];
	is_int(graph_prefix(g, "aa", out, 8), 2, "'aa' is ambiguous in the graph");
	is_str(ids(g, out, 2), "aa1100000001 aa2200000001", "both candidates");
	is_str(prefix_in(g, "alpha", "aa"), "aa1100000001", "'aa' is unique within alpha");
	is_str(prefix_in(g, "beta", "aa"), "aa2200000001", "'aa' is unique within beta");
	is_str(prefix_in(g, "gamma", "aa"), "", "'aa' matches nothing within gamma");
	is_int(graph_prefix(g, "e", out, 8), 3, "'e' matches three");
	is_int(graph_prefix(g, "", out, 8), 8, "the empty prefix matches everything");
	is_int(graph_prefix(g, "ba5e00000000", out, 8), 1, "a whole id");
	is_int(graph_prefix(g, "ba5e000000000", out, 8), 0, "longer than any id");
	is_int(graph_prefix(g, "f", out, 8), 0, "no match");
	is_int(graph_label(g, "aa1100000001"), -1, "ids are not labels");
	is_str(ids(g, g->heads, g->nheads), "e2e200000003", "one head");
	is_str(ids(g, g->branchpoints, g->nbranchpoints), "ba5e00000000", "branch point");
	is_str(ids(g, g->mergepoints, g->nmergepoints), "e0e000000001", "merge point");
	graph_free(g);
}

/* ---- damaged directories ---- */

static char tmpdir[PATH_MAX];

static void mk_tmpdir(void)
{
	if (!tap_mkdtemp(tmpdir, sizeof tmpdir, "rt-graph")) {
		perror("mkdtemp");
		exit(1);
	}
}

static void rm_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *p = xasprintf("%s/%s", tmpdir, de->d_name);
		unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
}

static void put(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", tmpdir, name);
	FILE *fp = fopen(p, "w");
	if (!fp) {
		perror(p);
		exit(1);
	}
	fputs(text, fp);
	fclose(fp);
	free(p);
}

/* A script: header lines 1-3 are message, Revision ID, Revises; extra
 * header lines (Create Date, labels, ...) follow from line 4. */
static void put_rev(const char *name, const char *rev, const char *revises, const char *extra)
{
	char *text = xasprintf("-- Revision %s\n-- Revision ID: %s\n-- Revises: %s\n%s"
	                       "\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\nSELECT 2;\n",
	                       rev, rev, revises, extra);
	put(name, text);
	free(text);
}

/* Loads tmpdir and returns the error text with tmpdir replaced by "D"
 * ("" when it loaded). */
static char *load_err(void)
{
	struct graph *g = (struct graph *)&g;  /* must stay untouched on failure */
	char *err = NULL;
	int rc = graph_load(tmpdir, &g, &err);
	if (rc == RT_OK) {
		graph_free(g);
		free(err);
		return xstrdup("");
	}
	if (g != (struct graph *)&g)
		printf("# *out was written on failure\n");
	if (rc != RT_EINPUT)
		printf("# status %d, not RT_EINPUT\n", rc);
	struct strbuf sb = STRBUF_INIT;
	size_t tl = strlen(tmpdir);
	for (const char *p = err ? err : "(no message)"; *p;) {
		if (strncmp(p, tmpdir, tl) == 0) {
			sb_addc(&sb, 'D');
			p += tl;
		} else {
			sb_addc(&sb, *p++);
		}
	}
	free(err);
	return sb_detach(&sb);
}

static void dir_fails_with(const char *want, const char *what)
{
	char *got = load_err();
	is_str(got, want, "%s", what);
	free(got);
	rm_tmpdir();
}

static void test_graph_errors(void)
{
	mk_tmpdir();
	put_rev("a.sql", "d1", "", "");
	put_rev("b.sql", "d1", "", "");
	dir_fails_with("D/b.sql:2: duplicate Revision ID 'd1' (also in D/a.sql)",
	               "duplicate ids: both files named");

	mk_tmpdir();
	put_rev("a.sql", "a1", "", "");
	put_rev("b.sql", "b1", "a1, nope", "");
	dir_fails_with("D/b.sql:3: Revises 'nope', which no script defines", "missing parent");

	mk_tmpdir();
	put_rev("a.sql", "a1", "", "");
	put_rev("b.sql", "b1", "a1", "-- Depends On: a1, nolabel\n");
	dir_fails_with("D/b.sql:4: Depends On 'nolabel', which is neither a revision nor a branch label",
	               "missing dependency");

	mk_tmpdir();
	put_rev("1.sql", "c1", "c3", "");
	put_rev("2.sql", "c2", "c1", "");
	put_rev("3.sql", "c3", "c2", "");
	put_rev("4.sql", "c4", "c3", "");
	put_rev("5.sql", "r0", "", "");
	dir_fails_with("D/1.sql:3: cycle in the revision graph: c1 -> c3 -> c2 -> c1",
	               "a cycle of three names all three (and not the revision after it)");

	mk_tmpdir();
	put_rev("1.sql", "a1", "", "-- Depends On: b1\n");
	put_rev("2.sql", "b1", "a1", "");
	dir_fails_with("D/1.sql:4: cycle in the revision graph: a1 -> b1 -> a1",
	               "a cycle through Depends On points at that line");

	mk_tmpdir();
	put_rev("1.sql", "a1", "a1", "");
	put_rev("2.sql", "b1", "", "-- Depends On: b1\n");
	dir_fails_with("D/1.sql:3: cycle in the revision graph: a1 revises itself\n"
	               "D/2.sql:4: cycle in the revision graph: b1 depends on itself",
	               "self loops");

	mk_tmpdir();
	put_rev("1.sql", "a1", "", "-- Branch Labels: feature\n");
	put_rev("2.sql", "b1", "a1", "-- Branch Labels: other, feature\n");
	dir_fails_with("D/2.sql:4: duplicate branch label 'feature' (also on a1)", "duplicate label");

	mk_tmpdir();
	put_rev("1.sql", "a1", "", "");
	put_rev("2.sql", "b1", "a1", "-- Branch Labels: a1\n");
	dir_fails_with("D/2.sql:4: branch label 'a1' is also a revision id", "label equal to an id");

	mk_tmpdir();
	put_rev("1.sql", "a1", "", "-- Branch Labels: current\n");
	dir_fails_with("D/1.sql:4: branch label 'current' is a reserved word", "reserved label");

	mk_tmpdir();
	put_rev("1.sql", "aa11", "", "");
	put_rev("2.sql", "aa22", "", "");
	put_rev("3.sql", "b1", "", "-- Depends On: aa\n");
	dir_fails_with("D/3.sql:4: Depends On 'aa' is an ambiguous revision prefix",
	               "ambiguous Depends On prefix");

	mk_tmpdir();
	put_rev("1.sql", "a1", "", "");
	put_rev("2.sql", "b1", "a1, a1", "");
	dir_fails_with("D/2.sql:3: Revises names 'a1' twice", "a parent named twice");

	mk_tmpdir();
	put_rev("01.sql", "a1", "", "");
	put_rev("02.sql", "a1", "", "");
	put("03.sql", "-- Typo\n-- Revision ID: t1\n-- Depend On: a1\n-- migrate:upgrade\n");
	put_rev("04.sql", "b1", "zz", "");
	put_rev("05.sql", "c1", "c2", "-- Branch Labels: a1\n");
	put_rev("06.sql", "c2", "c1", "-- Depends On: missing\n");
	dir_fails_with("D/03.sql:3: unknown header key 'Depend On' (known: Revision ID, Revises, "
	               "Create Date, Branch Labels, Depends On, Transaction)\n"
	               "D/02.sql:2: duplicate Revision ID 'a1' (also in D/01.sql)\n"
	               "D/05.sql:4: branch label 'a1' is also a revision id\n"
	               "D/04.sql:3: Revises 'zz', which no script defines\n"
	               "D/06.sql:4: Depends On 'missing', which is neither a revision nor a branch label\n"
	               "D/05.sql:3: cycle in the revision graph: c1 -> c2 -> c1",
	               "every problem of the directory in one error text");

	mk_tmpdir();
	rm_tmpdir();
	char *want = xasprintf("%s: No such file or directory", tmpdir);
	char *err = NULL;
	struct graph *g = NULL;
	is_int(graph_load(tmpdir, &g, &err), RT_EINPUT, "a missing directory fails");
	is_str(err, want, "and says so");
	free(err);
	free(want);
}

static void test_ignored_and_empty(void)
{
	mk_tmpdir();
	put_rev("20260101_0000_a1_first.sql", "a1", "", "");
	put_rev("second", "b1", "a1", "");   /* no .sql: not a script */
	put(".hidden.sql", "garbage\n");
	put(".sql", "garbage\n");
	put("notes.txt", "-- Revision ID: a1\n");
	put("backup.sql~", "garbage\n");
	put("x.SQL.bak", "garbage\n");
	struct graph *g = load(tmpdir);
	if (g) {
		is_str(order(g), "a1", "hidden files and non-.sql files are ignored");
		graph_free(g);
	}
	rm_tmpdir();

	mk_tmpdir();
	g = load(tmpdir);
	if (g) {
		is_int(g->n, 0, "an empty directory is an empty graph");
		is_int(g->nheads + g->nbases + g->nlabels, 0, "no heads, bases or labels");
		uint32_t out[1];
		is_int(graph_prefix(g, "", out, 1), 0, "no prefix matches");
		uint32_t *rh;
		is_int(graph_heads_resolved(g, &rh), 0, "no resolved heads");
		free(rh);
		graph_free(g);
	}
	rm_tmpdir();
}

static void test_tie_breaks(void)
{
	/* z9 is older than its child a0 by id but younger by date: the parent
	 * still comes first. A revision without a date sorts before dated ones;
	 * among undated ones the id decides. */
	mk_tmpdir();
	put_rev("1.sql", "z9", "", "-- Create Date: 2026-01-01 00:00:00\n");
	put_rev("2.sql", "a0", "z9", "-- Create Date: 2020-01-01 00:00:00\n");
	put_rev("3.sql", "m5", "", "");
	put_rev("4.sql", "k5", "", "");
	put_rev("5.sql", "b7", "", "-- Create Date: 2025-06-01 00:00:00\n");
	put_rev("6.sql", "c7", "", "-- Create Date: 2025-06-01 00:00:00\n");
	struct graph *g = load(tmpdir);
	if (g) {
		is_str(order(g), "k5 m5 b7 c7 z9 a0", "ties by Create Date, then id; parents first");
		is_str(ids(g, g->heads, g->nheads), "k5 m5 b7 c7 a0", "heads ascending by index");
		graph_free(g);
	}
	rm_tmpdir();
}

static void test_label_order(void)
{
	/* File names sort the other way round from the revisions. */
	mk_tmpdir();
	put_rev("1_child.sql", "b1", "a1", "-- Branch Labels: zeta\n");
	put_rev("2_base.sql", "a1", "", "-- Branch Labels: alpha, trunk\n");
	struct graph *g = load(tmpdir);
	if (g) {
		ok(g->nlabels == 3 && strcmp(g->labels[0].name, "alpha") == 0 &&
		   strcmp(g->labels[1].name, "trunk") == 0 && strcmp(g->labels[2].name, "zeta") == 0,
		   "labels follow the revision order, not file names");
		is_str(branch(g, "b1"), "alpha trunk zeta", "branch labels in that order");
		is_int(graph_label(g, "trunk"), id(g, "a1"), "second label of a revision");
		graph_free(g);
	}
	rm_tmpdir();
}

int main(void)
{
	test_linear();
	test_branchy();
	test_depends();
	test_labels();
	test_graph_errors();
	test_ignored_and_empty();
	test_tie_breaks();
	test_label_order();
	return done_testing();
}
