/* util.h: small building blocks shared by every module: string buffers,
 * an arena, a string-to-index hash map, bitsets and error text.
 *
 * Ownership: a strbuf owns its buffer (sb_free or sb_detach); an arena owns
 * everything allocated from it until arena_free; a strmap borrows its keys
 * (they must outlive the map, typically in the same arena). */
#ifndef RT_UTIL_H
#define RT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define RT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define RT_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Allocation failure is not recoverable in a command-line tool: these abort
 * with a message instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) RT_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) RT_PRINTF(1, 0);

/* Error text, sqlite3_exec style: *err receives a malloc'd message that the
 * caller frees. rt_err replaces nothing: if *err is already set the new text
 * is appended on a new line, so validators can report every problem. Both
 * return the given status so that `return rt_err(err, RT_EINPUT, ...)` reads
 * naturally. err may be NULL (the text is dropped). */
enum rt_status rt_err(char **err, enum rt_status status, const char *fmt, ...) RT_PRINTF(3, 4);

/* ---- strbuf: a growable NUL-terminated string ---- */
struct strbuf {
	char *buf; /* owned; always NUL-terminated once anything is appended */
	size_t len;
	size_t cap;
};
#define STRBUF_INIT {NULL, 0, 0}
void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);           /* len = 0, keeps capacity */
void sb_grow(struct strbuf *sb, size_t extra);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) RT_PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) RT_PRINTF(2, 0);
/* JSON string literal with quotes and escapes. */
void sb_add_json_str(struct strbuf *sb, const char *s);
/* Returns the buffer (caller frees; never NULL) and resets sb. */
char *sb_detach(struct strbuf *sb);
/* A C string view: "" when nothing was appended. Borrowed. */
const char *sb_str(const struct strbuf *sb);

/* ---- arena: bump allocation, freed all at once ---- */
struct arena_block;
struct arena {
	struct arena_block *head;
};
void arena_init(struct arena *a);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);   /* zeroed, 16-byte aligned */
/* The same, not zeroed: for a buffer that is filled at once (read()). */
void *arena_alloc_raw(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Moves every allocation of from into a (freed with it); from is left
 * empty. */
void arena_adopt(struct arena *a, struct arena *from);

/* Maps the pages of [p, p+n) now, in one system call, rather than one
 * fault per page as they are first written (a large buffer about to be
 * filled by read()); does nothing where the system cannot. */
void mem_prefault(void *p, size_t n);

/* ---- strmap: open-addressing map from string to uint32 ---- */
struct strmap {
	const char **keys; /* borrowed */
	uint32_t *vals;
	uint32_t cap;      /* power of two */
	uint32_t count;
};
void strmap_init(struct strmap *m, uint32_t expected);
void strmap_free(struct strmap *m);
/* Returns false (and leaves the old value) if the key exists. */
bool strmap_put(struct strmap *m, const char *key, uint32_t val);
bool strmap_get(const struct strmap *m, const char *key, uint32_t *val);

/* ---- bitset over [0, n) ---- */
struct bitset {
	uint64_t *w;
	uint32_t n;
};
void bitset_init(struct bitset *b, uint32_t n);   /* all clear */
void bitset_free(struct bitset *b);
void bitset_clear_all(struct bitset *b);
static inline bool bitset_get(const struct bitset *b, uint32_t i)
{
	return (b->w[i >> 6] >> (i & 63)) & 1u;
}
static inline void bitset_set(struct bitset *b, uint32_t i)
{
	b->w[i >> 6] |= (uint64_t)1 << (i & 63);
}
static inline void bitset_unset(struct bitset *b, uint32_t i)
{
	b->w[i >> 6] &= ~((uint64_t)1 << (i & 63));
}

/* ---- u32vec: growable array of indices ---- */
struct u32vec {
	uint32_t *v;
	uint32_t n;
	uint32_t cap;
};
void u32vec_push(struct u32vec *v, uint32_t x);
void u32vec_free(struct u32vec *v);
bool u32vec_contains(const struct u32vec *v, uint32_t x);

/* ---- files ---- */
/* Reads a whole file. *out is malloc'd and NUL-terminated (caller frees).
 * On failure returns RT_EINPUT with "path: reason" in *err. */
int read_file(const char *path, char **out, size_t *len, char **err);
/* The same for name relative to the directory dfd (or AT_FDCWD); path is
 * what messages call the file. *st (when not NULL) gets the file's stat
 * as it was before the read. */
struct stat;
int read_file_at(int dfd, const char *name, const char *path, char **out,
                 size_t *len, struct stat *st, char **err);
/* Writes all n bytes to fd (again after EINTR and short writes); false
 * on an error, errno then saying which. */
bool write_all(int fd, const void *data, size_t n);
/* Creates path and its missing parents with mode (like mkdir -p).
 * RT_EFAIL with "dir: reason" in *err. */
int mkdir_p(const char *path, unsigned mode, char **err);
/* True if s is valid UTF-8; on failure *bad_line is the 1-based line. */
bool utf8_valid(const char *s, size_t len, uint32_t *bad_line);
/* Valid SQL identifier for a table name: [A-Za-z_][A-Za-z0-9_]{0,62}. */
bool ident_valid(const char *s);
/* Monotonic time in seconds. */
double now_monotonic(void);
/* getenv for variables that decide what code or files a process trusts
 * (RETORT_LIBPQ, RETORT_LIBSQLITE3): NULL in a process whose privileges
 * were raised (setuid, setgid, file capabilities), as secure_getenv. */
const char *env_trusted(const char *name);

/* The effective user's login name into buf (thread-safe); false when it
 * has none. */
bool os_user_name(char *buf, size_t size);

#endif
