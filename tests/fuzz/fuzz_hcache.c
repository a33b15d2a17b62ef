/* fuzz_hcache.c: graph_load on a fixture directory with an arbitrary
 * header cache file: the entries file or the graph image.
 *
 * The first input byte picks the file (even: entries, odd: image); the
 * rest is its body: for the entries a u64 write time, a u32 "complete"
 * flag, a u32 entry count and the entries; for the image a u64 write time
 * and the image body. The harness puts in front the header a real file
 * has (magic, format, version, the directory's device, inode and
 * status-change time, the image's layout, sizes and hash), so that fuzzing reaches the
 * decoders rather than stopping at the checks that guard them. Whatever
 * the file holds, loading must not crash; a load that succeeds has
 * revisions of the fixture's scripts, and one that fails says why on
 * lines naming them. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "graph.h"
#include "hcache.h"
#include "util.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

static char top[] = "/tmp/retort-fuzz-hcache-XXXXXX";
static char *vdir, *cfile, *ifile, *prefix;
static uint64_t dir_dev, dir_ino;

static void cleanup(void)
{
	char *rm = xasprintf("rm -rf '%s'", top);
	if (system(rm) != 0)
		fprintf(stderr, "fuzz_hcache: cannot remove %s\n", top);
	free(rm);
}

static void put(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", vdir, name);
	FILE *f = fopen(p, "w");
	fuzz_check(f && fputs(text, f) >= 0 && fclose(f) == 0, "cannot write %s", p);
	free(p);
}

FUZZ_INIT(hcache)
{
	fuzz_check(mkdtemp(top) != NULL, "cannot create %s", top);
	atexit(cleanup);
	vdir = xasprintf("%s/versions", top);
	fuzz_check(mkdir(vdir, 0700) == 0, "cannot create %s", vdir);
	put("1_a.sql", "-- a\n--\n-- Revision ID: a1\n-- Revises:\n"
	    "-- Branch Labels: trunk\n\n-- migrate:upgrade\nCREATE TABLE a (i INT);\n"
	    "\n-- migrate:downgrade\nDROP TABLE a;\n");
	put("2_b.sql", "-- b\n--\n-- Revision ID: b2\n-- Revises: a1\n"
	    "-- Create Date: 2026-01-02 03:04:05\n\n-- migrate:upgrade\nSELECT 1;\n");
	put("3_c.sql", "-- c\n--\n-- Revision ID: c3\n-- Revises: a1\n-- Depends On: b2\n"
	    "-- Transaction: none\n\n-- migrate:upgrade\nSELECT 2;\n");
	struct stat st;
	fuzz_check(stat(vdir, &st) == 0, "cannot stat %s", vdir);
	dir_dev = (uint64_t)st.st_dev;
	dir_ino = (uint64_t)st.st_ino;
	char *cdir = xasprintf("%s/cache", top);
	setenv("RETORT_CACHE", cdir, 1);
	fuzz_check(mkdir(cdir, 0700) == 0, "cannot create %s", cdir);
	cfile = xasprintf("%s/%016llx-%016llx.hdr", cdir, (unsigned long long)dir_dev,
	                  (unsigned long long)dir_ino);
	ifile = xstrdup(cfile);
	memcpy(ifile + strlen(ifile) - 3, "img", 3);
	free(cdir);
	prefix = xasprintf("%s/", vdir);
	return 0;
}

static void add(struct strbuf *b, const void *p, size_t n)
{
	sb_addn(b, p, n);
}

static void add_u32(struct strbuf *b, uint32_t v)
{
	add(b, &v, 4);
}

static void add_u64(struct strbuf *b, uint64_t v)
{
	add(b, &v, 8);
}

static void write_cache(const char *path, const struct strbuf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fuzz_check(fd >= 0, "cannot write %s", path);
	fuzz_check(write(fd, b->buf, b->len) == (ssize_t)b->len, "short write to %s", path);
	close(fd);
}

FUZZ_ONE(hcache)
{
	if (size < 17)
		return 0;
	bool image = data[0] & 1;
	data++;
	size--;
	struct stat st;
	fuzz_check(stat(vdir, &st) == 0, "cannot stat %s", vdir);
	uint64_t dir_ctime = (uint64_t)st.st_ctim.tv_sec * 1000000000u + (uint64_t)st.st_ctim.tv_nsec;
	unlink(cfile);
	unlink(ifile);

	struct strbuf b = STRBUF_INIT;
	uint64_t written_at;
	memcpy(&written_at, data, 8);
	add(&b, image ? "RETORTGI" : "RETORTHC", 8);
	add_u32(&b, image ? HCACHE_IMAGE_FORMAT : HCACHE_FORMAT);
	add_u32(&b, 0x01020304);
	add_u32(&b, (uint32_t)strlen(PACKAGE_VERSION));
	add(&b, PACKAGE_VERSION, strlen(PACKAGE_VERSION) + 1);
	add_u64(&b, written_at);
	add_u64(&b, dir_dev);
	add_u64(&b, dir_ino);
	add_u64(&b, dir_ctime);
	if (image) {
		const uint8_t *body = data + 8;
		size_t n = size - 8;
		add_u64(&b, hcache_image_layout());
		add_u64(&b, n);
		add_u64(&b, hcache_hash(body, n));
		while (b.len % 16)
			sb_addc(&b, '\0');
		add(&b, body, n);
	} else {
		add(&b, data + 8, 4);  /* complete */
		add(&b, data + 12, 4); /* entries */
		add_u64(&b, hcache_hash(data + 16, size - 16));
		add(&b, data + 16, size - 16);
	}
	write_cache(image ? ifile : cfile, &b);
	sb_free(&b);

	struct graph *g = NULL;
	char *err = NULL;
	int rc = graph_load(vdir, &g, &err);
	if (rc == RT_OK) {
		/* the image is trusted for which scripts it names (a file of the
		 * user's own, see hcache.c): fewer than three may be forged */
		fuzz_check(g && g->n >= 1 && g->n <= 3, "loaded %u revisions", g ? g->n : 0);
		for (uint32_t i = 0; i < g->n; i++) {
			fuzz_check(g->nodes[i].s.path && !strncmp(g->nodes[i].s.path, prefix,
			           strlen(prefix)), "revision %u has path %s", i, g->nodes[i].s.path);
			/* what the parser guarantees holds of what the cache gives */
			fuzz_check(script_valid_rev(g->nodes[i].s.rev), "revision %u has id %s", i,
			           g->nodes[i].s.rev);
		}
		graph_free(g);
	} else {
		fuzz_check(rc == RT_EINPUT && !g, "status %d", rc);
		fuzz_check(fuzz_err_lines_start(err, prefix, false), "error shape: %s", err);
	}
	free(err);
	return 0;
}
