/* hcache.c: the cache of parsed script headers (see hcache.h).
 *
 * File layout (native byte order; a file written on another machine
 * fails the marker check and is ignored):
 *   "RETORTHC" u32 format, u32 0x01020304, str version,
 *   u64 written_at (ns since the epoch), u64 dir device, u64 dir inode,
 *   u64 dir status-change time (ns), u32 1 when the entries are every
 *   script of the directory (else 0), u32 entries, u64 hash of the
 *   payload, then the payload: the entries
 *   in ascending name order, each
 *   u32 total length, u64 dev, ino, size, mode, mtime s, ns, ctime s, ns,
 *   str name, str rev, str message, nstr create date, nstr doc, u32 n + n
 *   str for parents, labels and depends, u32 format, txn, has_downgrade,
 *   six line numbers
 *   (rev, revises, labels, depends, up, down), u64 up_off, up_len,
 *   down_off, down_len.
 * A str is u32 length, the bytes and a NUL; an nstr of length 0xffffffff
 * is NULL. Every read is bounds-checked: a damaged file is just a miss. */

#include "hcache.h"
#include "graph.h"
#include "par.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

#define HC_MAGIC "RETORTHC"
#define HC_FORMAT HCACHE_FORMAT
#define HC_ENDIAN 0x01020304u
#define HC_NULL 0xffffffffu
#define HC_MAX_FILE (1u << 30)
/* File times are coarser than the clock: an entry for a file changed this
 * close to the moment the cache was written is read again. */
#define HC_RACY_NS 1000000000LL
/* Scripts stat-ed per claim of a worker (par.h): a claim costs an atomic
 * add, a stat a few microseconds. A history no longer than one claim is
 * checked on the calling thread alone: starting a second thread costs
 * more than it saves there. */
#define PAR_STAT_CHUNK 1024

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
	int64_t dir_ctime;    /* ns, when the directory was opened */
	int64_t now;          /* ns, taken before any script is looked at */
	int64_t written_at;   /* of the file read */
	bool listing;         /* the entries are the directory's scripts */
	bool loaded;          /* the entries file has been read */
	struct arena *arena;  /* where entries and images are read to */
	struct hent *ents;
	uint32_t nents, next, hits;
	bool dirty;
	struct hitem *items;
	uint32_t nitems, capitems;
	struct strbuf fresh;
};

/* The hash, fed in pieces: the same value as one call on the whole. Four
 * lanes, each mixing every fourth 8-byte word, so that the multiplications
 * of a block do not wait for each other (an image is hashed on every
 * load). */
#define HASH_LANES 4
#define HASH_BLOCK (8 * HASH_LANES)

struct hasher {
	uint64_t h[HASH_LANES];
	unsigned char carry[HASH_BLOCK];
	size_t ncarry;
};

static void hash_init(struct hasher *x, uint64_t total)
{
	for (unsigned k = 0; k < HASH_LANES; k++)
		x->h[k] = (0x9e3779b97f4a7c15ULL * (k + 1)) ^ total;
	x->ncarry = 0;
}

static uint64_t hash_mix(uint64_t h, const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	h ^= w * 0xff51afd7ed558ccdULL;
	return ((h << 27) | (h >> 37)) * 0x9e3779b97f4a7c15ULL + 0x52dce729ULL;
}

static void hash_block(struct hasher *x, const unsigned char *p)
{
	for (unsigned k = 0; k < HASH_LANES; k++)
		x->h[k] = hash_mix(x->h[k], p + 8 * k);
}

static void hash_add(struct hasher *x, const void *data, size_t len)
{
	const unsigned char *p = data;
	while (len && x->ncarry) {
		x->carry[x->ncarry++] = *p++;
		len--;
		if (x->ncarry == HASH_BLOCK) {
			hash_block(x, x->carry);
			x->ncarry = 0;
		}
	}
	for (; len >= HASH_BLOCK; p += HASH_BLOCK, len -= HASH_BLOCK)
		hash_block(x, p);
	memcpy(x->carry, p, len);
	x->ncarry = len;
}

static uint64_t hash_end(struct hasher *x)
{
	/* the last partial block, zero-padded, then the lanes folded */
	memset(x->carry + x->ncarry, 0, HASH_BLOCK - x->ncarry);
	hash_block(x, x->carry);
	uint64_t h = x->h[0];
	for (unsigned k = 1; k < HASH_LANES; k++) {
		h ^= x->h[k] * 0xff51afd7ed558ccdULL;
		h = ((h << 31) | (h >> 33)) * 0x9e3779b97f4a7c15ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t hcache_hash(const void *data, size_t len)
{
	struct hasher x;
	hash_init(&x, len);
	hash_add(&x, data, len);
	return hash_end(&x);
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

/* t is older than the racy window before ref (ref may come from a
 * damaged file: no overflow). */
static bool settled(int64_t t, int64_t ref)
{
	return ref > INT64_MIN + HC_RACY_NS && t < ref - HC_RACY_NS;
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
		/* unsigned: a damaged file must not overflow (only compared) */
		uint64_t ms = get_u64(&er), mns = get_u64(&er);
		uint64_t cs = get_u64(&er), cns = get_u64(&er);
		e->mtime = (int64_t)(ms * 1000000000u + mns);
		e->ctime = (int64_t)(cs * 1000000000u + cns);
		e->name = get_str(&er);
		if (er.bad || (i && strcmp(c->ents[i - 1].name, e->name) >= 0))
			return false;
		e->body = er.p;
		r->p = e->end;
	}
	c->nents = n;
	return r->p == r->end;
}

/* A cache file read whole into a (16-byte aligned), or NULL. Only a
 * private file of ours: another user's could lie about headers. */
static char *read_private(const char *path, struct arena *a, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || st.st_size < 48 || st.st_size > HC_MAX_FILE)
		goto out;
	buf = arena_alloc_raw(a, (size_t)st.st_size + 1);
	buf[st.st_size] = '\0';
	mem_prefault(buf, (size_t)st.st_size);
	while (n < (size_t)st.st_size) {
		ssize_t got = read(fd, buf + n, (size_t)st.st_size - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			buf = NULL;
			goto out;
		}
		n += (size_t)got;
	}
	*len = n;
out:
	close(fd);
	return buf;
}

static void load(struct hcache *c, struct arena *a)
{
	size_t n = 0;
	char *buf = read_private(c->path, a, &n);
	if (!buf)
		return;
	struct rd r = {buf, buf + n, false};
	if (n < 8 || memcmp(buf, HC_MAGIC, 8) != 0)
		return;
	r.p += 8;
	if (get_u32(&r) != HC_FORMAT || get_u32(&r) != HC_ENDIAN)
		return;
	const char *version = get_str(&r);
	if (!version || strcmp(version, PACKAGE_VERSION) != 0)
		return;
	c->written_at = (int64_t)get_u64(&r);
	uint64_t dev = get_u64(&r), ino = get_u64(&r);
	int64_t dir_ctime = (int64_t)get_u64(&r);
	uint32_t complete = get_u32(&r);
	uint32_t count = get_u32(&r);
	uint64_t hash = get_u64(&r);
	if (r.bad || dev != c->dir_dev || ino != c->dir_ino ||
	    hcache_hash(r.p, (size_t)(r.end - r.p)) != hash)
		return;
	if (!index_entries(c, &r, count)) {
		free(c->ents);
		c->ents = NULL;
		c->nents = 0;
		return;
	}
	/* The directory's entries change its status-change time: unchanged
	 * (and settled before the cache was written), it holds the same
	 * scripts, and listing it can be skipped. */
	c->listing = complete == 1 && dir_ctime == c->dir_ctime &&
	             settled(dir_ctime, c->written_at);
}

struct hcache *hcache_open(int dfd, const struct script_format *fmt, struct arena *a)
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
	c->dir_ctime = ts_ns(&st.st_ctim);
	/* .sql scripts keep the name they always had; another format's
	 * headers live beside them, never mixed with theirs. */
	bool sql = fmt->id == SCRIPT_FORMAT_SQL;
	c->path = xasprintf("%s/%016llx-%016llx%s%s.hdr", dir, (unsigned long long)c->dir_dev,
	                    (unsigned long long)c->dir_ino, sql ? "" : ".", sql ? "" : fmt->name);
	sb_init(&c->fresh);
	c->arena = a;
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

static bool same_file(const struct hent *e, const struct hcache_ident *id)
{
	return e->dev == id->dev && e->ino == id->ino && e->size == id->size &&
	       e->mode == id->mode && e->mtime == id->mtime && e->ctime == id->ctime;
}

/* e (which may be NULL), when it can be trusted for a regular file whose
 * identity is id; NULL otherwise. */
static const struct hent *trusted(const struct hcache *c, const struct hent *e,
                                  const struct hcache_ident *id)
{
	return e && S_ISREG((mode_t)id->mode) && same_file(e, id) &&
	       settled(e->ctime, c->written_at) ? e : NULL;
}

static int cmp_ent_name(const void *key, const void *ent)
{
	return strcmp(key, ((const struct hent *)ent)->name);
}

bool hcache_has(const struct hcache *c, int dfd, const char *name, struct hcache_ident *id)
{
	if (!c || !c->nents)
		return false;
	const struct hent *e = bsearch(name, c->ents, c->nents, sizeof(*c->ents), cmp_ent_name);
	struct stat st;
	if (!e || fstatat(dfd, name, &st, 0) != 0)
		return false;
	hcache_ident_of(&st, id);
	return trusted(c, e, id);
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
/* What script_parse guarantees of a header, checked again on one read
 * back from a cache file (entries or graph image) of a script of `size`
 * bytes: a damaged or forged file must not hand the graph what the
 * parser would have refused. */
static bool header_valid(const struct script *s, uint64_t size)
{
	if ((unsigned)s->txn > SCRIPT_TXN_NONE || s->format >= SCRIPT_FORMAT_COUNT ||
	    s->up_off > size || s->up_len > size - s->up_off ||
	    s->down_off > size || s->down_len > size - s->down_off ||
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
	return true;
}

static bool decode(const struct hent *e, const char *path, struct arena *a,
                   struct script *s)
{
	struct rd r = {e->body, e->end, false};
	memset(s, 0, sizeof(*s));
	s->path = path;
	s->rev = get_str(&r);
	s->message = get_str(&r);
	s->create_date = get_nstr(&r, true);
	s->doc = get_nstr(&r, true);
	s->parents = get_list(&r, a, &s->nparents);
	s->labels = get_list(&r, a, &s->nlabels);
	s->depends = get_list(&r, a, &s->ndepends);
	uint32_t format = get_u32(&r), txn = get_u32(&r), down = get_u32(&r);
	s->rev_line = get_u32(&r);
	s->revises_line = get_u32(&r);
	s->labels_line = get_u32(&r);
	s->depends_line = get_u32(&r);
	s->up_line = get_u32(&r);
	s->down_line = get_u32(&r);
	uint64_t uo = get_u64(&r), ul = get_u64(&r), dofs = get_u64(&r), dl = get_u64(&r);
	if (r.bad || r.p != r.end || format >= SCRIPT_FORMAT_COUNT || txn > SCRIPT_TXN_NONE ||
	    down > 1 || uo > e->size || ul > e->size - uo || dofs > e->size || dl > e->size - dofs)
		return false;
	s->format = (uint8_t)format;
	s->txn = (enum script_txn)txn;
	s->has_downgrade = down;
	s->up_off = (size_t)uo;
	s->up_len = (size_t)ul;
	s->down_off = (size_t)dofs;
	s->down_len = (size_t)dl;
	return header_valid(s, e->size);
}

bool hcache_get(struct hcache *c, const char *name, const struct hcache_ident *id,
                const char *path, struct arena *a, struct script *s)
{
	if (!c)
		return false;
	while (c->next < c->nents && strcmp(c->ents[c->next].name, name) < 0)
		c->next++;
	if (c->next == c->nents || strcmp(c->ents[c->next].name, name) != 0)
		return false;
	const struct hent *e = trusted(c, &c->ents[c->next++], id);
	if (!e || !decode(e, path, a, s))
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

/* A time in ns as the file keeps it: seconds, then 0 <= ns < 10^9. */
static void put_time(struct strbuf *b, int64_t ns)
{
	int64_t sec = ns / 1000000000LL, rest = ns % 1000000000LL;
	if (rest < 0) {
		sec--;
		rest += 1000000000LL;
	}
	put_u64(b, (uint64_t)sec);
	put_u64(b, (uint64_t)rest);
}

void hcache_put(struct hcache *c, const char *name, const struct hcache_ident *id,
                const struct script *s)
{
	if (!c)
		return;
	struct strbuf *b = &c->fresh;
	size_t start = b->len;
	put_u32(b, 0);  /* the length, patched below */
	put_u64(b, id->dev);
	put_u64(b, id->ino);
	put_u64(b, id->size);
	put_u64(b, id->mode);
	put_time(b, id->mtime);
	put_time(b, id->ctime);
	put_str(b, name);
	put_str(b, s->rev);
	put_str(b, s->message);
	put_str(b, s->create_date);
	put_str(b, s->doc);
	put_list(b, s->parents, s->nparents);
	put_list(b, s->labels, s->nlabels);
	put_list(b, s->depends, s->ndepends);
	put_u32(b, s->format);
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

/* A file written through a temporary one and rename(2), which is atomic:
 * a concurrent reader sees the old file or the new one, and concurrent
 * writers each write whole files. Failing is silent. Writes go through a
 * buffer so that no second copy of a large file is made. */
struct out {
	char *path, *tmp;
	int fd;
	bool ok;
	char buf[65536];
	size_t n;
};

static struct out *out_open(const char *dir, const char *path)
{
	if (mkdir_p(dir, 0700, NULL) != RT_OK)
		return NULL;
	struct out *o = xcalloc(1, sizeof(*o));
	o->path = xstrdup(path);
	o->tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	o->ok = o->fd >= 0;
	return o;
}

static void out_add(struct out *o, const void *p, size_t n)
{
	if (!o || !o->ok)
		return;
	if (o->n + n > sizeof(o->buf)) {
		o->ok = write_all(o->fd, o->buf, o->n);
		o->n = 0;
		if (n >= sizeof(o->buf)) {
			o->ok = o->ok && write_all(o->fd, p, n);
			return;
		}
	}
	memcpy(o->buf + o->n, p, n);
	o->n += n;
}

static void out_close(struct out *o)
{
	if (!o)
		return;
	if (o->ok && o->n)
		o->ok = write_all(o->fd, o->buf, o->n);
	if (o->fd >= 0)
		o->ok &= close(o->fd) == 0;
	if (o->fd >= 0 && (!o->ok || rename(o->tmp, o->path) != 0))
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	free(o);
}

static void save(struct hcache *c, bool complete)
{
	struct strbuf b = STRBUF_INIT;
	sb_addn(&b, HC_MAGIC, 8);
	put_u32(&b, HC_FORMAT);
	put_u32(&b, HC_ENDIAN);
	put_str(&b, PACKAGE_VERSION);
	put_u64(&b, (uint64_t)c->now);
	put_u64(&b, c->dir_dev);
	put_u64(&b, c->dir_ino);
	put_u64(&b, (uint64_t)c->dir_ctime);
	put_u32(&b, complete ? 1 : 0);
	put_u32(&b, c->nitems);
	/* the payload is the items, from the old file or from fresh */
	size_t total = 0;
	for (uint32_t i = 0; i < c->nitems; i++)
		total += c->items[i].len;
	struct hasher x;
	hash_init(&x, total);
	for (uint32_t i = 0; i < c->nitems; i++) {
		const struct hitem *it = &c->items[i];
		hash_add(&x, it->raw ? it->raw : c->fresh.buf + it->off, it->len);
	}
	put_u64(&b, hash_end(&x));
	struct out *o = out_open(c->dir, c->path);
	out_add(o, b.buf, b.len);
	for (uint32_t i = 0; i < c->nitems; i++) {
		const struct hitem *it = &c->items[i];
		out_add(o, it->raw ? it->raw : c->fresh.buf + it->off, it->len);
	}
	out_close(o);
	sb_free(&b);
}

bool hcache_listing(struct hcache *c, const char ***names, uint32_t *n,
                    struct arena *a)
{
	if (!c)
		return false;
	if (!c->loaded) {
		c->loaded = true;
		load(c, c->arena);
	}
	if (!c->listing)
		return false;
	/* a listing names files in the directory itself: a name with a slash
	 * or a control character comes from a damaged or forged file, and the
	 * directory is read instead */
	for (uint32_t i = 0; i < c->nents; i++)
		for (const unsigned char *p = (const unsigned char *)c->ents[i].name; *p; p++)
			if (*p == '/' || *p < 0x20 || *p == 0x7f)
				return false;
	const char **v = arena_alloc(a, (c->nents ? c->nents : 1) * sizeof(*v));
	for (uint32_t i = 0; i < c->nents; i++)
		v[i] = c->ents[i].name;
	*names = v;
	*n = c->nents;
	return true;
}

void hcache_discard(struct hcache *c)
{
	if (!c)
		return;
	free(c->ents);
	free(c->items);
	sb_free(&c->fresh);
	free(c->path);
	free(c->dir);
	free(c);
}

void hcache_close(struct hcache *c, uint32_t nscripts)
{
	if (!c)
		return;
	/* Complete: every script of the directory is in the file. Written
	 * again while the listing cannot be trusted, so that it can be once
	 * the directory has settled. */
	bool complete = c->nitems == nscripts;
	if (c->dirty || c->hits != c->nents || (complete && !c->listing))
		save(c, complete);
	hcache_discard(c);
}

/* ---- the graph image ----
 *
 * A directory whose scripts have all been read before is loaded whole:
 * the graph is kept as an image (<dev>-<ino>.img beside the entries) in
 * which every pointer is an offset from the start of its body, and loading
 * it is one read, one stat per script to check that none changed, and
 * turning offsets back into pointers. Layout: "RETORTGI", u32 format,
 * u32 0x01020304, str version, u64 written_at, dir device, dir inode, dir
 * status-change time, u64 layout, u64 body size, u64 body hash, then the
 * body (offset 0 is never an object: it stands for NULL). The body starts
 * with a u64 offset of the graph record; each script's identity follows
 * its node. Nodes, labels and identities are stored as the structs' own
 * bytes: the layout is a fingerprint of those structs (hcache_image_layout), so
 * that a retort whose structs differ (another compiler, an edited header
 * without a new version string) reads no image written by another. */

#define GI_MAGIC "RETORTGI"
#define GI_FORMAT HCACHE_IMAGE_FORMAT

struct gi_graph {          /* the graph record */
	uint64_t dir, nodes, idents, sorted_ids, sorted_idx, labels;
	uint64_t heads, bases, branchpoints, mergepoints;
	uint32_t n, nlabels, nheads, nbases, nbranchpoints, nmergepoints;
};

/* The size and the offset of every field of each struct the image holds
 * as raw bytes. */
#define GI_FIELD(type, field) offsetof(type, field), sizeof(((type *)0)->field)
uint64_t hcache_image_layout(void)
{
	static const uint64_t layout[] = {
		sizeof(void *), sizeof(size_t), sizeof(bool), sizeof(enum script_txn),
		sizeof(struct script),
		GI_FIELD(struct script, path), GI_FIELD(struct script, rev),
		GI_FIELD(struct script, message), GI_FIELD(struct script, create_date),
		GI_FIELD(struct script, doc), GI_FIELD(struct script, format),
		GI_FIELD(struct script, parents), GI_FIELD(struct script, labels),
		GI_FIELD(struct script, depends), GI_FIELD(struct script, nparents),
		GI_FIELD(struct script, nlabels), GI_FIELD(struct script, ndepends),
		GI_FIELD(struct script, txn), GI_FIELD(struct script, has_downgrade),
		GI_FIELD(struct script, rev_line), GI_FIELD(struct script, revises_line),
		GI_FIELD(struct script, labels_line), GI_FIELD(struct script, depends_line),
		GI_FIELD(struct script, up_off), GI_FIELD(struct script, up_len),
		GI_FIELD(struct script, down_off), GI_FIELD(struct script, down_len),
		GI_FIELD(struct script, up_line), GI_FIELD(struct script, down_line),
		sizeof(struct gnode),
		GI_FIELD(struct gnode, s), GI_FIELD(struct gnode, parents),
		GI_FIELD(struct gnode, children), GI_FIELD(struct gnode, deps),
		GI_FIELD(struct gnode, dependents), GI_FIELD(struct gnode, nparents),
		GI_FIELD(struct gnode, nchildren), GI_FIELD(struct gnode, ndeps),
		GI_FIELD(struct gnode, ndependents), GI_FIELD(struct gnode, branch),
		GI_FIELD(struct gnode, nbranch),
		sizeof(struct graph_label),
		GI_FIELD(struct graph_label, name), GI_FIELD(struct graph_label, rev),
		sizeof(struct hcache_ident),
		GI_FIELD(struct hcache_ident, dev), GI_FIELD(struct hcache_ident, ino),
		GI_FIELD(struct hcache_ident, size), GI_FIELD(struct hcache_ident, mode),
		GI_FIELD(struct hcache_ident, mtime), GI_FIELD(struct hcache_ident, ctime),
		sizeof(struct gi_graph),
	};
	return hcache_hash(layout, sizeof(layout));
}
#undef GI_FIELD

void hcache_ident_of(const struct stat *st, struct hcache_ident *id)
{
	id->dev = (uint64_t)st->st_dev;
	id->ino = (uint64_t)st->st_ino;
	id->size = (uint64_t)st->st_size;
	id->mode = (uint64_t)st->st_mode;
	id->mtime = ts_ns(&st->st_mtim);
	id->ctime = ts_ns(&st->st_ctim);
}

static char *image_path(const struct hcache *c)
{
	size_t n = strlen(c->path);
	char *p = xstrdup(c->path);
	memcpy(p + n - 3, "img", 3);
	return p;
}

/* -- writing: a body where pointers are offsets -- */

/* Appends n bytes aligned to `align` (the body is read to a 16-byte
 * boundary, so any alignment up to 16 holds once loaded). */
static uint64_t w_bytes(struct strbuf *b, const void *p, size_t n, size_t align)
{
	while (b->len % align)
		sb_addc(b, '\0');
	uint64_t off = b->len;
	sb_addn(b, p, n);
	return off;
}

static uint64_t w_str(struct strbuf *b, const char *s)
{
	return s ? w_bytes(b, s, strlen(s) + 1, 1) : 0;
}

static uint64_t w_u32s(struct strbuf *b, const uint32_t *v, uint32_t n)
{
	static const uint32_t none = 0;
	return v ? w_bytes(b, n ? v : &none, (n ? n : 1) * sizeof(*v), sizeof(*v)) : 0;
}

static uint64_t w_strs(struct strbuf *b, const char *const *v, uint32_t n)
{
	if (!v)
		return 0;
	uint64_t *offs = xcalloc(n ? n : 1, sizeof(*offs));
	for (uint32_t i = 0; i < n; i++)
		offs[i] = w_str(b, v[i]);
	uint64_t off = w_bytes(b, offs, (n ? n : 1) * sizeof(*offs), sizeof(*offs));
	free(offs);
	return off;
}

/* Appends n zero bytes aligned to `align`; the offset of the first. */
static uint64_t w_reserve(struct strbuf *b, size_t n, size_t align)
{
	while (b->len % align)
		sb_addc(b, '\0');
	uint64_t off = b->len;
	sb_grow(b, n + 1);
	memset(b->buf + b->len, 0, n + 1);
	b->len += n;
	return off;
}

#define AS_PTR(off) ((void *)(uintptr_t)(off))

void hcache_image_put(struct hcache *c, const struct graph *g,
                      const struct hcache_ident *ids, const uint32_t *which)
{
	if (!c)
		return;
	/* Only a graph every part of which can be trusted next time. */
	for (uint32_t k = 0; k < g->n; k++)
		if (!settled(ids[which[k]].ctime, c->now))
			return;
	if (!settled(c->dir_ctime, c->now))
		return;
	struct strbuf b = STRBUF_INIT;
	struct gi_graph gr = {0};
	uint64_t zero = 0;
	w_bytes(&b, &zero, 8, 8);  /* the graph record's offset, patched below */
	gr.dir = w_str(&b, g->dir);
	/* The nodes and identities in place, each node filled in once the
	 * objects it points to are written (no copy of the whole array). */
	gr.nodes = w_reserve(&b, (g->n ? g->n : 1) * sizeof(struct gnode), 16);
	gr.idents = w_reserve(&b, (g->n ? g->n : 1) * sizeof(struct hcache_ident), 16);
	for (uint32_t k = 0; k < g->n; k++) {
		const struct gnode *x = &g->nodes[k];
		struct gnode node = *x, *y = &node;
		y->s.path = AS_PTR(w_str(&b, x->s.path));
		y->s.rev = AS_PTR(w_str(&b, x->s.rev));
		y->s.message = AS_PTR(w_str(&b, x->s.message));
		y->s.create_date = AS_PTR(w_str(&b, x->s.create_date));
		y->s.doc = AS_PTR(w_str(&b, x->s.doc));
		y->s.parents = AS_PTR(w_strs(&b, x->s.parents, x->s.nparents));
		y->s.labels = AS_PTR(w_strs(&b, x->s.labels, x->s.nlabels));
		y->s.depends = AS_PTR(w_strs(&b, x->s.depends, x->s.ndepends));
		y->parents = AS_PTR(w_u32s(&b, x->parents, x->nparents));
		y->children = AS_PTR(w_u32s(&b, x->children, x->nchildren));
		y->deps = AS_PTR(w_u32s(&b, x->deps, x->ndeps));
		y->dependents = AS_PTR(w_u32s(&b, x->dependents, x->ndependents));
		y->branch = AS_PTR(w_strs(&b, x->branch, x->nbranch));
		memcpy(b.buf + gr.nodes + k * sizeof(node), &node, sizeof(node));
		memcpy(b.buf + gr.idents + k * sizeof(ids[0]), &ids[which[k]], sizeof(ids[0]));
	}
	gr.sorted_ids = w_strs(&b, g->sorted_ids, g->n);
	gr.sorted_idx = w_u32s(&b, g->sorted_idx, g->n);
	struct graph_label *labels = xcalloc(g->nlabels ? g->nlabels : 1, sizeof(*labels));
	for (uint32_t l = 0; l < g->nlabels; l++) {
		labels[l].name = AS_PTR(w_str(&b, g->labels[l].name));
		labels[l].rev = g->labels[l].rev;
	}
	gr.labels = w_bytes(&b, labels, (g->nlabels ? g->nlabels : 1) * sizeof(*labels), 16);
	free(labels);
	gr.heads = w_u32s(&b, g->heads, g->nheads);
	gr.bases = w_u32s(&b, g->bases, g->nbases);
	gr.branchpoints = w_u32s(&b, g->branchpoints, g->nbranchpoints);
	gr.mergepoints = w_u32s(&b, g->mergepoints, g->nmergepoints);
	gr.n = g->n;
	gr.nlabels = g->nlabels;
	gr.nheads = g->nheads;
	gr.nbases = g->nbases;
	gr.nbranchpoints = g->nbranchpoints;
	gr.nmergepoints = g->nmergepoints;
	uint64_t at = w_bytes(&b, &gr, sizeof(gr), 16);
	memcpy(b.buf, &at, 8);

	struct strbuf f = STRBUF_INIT;
	sb_addn(&f, GI_MAGIC, 8);
	put_u32(&f, GI_FORMAT);
	put_u32(&f, HC_ENDIAN);
	put_str(&f, PACKAGE_VERSION);
	put_u64(&f, (uint64_t)c->now);
	put_u64(&f, c->dir_dev);
	put_u64(&f, c->dir_ino);
	put_u64(&f, (uint64_t)c->dir_ctime);
	put_u64(&f, hcache_image_layout());
	put_u64(&f, b.len);
	put_u64(&f, hcache_hash(b.buf, b.len));
	while (f.len % 16)  /* the body is read to a 16-byte boundary */
		sb_addc(&f, '\0');
	char *path = image_path(c);
	struct out *o = out_open(c->dir, path);
	out_add(o, f.buf, f.len);
	out_add(o, b.buf, b.len);
	out_close(o);
	free(path);
	sb_free(&f);
	sb_free(&b);
}

/* -- reading: offsets back to pointers, every one checked -- */

struct fix {
	char *base;
	uint64_t size;
	bool bad;
};

static void *fix_arr(struct fix *f, const void *field, uint64_t elem, uint64_t n,
                     bool nullable)
{
	uint64_t off = (uint64_t)(uintptr_t)field;
	if (off == 0) {
		f->bad |= !nullable;
		return NULL;
	}
	if (n == 0)
		n = 1;
	/* aligned for its elements (at most 8: the body is 16-aligned) */
	if (off % (elem < 8 ? elem : 8) || off >= f->size || n > (f->size - off) / elem) {
		f->bad = true;
		return NULL;
	}
	return f->base + off;
}

static const char *fix_str(struct fix *f, const char *field, bool nullable)
{
	uint64_t off = (uint64_t)(uintptr_t)field;
	if (off == 0) {
		f->bad |= !nullable;
		return NULL;
	}
	if (off >= f->size || !memchr(f->base + off, '\0', f->size - off)) {
		f->bad = true;
		return NULL;
	}
	return f->base + off;
}

static const char **fix_strs(struct fix *f, const char **field, uint32_t n)
{
	if (!field)
		return NULL;
	const char **v = fix_arr(f, field, sizeof(*v), n, false);
	for (uint32_t i = 0; v && i < n; i++)
		v[i] = fix_str(f, v[i], false);
	return v;
}

static uint32_t *fix_idx(struct fix *f, uint32_t *field, uint32_t count, uint32_t n)
{
	uint32_t *v = fix_arr(f, field, sizeof(*v), count, false);
	for (uint32_t i = 0; v && i < count; i++)
		f->bad |= v[i] >= n;
	return v;
}

static bool fix_graph(struct fix *f, struct graph *g)
{
	uint64_t at;
	memcpy(&at, f->base, 8);
	struct gi_graph *gr = fix_arr(f, AS_PTR(at), sizeof(*gr), 1, false);
	if (!gr)
		return false;
	uint32_t n = gr->n;
	g->dir = fix_str(f, AS_PTR(gr->dir), false);
	g->nodes = fix_arr(f, AS_PTR(gr->nodes), sizeof(*g->nodes), n, false);
	g->n = n;
	for (uint32_t k = 0; g->nodes && k < n && !f->bad; k++) {
		struct gnode *x = &g->nodes[k];
		x->s.path = fix_str(f, x->s.path, false);
		x->s.rev = fix_str(f, x->s.rev, false);
		x->s.message = fix_str(f, x->s.message, false);
		x->s.create_date = fix_str(f, x->s.create_date, true);
		x->s.doc = fix_str(f, x->s.doc, true);
		f->bad |= x->s.format >= SCRIPT_FORMAT_COUNT;
		x->s.parents = fix_strs(f, x->s.parents, x->s.nparents);
		x->s.labels = fix_strs(f, x->s.labels, x->s.nlabels);
		x->s.depends = fix_strs(f, x->s.depends, x->s.ndepends);
		x->parents = fix_idx(f, x->parents, x->nparents, n);
		x->children = fix_idx(f, x->children, x->nchildren, n);
		x->deps = fix_idx(f, x->deps, x->ndeps, n);
		x->dependents = fix_idx(f, x->dependents, x->ndependents, n);
		x->branch = fix_strs(f, x->branch, x->nbranch);
		f->bad |= (x->nparents && !x->s.nparents) || (x->nbranch && !x->branch) ||
		          (x->s.nparents && !x->s.parents) || (x->s.nlabels && !x->s.labels) ||
		          (x->s.ndepends && !x->s.depends);
	}
	g->sorted_ids = fix_strs(f, AS_PTR(gr->sorted_ids), n);
	g->sorted_idx = fix_idx(f, AS_PTR(gr->sorted_idx), n, n);
	g->labels = fix_arr(f, AS_PTR(gr->labels), sizeof(*g->labels), gr->nlabels, false);
	g->nlabels = gr->nlabels;
	for (uint32_t l = 0; g->labels && l < g->nlabels && !f->bad; l++) {
		g->labels[l].name = fix_str(f, g->labels[l].name, false);
		f->bad |= g->labels[l].rev >= n;
	}
	g->heads = fix_idx(f, AS_PTR(gr->heads), gr->nheads, n);
	g->bases = fix_idx(f, AS_PTR(gr->bases), gr->nbases, n);
	g->branchpoints = fix_idx(f, AS_PTR(gr->branchpoints), gr->nbranchpoints, n);
	g->mergepoints = fix_idx(f, AS_PTR(gr->mergepoints), gr->nmergepoints, n);
	g->nheads = gr->nheads;
	g->nbases = gr->nbases;
	g->nbranchpoints = gr->nbranchpoints;
	g->nmergepoints = gr->nmergepoints;
	return !f->bad && g->nodes && g->dir;
}

/* Every node's header passes what decode() checks of an entry, and its
 * flag has a value a bool may hold (the image's bytes are not trusted to). */
static bool headers_valid(const struct graph *g, const struct hcache_ident *ids)
{
	for (uint32_t k = 0; k < g->n; k++) {
		const struct script *s = &g->nodes[k].s;
		unsigned char down;
		memcpy(&down, &s->has_downgrade, 1);
		if (down > 1 || g->nodes[k].nparents != s->nparents ||
		    !header_valid(s, ids[k].size))
			return false;
	}
	return true;
}

/* Checks that every script still has the identity it had: one stat per
 * script, spread over the cores (par.h). */
struct unchanged {
	const struct graph *g;
	const struct hcache_ident *ids;
	int dfd;
	int64_t written_at;
	size_t dl;
	atomic_bool changed;
};

static void check_range(void *ctx, unsigned worker, uint32_t begin, uint32_t end)
{
	(void)worker;
	struct unchanged *u = ctx;
	for (uint32_t k = begin; k < end && !atomic_load_explicit(&u->changed, memory_order_relaxed); k++) {
		const char *path = u->g->nodes[k].s.path;
		struct stat st;
		struct hcache_ident now;
		if (strncmp(path, u->g->dir, u->dl) != 0 || path[u->dl] != '/' ||
		    !settled(u->ids[k].ctime, u->written_at) ||
		    fstatat(u->dfd, path + u->dl + 1, &st, 0) != 0 || !S_ISREG(st.st_mode)) {
			atomic_store(&u->changed, true);
			return;
		}
		hcache_ident_of(&st, &now);
		if (memcmp(&now, &u->ids[k], sizeof(now)) != 0) {
			atomic_store(&u->changed, true);
			return;
		}
	}
}

static bool scripts_unchanged(const struct graph *g, const struct hcache_ident *ids,
                              int dfd, int64_t written_at)
{
	struct unchanged u = {g, ids, dfd, written_at, strlen(g->dir), false};
	par_for(g->n, PAR_STAT_CHUNK, check_range, &u);
	return !atomic_load(&u.changed);
}

bool hcache_image_get(struct hcache *c, const char *dir, int dfd, struct graph *g)
{
	if (!c)
		return false;
	char *path = image_path(c);
	size_t n = 0;
	char *buf = read_private(path, c->arena, &n);
	free(path);
	if (!buf)
		return false;
	struct rd r = {buf, buf + n, false};
	if (n < 8 || memcmp(buf, GI_MAGIC, 8) != 0)
		return false;
	r.p += 8;
	if (get_u32(&r) != GI_FORMAT || get_u32(&r) != HC_ENDIAN)
		return false;
	const char *version = get_str(&r);
	if (!version || strcmp(version, PACKAGE_VERSION) != 0)
		return false;
	int64_t written_at = (int64_t)get_u64(&r);
	uint64_t dev = get_u64(&r), ino = get_u64(&r);
	int64_t dir_ctime = (int64_t)get_u64(&r);
	uint64_t layout = get_u64(&r);
	uint64_t size = get_u64(&r), hash = get_u64(&r);
	while (!r.bad && (r.p - buf) % 16)
		r.p++;
	if (r.bad || r.p > r.end || layout != hcache_image_layout() ||
	    dev != c->dir_dev || ino != c->dir_ino ||
	    dir_ctime != c->dir_ctime || !settled(dir_ctime, written_at) ||
	    size != (uint64_t)(r.end - r.p) || size < 8 || hcache_hash(r.p, size) != hash)
		return false;
	/* The body is 16-byte aligned (buf is), as it was written. */
	char *body = (char *)r.p;
	struct fix f = {body, size, false};
	struct graph img = {0};
	if (!fix_graph(&f, &img) || strcmp(img.dir, dir) != 0)
		return false;
	uint64_t at;
	memcpy(&at, body, 8);
	const struct gi_graph *gr = (const struct gi_graph *)(body + at);
	const struct hcache_ident *ids = fix_arr(&f, AS_PTR(gr->idents), sizeof(*ids), img.n, false);
	if (!ids || !headers_valid(&img, ids) || !scripts_unchanged(&img, ids, dfd, written_at))
		return false;
	img.arena = g->arena;
	*g = img;
	strmap_init(&g->ids, g->n);
	for (uint32_t k = 0; k < g->n; k++)
		strmap_put(&g->ids, g->nodes[k].s.rev, k);
	strmap_init(&g->label_map, g->nlabels);
	for (uint32_t l = 0; l < g->nlabels; l++)
		strmap_put(&g->label_map, g->labels[l].name, l);
	g->ncached = g->n;
	return true;
}
