/* test_hcache.c: the header cache gives the graph a fresh load would give,
 * is used only for scripts whose identity is unchanged (edits in place,
 * even with the modification time put back, are seen), and a damaged,
 * foreign or unwritable cache changes nothing but speed. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "graph.h"
#include "hcache.h"
#include "tap.h"

static char tmp[256], vdir[300], cdir[300];

static void write_file(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", vdir, name);
	FILE *f = fopen(p, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		printf("# cannot write %s\n", p);
		exit(1);
	}
	free(p);
}

/* One script; revises, labels and depends are header values as written
 * (labels and depends NULL: no such line). */
static void script(const char *name, const char *rev, const char *revises,
                   const char *labels, const char *depends, const char *extra)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "-- message of %s\n--\n-- Revision ID: %s\n-- Revises: %s\n"
	        "-- Create Date: 2026-05-0%c 10:00:00\n", rev, rev, revises, name[0]);
	if (labels)
		sb_addf(&sb, "-- Branch Labels: %s\n", labels);
	if (depends)
		sb_addf(&sb, "-- Depends On: %s\n", depends);
	sb_addf(&sb, "\n-- migrate:upgrade\nCREATE TABLE t_%s (id INT);\n%s", rev, extra);
	write_file(name, sb_str(&sb));
	sb_free(&sb);
}

/* Index lists as text; static buffer, one at a time per call site. */
static const char *u32s(const uint32_t *v, uint32_t n)
{
	static char buf[4][256];
	static int turn;
	char *b = buf[turn++ % 4];
	b[0] = '\0';
	for (uint32_t i = 0; i < n; i++)
		snprintf(b + strlen(b), 256 - strlen(b), "%s%u", i ? "," : "", v[i]);
	return b;
}

/* Everything a script's header gives, one line per revision, then the
 * graph built from them. */
static char *dump(const struct graph *g)
{
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < g->n; i++) {
		const struct script *s = &g->nodes[i].s;
		sb_addf(&sb, "%s|%s|%s|%s|", s->path, s->rev, s->message,
		        s->create_date ? s->create_date : "(null)");
		for (uint32_t j = 0; j < s->nparents; j++)
			sb_addf(&sb, "p=%s,", s->parents[j]);
		for (uint32_t j = 0; j < s->nlabels; j++)
			sb_addf(&sb, "l=%s,", s->labels[j]);
		for (uint32_t j = 0; j < s->ndepends; j++)
			sb_addf(&sb, "d=%s,", s->depends[j]);
		sb_addf(&sb, "|%d|%d|%u %u %u %u|%zu+%zu@%u|%zu+%zu@%u", (int)s->txn,
		        (int)s->has_downgrade, s->rev_line, s->revises_line, s->labels_line,
		        s->depends_line, s->up_off, s->up_len, s->up_line, s->down_off,
		        s->down_len, s->down_line);
		/* the graph around it, and the lookups */
		const struct gnode *x = &g->nodes[i];
		sb_addf(&sb, "|%s", u32s(x->parents, x->nparents));
		sb_addf(&sb, "|%s", u32s(x->children, x->nchildren));
		sb_addf(&sb, "|%s", u32s(x->deps, x->ndeps));
		sb_addf(&sb, "|%s|", u32s(x->dependents, x->ndependents));
		for (uint32_t j = 0; j < x->nbranch; j++)
			sb_addf(&sb, "b=%s,", x->branch[j]);
		uint32_t pm[4] = {0};
		uint32_t npm = graph_prefix(g, s->rev, pm, 4);
		sb_addf(&sb, "|find=%d prefix=%u/%u", graph_find(g, s->rev), npm, pm[0]);
		sb_addc(&sb, '\n');
	}
	sb_addf(&sb, "heads %s\n", u32s(g->heads, g->nheads));
	sb_addf(&sb, "bases %s\n", u32s(g->bases, g->nbases));
	sb_addf(&sb, "branchpoints %s\n", u32s(g->branchpoints, g->nbranchpoints));
	sb_addf(&sb, "mergepoints %s\n", u32s(g->mergepoints, g->nmergepoints));
	for (uint32_t l = 0; l < g->nlabels; l++)
		sb_addf(&sb, "label %s=%u lookup=%d\n", g->labels[l].name, g->labels[l].rev,
		        graph_label(g, g->labels[l].name));
	for (uint32_t i = 0; i < g->n; i++)
		sb_addf(&sb, "sorted %s %u\n", g->sorted_ids[i], g->sorted_idx[i]);
	sb_addf(&sb, "dir %s, %u nodes, %u labels\n", g->dir, g->n, g->nlabels);
	return sb_detach(&sb);
}

static struct graph *load(uint32_t *cached)
{
	struct graph *g = NULL;
	char *err = NULL;
	if (graph_load(vdir, &g, &err) != RT_OK) {
		printf("# load failed: %s\n", err ? err : "?");
		free(err);
		return NULL;
	}
	*cached = g->ncached;
	return g;
}

/* The graph with the cache off, as text. */
static char *fresh(void)
{
	setenv("RETORT_CACHE", "off", 1);
	uint32_t c;
	struct graph *g = load(&c);
	setenv("RETORT_CACHE", cdir, 1);
	char *d = g ? dump(g) : xstrdup("(failed)");
	graph_free(g);
	return d;
}

/* Loads with the cache on; checks it agrees with a fresh load. */
static uint32_t check(const char *what)
{
	char *want = fresh();
	uint32_t c = 0;
	struct graph *g = load(&c);
	char *got = g ? dump(g) : xstrdup("(failed)");
	is_str(got, want, "%s: the same graph as without the cache", what);
	free(got);
	free(want);
	graph_free(g);
	return c;
}

static char *cache_file(void)
{
	struct stat st;
	if (stat(vdir, &st) != 0)
		return NULL;
	return xasprintf("%s/%016llx-%016llx.hdr", cdir, (unsigned long long)st.st_dev,
	                 (unsigned long long)st.st_ino);
}

/* Damages a cache file in place: 0 flips a byte, 1 truncates, 2 leaves
 * a stub of its magic number. */
static void damage(const char *path, int how)
{
	char *text = NULL;
	size_t len = 0;
	if (read_file(path, &text, &len, NULL) != RT_OK || len < 200) {
		printf("# cannot read %s\n", path);
		exit(1);
	}
	if (how == 0)
		text[len - 20] ^= 0x55;
	else if (how == 1)
		len = 100;
	else
		len = 12;
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		printf("# cannot damage %s\n", path);
		exit(1);
	}
	close(fd);
	free(text);
}

/* Rewrites the graph image in place: how 0 turns the first revision id
 * of its body into a malformed one and hashes the body again, 1 changes
 * its layout fingerprint. The header: magic, format, byte order, version,
 * written_at, device, inode, ctime, layout, size, hash, padding to 16. */
static int forge_image(const char *path, int how)
{
	char *text = NULL;
	size_t len = 0;
	if (read_file(path, &text, &len, NULL) != RT_OK)
		return -1;
	uint32_t vlen;
	memcpy(&vlen, text + 16, 4);
	size_t layout_at = 20 + vlen + 1 + 4 * 8, hash_at = layout_at + 16;
	size_t body = (hash_at + 8 + 15) / 16 * 16;
	int rc = -1;
	if (how == 1) {
		text[layout_at] ^= 1;
		rc = 0;
	} else {
		char *rev = memmem(text + body, len - body, "aaaa00000001", 12);
		if (rev) {
			rev[4] = '-';
			uint64_t h = hcache_hash(text + body, len - body);
			memcpy(text + hash_at, &h, 8);
			rc = 0;
		}
	}
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		rc = -1;
	if (fd >= 0)
		close(fd);
	free(text);
	return rc;
}

static void wait_past_racy_window(void)
{
	struct timespec ts = {1, 150000000};
	nanosleep(&ts, NULL);
}

/* Rewrites a file in place (same inode) with text of the same length, and
 * puts its modification time back. */
static void edit_in_place(const char *name, const char *from, const char *to)
{
	char *p = xasprintf("%s/%s", vdir, name), *text = NULL;
	size_t len;
	struct stat st;
	if (stat(p, &st) != 0 || read_file(p, &text, &len, NULL) != RT_OK) {
		printf("# cannot read %s\n", p);
		exit(1);
	}
	char *at = strstr(text, from);
	if (!at || strlen(from) != strlen(to)) {
		printf("# %s not in %s\n", from, p);
		exit(1);
	}
	memcpy(at, to, strlen(to));
	int fd = open(p, O_WRONLY);
	if (fd < 0 || pwrite(fd, text, len, 0) != (ssize_t)len) {
		printf("# cannot rewrite %s\n", p);
		exit(1);
	}
	struct timespec times[2] = {st.st_atim, st.st_mtim};
	futimens(fd, times);
	close(fd);
	free(text);
	free(p);
}

int main(void)
{
	if (!tap_mkdtemp(tmp, sizeof tmp, "rt-hcache"))
		return 1;
	snprintf(vdir, sizeof(vdir), "%s/versions", tmp);
	snprintf(cdir, sizeof(cdir), "%s/cache", tmp);
	mkdir(vdir, 0755);
	setenv("RETORT_CACHE", cdir, 1);

	script("1_base.sql", "aaaa00000001", "", "trunk", NULL,
	       "\n-- migrate:downgrade\nDROP TABLE t_aaaa00000001;\n");
	script("2_left.sql", "bbbb00000002", "aaaa00000001", NULL, NULL, "");
	script("3_right.sql", "cccc00000003", "aaaa00000001", "side, other-side", NULL,
	       "\n-- migrate:downgrade\nDROP TABLE t_cccc00000003;\n");
	script("4_merge.sql", "dddd00000004", "bbbb00000002, cccc00000003", NULL, "side",
	       "\n-- migrate:downgrade\n-- nothing\n");
	write_file("5_notx.sql", "-- no transaction\n--\n-- Revision ID: eeee00000005\n"
	           "-- Revises: dddd00000004\n-- Transaction: none\n\n"
	           "-- migrate:upgrade\nCREATE INDEX CONCURRENTLY i ON t (id);\n");
	wait_past_racy_window();

	/* Cold, then warm. */
	is_int(check("cold"), 0, "a cold cache serves nothing");
	char *cf = cache_file();
	struct stat st;
	ok(cf && stat(cf, &st) == 0, "the cache file is written under RETORT_CACHE");
	ok(cf && (st.st_mode & 0777) == 0600, "the cache file is private (0600)");
	is_int(check("warm"), 5, "a warm cache serves every script");
	is_int(check("warm again"), 5, "and keeps serving them");

	/* An edit in place of the same length, modification time restored:
	 * the status-change time still tells. */
	edit_in_place("2_left.sql", "Revises: aaaa00000001", "Revises: cccc00000003");
	is_int(check("edited in place"), 4, "an edited script is read again");
	{
		uint32_t c;
		struct graph *g = load(&c);
		ok(g && g->nodes[graph_find(g, "bbbb00000002")].s.nparents == 1 &&
		   !strcmp(g->nodes[graph_find(g, "bbbb00000002")].s.parents[0], "cccc00000003"),
		   "the edit is seen: bbbb revises cccc");
		graph_free(g);
	}
	/* Changed less than a second before the cache was rewritten: not
	 * trusted yet, so read again on every run until it is old enough. */
	is_int(check("racy"), 4, "a script changed just before the cache was written is not trusted");
	wait_past_racy_window();
	is_int(check("settled (rewrite)"), 4, "it is read once more and the cache rewritten");
	is_int(check("settled"), 5, "then it is served again");

	/* Added, removed and renamed scripts. */
	script("6_new.sql", "ffff00000006", "eeee00000005", NULL, NULL, "");
	is_int(check("added"), 5, "a new script is read, the others served");
	char *from = xasprintf("%s/3_right.sql", vdir), *to = xasprintf("%s/3_renamed.sql", vdir);
	rename(from, to);
	uint32_t c = check("renamed");
	ok(c >= 4, "a renamed script does not disturb the others (%u served)", c);
	free(from);
	free(to);

	/* A script broken after it was cached: its error is reported. */
	wait_past_racy_window();
	check("before breaking");
	edit_in_place("1_base.sql", "Revision ID: aaaa00000001", "Revision ID: aaaa-0000001");
	{
		struct graph *g = NULL;
		char *err = NULL;
		int rc = graph_load(vdir, &g, &err);
		ok(rc == RT_EINPUT && err && strstr(err, "1_base.sql:3:"),
		   "a script broken since it was cached is reported with its line");
		if (err)
			printf("# %s\n", err);
		free(err);
		graph_free(g);
	}
	edit_in_place("1_base.sql", "Revision ID: aaaa-0000001", "Revision ID: aaaa00000001");
	wait_past_racy_window();
	check("repaired");
	is_int(check("repaired, warm"), 6, "all served once repaired");

	/* The directory is not listed while it is unchanged: what changes it
	 * (a file that is no script, a bad script, a removal) is seen. */
	write_file("README", "not a script\n");
	is_int(check("a file that is no script"), 6, "another file changes nothing");
	wait_past_racy_window();
	check("settled directory");
	script("7_bad.sql", "gggg00000007", "no-such-parent", NULL, NULL, "");
	wait_past_racy_window();
	for (int round = 0; round < 3; round++) {
		struct graph *g = NULL;
		char *err = NULL;
		int rc = graph_load(vdir, &g, &err);
		if (!ok(rc == RT_EINPUT && err && strstr(err, "7_bad.sql:4: malformed revision id 'no-such-parent'"),
		        "a bad script is reported on every run (run %d)", round + 1))
			printf("# %s\n", err ? err : "(no error)");
		free(err);
		graph_free(g);
	}
	char *bad = xasprintf("%s/7_bad.sql", vdir);
	unlink(bad);
	free(bad);
	is_int(check("bad script removed"), 6, "once removed, the others are served");
	wait_past_racy_window();
	check("settled again");
	char *gone = xasprintf("%s/6_new.sql", vdir);
	unlink(gone);
	is_int(check("a script removed"), 5, "a removed script is gone from a settled directory");
	script("6_new.sql", "ffff00000006", "eeee00000005", NULL, NULL, "");
	free(gone);
	wait_past_racy_window();
	check("re-added");
	is_int(check("re-added, warm"), 6, "all served again");

	/* Damaged cache files (flipped byte, truncated, a stub): the entries
	 * and the graph image each stand alone, and damage costs only time. */
	char *imgf = xstrdup(cf);
	memcpy(imgf + strlen(imgf) - 3, "img", 3);
	ok(access(imgf, F_OK) == 0, "a settled directory has a graph image");
	const char *const files[] = {cf, imgf};
	const char *const kinds[] = {"flipped byte", "truncated", "stub"};
	for (int k = 0; k < 3; k++) {
		/* image, entries, both: while the image serves, damaged entries
		 * stay as they are, until the image too must be rebuilt */
		for (int step = 0; step < 3; step++) {
			int which = step == 0 ? 1 : step == 1 ? 0 : 2;
			for (int f = 0; f < 2; f++)
				if (which == 2 || which == f)
					damage(files[f], k);
			uint32_t want = which == 2 ? 0 : 6;
			char *what = xasprintf("%s %s", kinds[k],
			                       which == 0 ? "entries" : which == 1 ? "image" : "entries and image");
			is_int(check(what), want, "%s: %s", what,
			       want ? "the other file serves every script" : "nothing is served");
			check("rewritten");
			is_int(check("rewritten, warm"), 6, "%s: rewritten, all served again", what);
			free(what);
			if (which == 0) {  /* rebuild both from the scripts */
				unlink(imgf);
				check("both rebuilt");
			}
		}
	}

	/* An image whose body hashes right but says what no parser would
	 * (a malformed revision id), or whose structs had another layout:
	 * ignored like any damage, the entries serving instead. */
	for (int how = 0; how < 2; how++) {
		const char *what = how ? "an image of another layout" : "a forged image";
		is_int(forge_image(imgf, how), 0, "%s is made", what);
		is_int(check(what), 6, "%s: the entries serve every script", what);
		check("rewritten");
		is_int(check("rewritten, warm"), 6, "%s: rewritten, all served again", what);
	}

	/* Somebody else's files, or ones others may write: ignored. */
	chmod(cf, 0666);
	chmod(imgf, 0666);
	is_int(check("world-writable"), 0, "cache files others may write are ignored");
	check("rewritten private");
	if (stat(cf, &st) == 0)
		is_int((int)(st.st_mode & 0777), 0600, "and replaced by private ones (entries)");
	if (stat(imgf, &st) == 0)
		is_int((int)(st.st_mode & 0777), 0600, "and replaced by private ones (image)");
	if (geteuid() == 0) {
		if (chown(cf, 1, 1) != 0 || chown(imgf, 1, 1) != 0)
			printf("# chown failed\n");
		is_int(check("foreign owner"), 0, "cache files of another user are ignored");
	}
	unlink(imgf);
	free(imgf);

	/* Off, and nowhere to write: same graph, no file. */
	unlink(cf);
	setenv("RETORT_CACHE", "off", 1);
	{
		uint32_t c2;
		struct graph *g = load(&c2);
		graph_free(g);
	}
	ok(access(cf, F_OK) != 0, "RETORT_CACHE=off writes no cache");
	char *file_as_dir = xasprintf("%s/1_base.sql", vdir);
	setenv("RETORT_CACHE", file_as_dir, 1);
	{
		uint32_t c2 = 9;
		struct graph *g = load(&c2);
		ok(g && c2 == 0, "a cache directory that cannot be made is no error");
		graph_free(g);
	}
	free(file_as_dir);
	setenv("RETORT_CACHE", "relative/dir", 1);
	char *d = hcache_dir();
	ok(d == NULL, "a relative RETORT_CACHE turns the cache off");
	free(d);
	unsetenv("RETORT_CACHE");
	setenv("XDG_CACHE_HOME", "/x/y", 1);
	d = hcache_dir();
	is_str(d ? d : "(null)", "/x/y/retort", "XDG_CACHE_HOME/retort by default");
	free(d);
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/home/u", 1);
	d = hcache_dir();
	is_str(d ? d : "(null)", "/home/u/.cache/retort", "else ~/.cache/retort");
	free(d);
	free(cf);

	char *rm = xasprintf("rm -rf '%s'", tmp);
	if (system(rm) != 0)
		printf("# cleanup failed\n");
	free(rm);
	return done_testing();
}
