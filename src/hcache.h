/* hcache.h: the cache of parsed script headers.
 *
 * Reading a history means opening, reading and parsing every script; on a
 * long history that is most of the time of `heads` or `history`. The cache
 * keeps each script's parsed header (struct script) in one file per
 * versions directory, under $RETORT_CACHE, else $XDG_CACHE_HOME/retort,
 * else ~/.cache/retort (RETORT_CACHE=off turns it off). An entry is used
 * only when the script's stat(2) identity is unchanged: device, inode,
 * size, mode, modification and status-change times to the nanosecond.
 * The status-change time cannot be set by a user, so an edit in place
 * (even one that restores the modification time) misses. An entry whose
 * file changed less than a second before the cache was written is not
 * trusted (timestamps are coarser than the clock): it is read again.
 * Likewise the directory: while its status-change time is the one
 * recorded, it holds the scripts recorded, and is not listed again.
 *
 * The cache never decides what a command does: an unreadable, corrupt,
 * foreign or stale cache file is ignored and rewritten, and failing to
 * write it is silent. Checksums and SQL are always read from the scripts. */
#ifndef RT_HCACHE_H
#define RT_HCACHE_H

#include <stdbool.h>
#include <sys/stat.h>

#include "script.h"
#include "util.h"

struct hcache;

/* The cache of the scripts of format fmt in the directory open as dfd,
 * NULL when the cache is off or has no place to live. A cache file that
 * exists is read into a (the graph's arena: strings of the entries handed
 * out point into it). */
struct hcache *hcache_open(int dfd, const struct script_format *fmt, struct arena *a);

/* A script's identity: what stat(2) says that any change would alter. */
struct hcache_ident {
	uint64_t dev, ino, size, mode;
	int64_t mtime, ctime;   /* ns */
};
void hcache_ident_of(const struct stat *st, struct hcache_ident *id);

/* When the cache holds a trusted entry for script `name` whose identity
 * is id, fills *s from it (s->path = path; arrays allocated in a) and
 * returns true. Names must be asked in ascending strcmp order. */
bool hcache_get(struct hcache *c, const char *name, const struct hcache_ident *id,
                const char *path, struct arena *a, struct script *s);

/* Whether hcache_get would find a trusted entry for script `name` of the
 * directory dfd (unless the entry fails to decode), *id then being the
 * script's identity. The script is stat-ed only when the cache has an
 * entry of that name: a script the cache has never seen costs nothing
 * more. Only reads c: several threads may ask at once, while nothing
 * else uses c. */
bool hcache_has(const struct hcache *c, int dfd, const char *name, struct hcache_ident *id);

/* Records the script just parsed from `name`, id being the identity the
 * file had before it was read. */
void hcache_put(struct hcache *c, const char *name, const struct hcache_ident *id,
                const struct script *s);

/* When the directory has not changed since the cache listed every script
 * in it, *names (allocated in a, strings borrowed from the cache) are the
 * names of its scripts in ascending strcmp order, and the directory need
 * not be read. False otherwise. */
bool hcache_listing(struct hcache *c, const char ***names, uint32_t *n,
                    struct arena *a);

/* Writes the cache file when it changed (atomically, mode 0600) and frees
 * c; nscripts is how many scripts the directory holds. NULL is allowed. */
void hcache_close(struct hcache *c, uint32_t nscripts);
/* Frees c without writing anything (the directory could not be read). */
void hcache_discard(struct hcache *c);

/* The graph image: a whole graph, kept when every script was read and
 * loaded whole when none has changed since (one stat per script). */
struct graph;
/* Fills *g (its arena set up; everything else is overwritten) from the
 * image of dir when the directory and every script are unchanged. */
bool hcache_image_get(struct hcache *c, const char *dir, int dfd, struct graph *g);
/* Keeps g; ids[which[k]] is the identity node k's script had when read. */
void hcache_image_put(struct hcache *c, const struct graph *g,
                      const struct hcache_ident *ids, const uint32_t *which);

/* The directory that holds cache files (malloc'd), or NULL when off. */
char *hcache_dir(void);

/* The file format, for tests and tools: 64-bit hash of a byte range; the
 * format numbers of the entries and of the graph image; the fingerprint of
 * the structs the image stores as bytes. */
uint64_t hcache_hash(const void *data, size_t len);
#define HCACHE_FORMAT 5u
#define HCACHE_IMAGE_FORMAT 5u
uint64_t hcache_image_layout(void);

#endif
