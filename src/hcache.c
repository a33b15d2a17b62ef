/* hcache.c: the cache of parsed script headers (see hcache.h).
 *
 * File layout (native byte order; a file written on another machine
 * fails the marker check and is ignored):
 *   "RETORTHC" u32 format, u32 0x01020304, str version,
 *   u64 written_at (ns since the epoch), u64 dir device, u64 dir inode,
 *   u32 entries, u64 hash of the payload, then the payload: the entries
 *   in ascending name order, each
 *   u32 total length, u64 dev, ino, size, mode, mtime s, ns, ctime s, ns,
 *   str name, str rev, str message, nstr create date, u32 n + n str for
 *   parents, labels and depends, u32 txn, has_downgrade, six line numbers
 *   (rev, revises, labels, depends, up, down), u64 up_off, up_len,
 *   down_off, down_len.
 * A str is u32 length, the bytes and a NUL; an nstr of length 0xffffffff
 * is NULL. Every read is bounds-checked: a damaged file is just a miss. */

#include "hcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

#define HC_MAGIC "RETORTHC"
#define HC_FORMAT 1u
#define HC_ENDIAN 0x01020304u
#define HC_NULL 0xffffffffu
#define HC_MAX_FILE (1u << 30)
/* File times are coarser than the clock: an entry for a file changed this
 * close to the moment the cache was written is read again. */
#define HC_RACY_NS 1000000000LL

struct hent {
	const char *name;
	const char *raw, *body, *end;   /* whole entry; after the name; end */
	uint64_t dev, ino, size, mode;
	int64_t mtime, ctime;           /* ns */
};

/* An entry of the file to write: a span of the old file or of `fresh`. */
struct hitem {
	const char *raw;   /* NULL: fresh.buf + off */
	size_t off, len;
};

struct hcache {
	char *dir, *path;
	uint64_t dir_dev, dir_ino;
	int64_t now;          /* ns, taken before any script is looked at */
	int64_t written_at;   /* of the file read */
	struct hent *ents;
	uint32_t nents, next, hits;
	bool dirty;
	struct hitem *items;
	uint32_t nitems, capitems;
	struct strbuf fresh;
};

uint64_t hcache_hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)len, w;
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h ^= w * 0xff51afd7ed558ccdULL;
		h = ((h << 27) | (h >> 37)) * 0x9e3779b97f4a7c15ULL + 0x52dce729ULL;
	}
	w = 0;
	memcpy(&w, p, len);
	h ^= w * 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

char *hcache_dir(void)
{
	const char *v = getenv("RETORT_CACHE");
	if (v && *v) {
		if (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "no"))
			return NULL;
		return v[0] == '/' ? xstrdup(v) : NULL;
	}
	const char *x = getenv("XDG_CACHE_HOME");
	if (x && x[0] == '/')  /* relative ones are ignored (XDG) */
		return xasprintf("%s/retort", x);
	const char *h = getenv("HOME");
	return h && h[0] == '/' ? xasprintf("%s/.cache/retort", h) : NULL;
}

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* ---- reading ---- */

struct rd {
	const char *p, *end;
	bool bad;
};

static uint32_t get_u32(struct rd *r)
{
	uint32_t v = 0;
	if (r->bad || (size_t)(r->end - r->p) < 4) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p, 4);
	r->p += 4;
	return v;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t v = 0;
	if (r->bad || (size_t)(r->end - r->p) < 8) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p, 8);
	r->p += 8;
	return v;
}

static const char *get_nstr(struct rd *r, bool nullable)
{
	uint32_t n = get_u32(r);
	if (r->bad || (nullable && n == HC_NULL))
		return NULL;
	if ((size_t)(r->end - r->p) <= n || r->p[n] != '\0' || memchr(r->p, '\0', n)) {
		r->bad = true;
		return NULL;
	}
	const char *s = r->p;
	r->p += n + 1;
	return s;
}

static const char *get_str(struct rd *r)
{
	return get_nstr(r, false);
}

/* The entries' index: names, identities and spans. */
static bool index_entries(struct hcache *c, struct rd *r, uint32_t n)
{
	/* An entry takes at least 80 bytes: n is bounded by the file. */
	if (n > (size_t)(r->end - r->p) / 80)
		return false;
	c->ents = xcalloc(n ? n : 1, sizeof(*c->ents));
	for (uint32_t i = 0; i < n; i++) {
		struct hent *e = &c->ents[i];
		e->raw = r->p;
		uint32_t len = get_u32(r);
		if (r->bad || len < 4 || len > (size_t)(r->end - e->raw))
			return false;
		e->end = e->raw + len;
		struct rd er = {r->p, e->end, false};
		e->dev = get_u64(&er);
		e->ino = get_u64(&er);
		e->size = get_u64(&er);
		e->mode = get_u64(&er);
		int64_t ms = (int64_t)get_u64(&er), mns = (int64_t)get_u64(&er);
		int64_t cs = (int64_t)get_u64(&er), cns = (int64_t)get_u64(&er);
		e->mtime = ms * 1000000000LL + mns;
		e->ctime = cs * 1000000000LL + cns;
		e->name = get_str(&er);
		if (er.bad || (i && strcmp(c->ents[i - 1].name, e->name) >= 0))
			return false;
		e->body = er.p;
		r->p = e->end;
	}
	c->nents = n;
	return r->p == r->end;
}

static void load(struct hcache *c, struct arena *a)
{
	int fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return;
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	/* Only a private file of ours: another user's could lie about headers. */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || st.st_size < 48 || st.st_size > HC_MAX_FILE)
		goto out;
	buf = arena_alloc(a, (size_t)st.st_size + 1);
	while (n < (size_t)st.st_size) {
		ssize_t got = read(fd, buf + n, (size_t)st.st_size - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			goto out;
		n += (size_t)got;
	}
	struct rd r = {buf, buf + n, false};
	if (n < 8 || memcmp(buf, HC_MAGIC, 8) != 0)
		goto out;
	r.p += 8;
	if (get_u32(&r) != HC_FORMAT || get_u32(&r) != HC_ENDIAN)
		goto out;
	const char *version = get_str(&r);
	if (!version || strcmp(version, PACKAGE_VERSION) != 0)
		goto out;
	c->written_at = (int64_t)get_u64(&r);
	uint64_t dev = get_u64(&r), ino = get_u64(&r);
	uint32_t count = get_u32(&r);
	uint64_t hash = get_u64(&r);
	if (r.bad || dev != c->dir_dev || ino != c->dir_ino ||
	    hcache_hash(r.p, (size_t)(r.end - r.p)) != hash)
		goto out;
	if (!index_entries(c, &r, count)) {
		free(c->ents);
		c->ents = NULL;
		c->nents = 0;
	}
out:
	close(fd);
}

struct hcache *hcache_open(int dfd, struct arena *a)
{
	struct stat st;
	char *dir = hcache_dir();
	if (!dir || fstat(dfd, &st) != 0) {
		free(dir);
		return NULL;
	}
	struct hcache *c = xcalloc(1, sizeof(*c));
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	c->now = ts_ns(&now);
	c->dir = dir;
	c->dir_dev = (uint64_t)st.st_dev;
	c->dir_ino = (uint64_t)st.st_ino;
	c->path = xasprintf("%s/%016llx-%016llx.hdr", dir, (unsigned long long)c->dir_dev,
	                    (unsigned long long)c->dir_ino);
	sb_init(&c->fresh);
	load(c, a);
	return c;
}

static void add_item(struct hcache *c, const char *raw, size_t off, size_t len)
{
	if (c->nitems == c->capitems) {
		c->capitems = c->capitems ? c->capitems * 2 : 256;
		c->items = xrealloc(c->items, c->capitems * sizeof(*c->items));
	}
	c->items[c->nitems++] = (struct hitem){raw, off, len};
}

static bool same_file(const struct hent *e, const struct stat *st)
{
	return e->dev == (uint64_t)st->st_dev && e->ino == (uint64_t)st->st_ino &&
	       e->size == (uint64_t)st->st_size && e->mode == (uint64_t)st->st_mode &&
	       e->mtime == ts_ns(&st->st_mtim) && e->ctime == ts_ns(&st->st_ctim);
}

static const char **get_list(struct rd *r, struct arena *a, uint32_t *n)
{
	*n = get_u32(r);
	if (r->bad || *n == 0 || *n > (size_t)(r->end - r->p) / 5) {
		r->bad |= *n != 0;
		*n = 0;
		return NULL;
	}
	const char **v = arena_alloc(a, *n * sizeof(*v));
	for (uint32_t i = 0; i < *n; i++)
		v[i] = get_str(r);
	return v;
}

/* Decodes an entry's script; false when it does not hold together. */
static bool decode(const struct hent *e, const char *path, struct arena *a,
                   struct script *s)
{
	struct rd r = {e->body, e->end, false};
	memset(s, 0, sizeof(*s));
	s->path = path;
	s->rev = get_str(&r);
	s->message = get_str(&r);
	s->create_date = get_nstr(&r, true);
	s->parents = get_list(&r, a, &s->nparents);
	s->labels = get_list(&r, a, &s->nlabels);
	s->depends = get_list(&r, a, &s->ndepends);
	uint32_t txn = get_u32(&r), down = get_u32(&r);
	s->rev_line = get_u32(&r);
	s->revises_line = get_u32(&r);
	s->labels_line = get_u32(&r);
	s->depends_line = get_u32(&r);
	s->up_line = get_u32(&r);
	s->down_line = get_u32(&r);
	uint64_t uo = get_u64(&r), ul = get_u64(&r), dofs = get_u64(&r), dl = get_u64(&r);
	if (r.bad || r.p != r.end || txn > SCRIPT_TXN_NONE || down > 1 ||
	    uo > e->size || ul > e->size - uo || dofs > e->size || dl > e->size - dofs ||
	    !script_valid_rev(s->rev))
		return false;
	for (uint32_t i = 0; i < s->nparents; i++)
		if (!script_valid_rev(s->parents[i]))
			return false;
	for (uint32_t i = 0; i < s->nlabels; i++)
		if (!script_valid_label(s->labels[i]) || script_reserved_word(s->labels[i]))
			return false;
	for (uint32_t i = 0; i < s->ndepends; i++)
		if (!*s->depends[i])
			return false;
	s->txn = (enum script_txn)txn;
	s->has_downgrade = down;
	s->up_off = (size_t)uo;
	s->up_len = (size_t)ul;
	s->down_off = (size_t)dofs;
	s->down_len = (size_t)dl;
	return true;
}

bool hcache_get(struct hcache *c, const char *name, const struct stat *st,
                const char *path, struct arena *a, struct script *s)
{
	if (!c)
		return false;
	while (c->next < c->nents && strcmp(c->ents[c->next].name, name) < 0)
		c->next++;
	if (c->next == c->nents || strcmp(c->ents[c->next].name, name) != 0)
		return false;
	const struct hent *e = &c->ents[c->next++];
	if (!S_ISREG(st->st_mode) || !same_file(e, st) ||
	    e->ctime >= c->written_at - HC_RACY_NS || !decode(e, path, a, s))
		return false;
	add_item(c, e->raw, 0, (size_t)(e->end - e->raw));
	c->hits++;
	return true;
}

/* ---- writing ---- */

static void put_u32(struct strbuf *b, uint32_t v)
{
	sb_addn(b, (const char *)&v, 4);
}

static void put_u64(struct strbuf *b, uint64_t v)
{
	sb_addn(b, (const char *)&v, 8);
}

static void put_str(struct strbuf *b, const char *s)
{
	if (!s) {
		put_u32(b, HC_NULL);
		return;
	}
	size_t n = strlen(s);
	put_u32(b, (uint32_t)n);
	sb_addn(b, s, n + 1);
}

static void put_list(struct strbuf *b, const char *const *v, uint32_t n)
{
	put_u32(b, n);
	for (uint32_t i = 0; i < n; i++)
		put_str(b, v[i]);
}

void hcache_put(struct hcache *c, const char *name, const struct stat *st,
                const struct script *s)
{
	if (!c)
		return;
	struct strbuf *b = &c->fresh;
	size_t start = b->len;
	put_u32(b, 0);  /* the length, patched below */
	put_u64(b, (uint64_t)st->st_dev);
	put_u64(b, (uint64_t)st->st_ino);
	put_u64(b, (uint64_t)st->st_size);
	put_u64(b, (uint64_t)st->st_mode);
	put_u64(b, (uint64_t)st->st_mtim.tv_sec);
	put_u64(b, (uint64_t)st->st_mtim.tv_nsec);
	put_u64(b, (uint64_t)st->st_ctim.tv_sec);
	put_u64(b, (uint64_t)st->st_ctim.tv_nsec);
	put_str(b, name);
	put_str(b, s->rev);
	put_str(b, s->message);
	put_str(b, s->create_date);
	put_list(b, s->parents, s->nparents);
	put_list(b, s->labels, s->nlabels);
	put_list(b, s->depends, s->ndepends);
	put_u32(b, (uint32_t)s->txn);
	put_u32(b, s->has_downgrade ? 1 : 0);
	put_u32(b, s->rev_line);
	put_u32(b, s->revises_line);
	put_u32(b, s->labels_line);
	put_u32(b, s->depends_line);
	put_u32(b, s->up_line);
	put_u32(b, s->down_line);
	put_u64(b, (uint64_t)s->up_off);
	put_u64(b, (uint64_t)s->up_len);
	put_u64(b, (uint64_t)s->down_off);
	put_u64(b, (uint64_t)s->down_len);
	uint32_t len = (uint32_t)(b->len - start);
	memcpy(b->buf + start, &len, 4);
	add_item(c, NULL, start, len);
	c->dirty = true;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static void save(struct hcache *c)
{
	struct strbuf b = STRBUF_INIT;
	sb_addn(&b, HC_MAGIC, 8);
	put_u32(&b, HC_FORMAT);
	put_u32(&b, HC_ENDIAN);
	put_str(&b, PACKAGE_VERSION);
	put_u64(&b, (uint64_t)c->now);
	put_u64(&b, c->dir_dev);
	put_u64(&b, c->dir_ino);
	put_u32(&b, c->nitems);
	size_t hash_at = b.len;
	put_u64(&b, 0);
	size_t payload = b.len;
	for (uint32_t i = 0; i < c->nitems; i++) {
		const struct hitem *it = &c->items[i];
		sb_addn(&b, it->raw ? it->raw : c->fresh.buf + it->off, it->len);
	}
	uint64_t h = hcache_hash(b.buf + payload, b.len - payload);
	memcpy(b.buf + hash_at, &h, 8);

	char *tmp = xasprintf("%s.%ld.tmp", c->path, (long)getpid());
	if (mkdir_p(c->dir, 0700, NULL) == RT_OK) {
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			bool ok = write_all(fd, b.buf, b.len);
			ok &= close(fd) == 0;
			/* rename is atomic: a concurrent reader sees the old file or
			 * the new one, and concurrent writers each write whole files */
			if (!ok || rename(tmp, c->path) != 0)
				unlink(tmp);
		}
	}
	free(tmp);
	sb_free(&b);
}

void hcache_close(struct hcache *c)
{
	if (!c)
		return;
	if (c->dirty || c->hits != c->nents)
		save(c);
	free(c->ents);
	free(c->items);
	sb_free(&c->fresh);
	free(c->path);
	free(c->dir);
	free(c);
}
