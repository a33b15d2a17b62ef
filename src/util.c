/* util.c: see util.h. */

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const struct {
	int code;
	const char *text;
} status_table[] = {
#define RT_X(name, code, text) {code, text},
	RT_STATUS_LIST(RT_X)
#undef RT_X
};

int rt_status_exit(enum rt_status status)
{
	if ((size_t)status >= RT_ARRAY_LEN(status_table))
		return 1;
	return status_table[status].code;
}

const char *rt_status_text(enum rt_status status)
{
	if ((size_t)status >= RT_ARRAY_LEN(status_table))
		return "unknown status";
	return status_table[status].text;
}

static void oom(void)
{
	fputs("retort: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		oom();
	char *p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

enum rt_status rt_err(char **err, enum rt_status status, const char *fmt, ...)
{
	if (!err)
		return status;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (*err) {
		/* realloc, not a fresh copy: a validator may append 100,000
		 * problems, and copying the whole text each time is quadratic */
		size_t old = strlen(*err), add = strlen(msg);
		*err = xrealloc(*err, old + add + 2);
		(*err)[old] = '\n';
		memcpy(*err + old + 1, msg, add + 1);
		free(msg);
	} else {
		*err = msg;
	}
	return status;
}

/* ---- strbuf ---- */

void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_grow(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < sb->len + extra + 1)
		cap *= 2;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_add_json_str(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	if (!s) {
		sb_addc(sb, '"');
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': sb_adds(sb, "\\\""); break;
		case '\\': sb_adds(sb, "\\\\"); break;
		case '\n': sb_adds(sb, "\\n"); break;
		case '\r': sb_adds(sb, "\\r"); break;
		case '\t': sb_adds(sb, "\\t"); break;
		default:
			if (*p < 0x20)
				sb_addf(sb, "\\u%04x", *p);
			else
				sb_addc(sb, (char)*p);
		}
	}
	sb_addc(sb, '"');
}

char *sb_detach(struct strbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");
	sb_init(sb);
	return p;
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

/* ---- arena ---- */

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 65536

void arena_init(struct arena *a)
{
	a->head = NULL;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = arena_alloc_raw(a, n);
	memset(p, 0, (n + 15) & ~(size_t)15);  /* the padding too, as ever */
	return p;
}

void *arena_alloc_raw(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct arena_block *b = a->head;
	if (!b || b->used + n > b->size) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		struct arena_block *nb = xmalloc(sizeof(*nb) + size);
		nb->used = 0;
		nb->size = size;
		if (n > ARENA_BLOCK / 4 && b) {
			/* Large allocations get their own block behind the current
			 * one so the current block's free space is not wasted. */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

void arena_adopt(struct arena *a, struct arena *from)
{
	struct arena_block *first = from->head;
	if (!first)
		return;
	struct arena_block *last = first;
	while (last->next)
		last = last->next;
	/* behind a's current block, which stays the one allocated from */
	if (a->head) {
		last->next = a->head->next;
		a->head->next = first;
	} else {
		a->head = first;
	}
	from->head = NULL;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void mem_prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	long page = sysconf(_SC_PAGESIZE);
	if (page <= 0)
		return;
	uintptr_t mask = (uintptr_t)page - 1;
	uintptr_t from = ((uintptr_t)p + mask) & ~mask, to = ((uintptr_t)p + n) & ~mask;
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

/* ---- strmap (FNV-1a, linear probing) ---- */

static uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void strmap_init(struct strmap *m, uint32_t expected)
{
	uint32_t cap = 16;
	while (cap < expected * 2)
		cap *= 2;
	m->keys = xcalloc(cap, sizeof(*m->keys));
	m->vals = xcalloc(cap, sizeof(*m->vals));
	m->cap = cap;
	m->count = 0;
}

void strmap_free(struct strmap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->count = 0;
}

static void strmap_rehash(struct strmap *m)
{
	struct strmap n;
	strmap_init(&n, m->cap);
	for (uint32_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			strmap_put(&n, m->keys[i], m->vals[i]);
	strmap_free(m);
	*m = n;
}

bool strmap_put(struct strmap *m, const char *key, uint32_t val)
{
	if ((m->count + 1) * 2 > m->cap)
		strmap_rehash(m);
	uint32_t i = str_hash(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (strcmp(m->keys[i], key) == 0)
			return false;
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->count++;
	return true;
}

bool strmap_get(const struct strmap *m, const char *key, uint32_t *val)
{
	if (!m->cap)
		return false;
	uint32_t i = str_hash(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (strcmp(m->keys[i], key) == 0) {
			if (val)
				*val = m->vals[i];
			return true;
		}
		i = (i + 1) & (m->cap - 1);
	}
	return false;
}

/* ---- bitset, u32vec ---- */

void bitset_init(struct bitset *b, uint32_t n)
{
	b->n = n;
	b->w = xcalloc((n + 63) / 64 + 1, sizeof(uint64_t));
}

void bitset_free(struct bitset *b)
{
	free(b->w);
	b->w = NULL;
	b->n = 0;
}

void bitset_clear_all(struct bitset *b)
{
	memset(b->w, 0, ((b->n + 63) / 64 + 1) * sizeof(uint64_t));
}

void u32vec_push(struct u32vec *v, uint32_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = xrealloc(v->v, v->cap * sizeof(*v->v));
	}
	v->v[v->n++] = x;
}

void u32vec_free(struct u32vec *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

bool u32vec_contains(const struct u32vec *v, uint32_t x)
{
	for (uint32_t i = 0; i < v->n; i++)
		if (v->v[i] == x)
			return true;
	return false;
}

/* ---- files ---- */

int read_file_at(int dfd, const char *name, const char *path, char **out,
                 size_t *len, struct stat *stp, char **err)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (it is then
	 * refused below); reads of a regular file ignore the flag */
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return rt_err(err, RT_EINPUT, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return rt_err(err, RT_EINPUT, "%s: not a regular file", path);
	}
	/* The size fstat gives bounds the read: no further read() is spent on
	 * finding the end (loading a long history is mostly system calls). */
	if (stp)
		*stp = st;
	size_t size = (size_t)st.st_size, n = 0;
	char *buf = xmalloc(size + 1);
	while (n < size) {
		ssize_t r = read(fd, buf + n, size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			free(buf);
			return rt_err(err, RT_EINPUT, "%s: %s", path, strerror(e));
		}
		if (r == 0) /* it shrank since fstat */
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return RT_OK;
}

int read_file(const char *path, char **out, size_t *len, char **err)
{
	return read_file_at(AT_FDCWD, path, path, out, len, NULL, err);
}

bool write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
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

int mkdir_p(const char *path, unsigned mode, char **err)
{
	char *p = xstrdup(path);
	int rc = RT_OK;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char saved = *s;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
			rc = rt_err(err, RT_EFAIL, "%s: %s", p, strerror(errno));
			break;
		}
		*s = saved;
		if (!saved)
			break;
	}
	free(p);
	return rc;
}

bool utf8_valid(const char *s, size_t len, uint32_t *bad_line)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	uint32_t line = 1;
	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			if (c == '\n')
				line++;
			p++;
			continue;
		}
		int n;
		unsigned min;
		if ((c & 0xE0) == 0xC0) { n = 1; min = 0x80; c &= 0x1F; }
		else if ((c & 0xF0) == 0xE0) { n = 2; min = 0x800; c &= 0x0F; }
		else if ((c & 0xF8) == 0xF0) { n = 3; min = 0x10000; c &= 0x07; }
		else goto bad;
		if (end - p <= n)
			goto bad;
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				goto bad;
			c = (c << 6) | (p[i] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			goto bad;
		p += n + 1;
	}
	return true;
bad:
	if (bad_line)
		*bad_line = line;
	return false;
}

bool ident_valid(const char *s)
{
	if (!s || !*s)
		return false;
	size_t n = 0;
	for (const char *p = s; *p; p++, n++) {
		char c = *p;
		bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
		if (!alpha && !(p != s && c >= '0' && c <= '9'))
			return false;
	}
	return n <= 63;
}

double now_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *env_trusted(const char *name)
{
#ifdef HAVE_SECURE_GETENV
	return secure_getenv(name);
#else
	if (getuid() != geteuid() || getgid() != getegid())
		return NULL;
	return getenv(name);
#endif
}

bool os_user_name(char *buf, size_t size)
{
	/* getpwuid_r: a fleet's runs ask on several threads at once */
	struct passwd pw, *found = NULL;
	char space[4096];
	if (getpwuid_r(geteuid(), &pw, space, sizeof space, &found) != 0 || !found ||
	    !found->pw_name || !*found->pw_name)
		return false;
	snprintf(buf, size, "%s", found->pw_name);
	return true;
}
