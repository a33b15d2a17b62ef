/* graph.c: loading and validating the revision graph (retort-script(5), VALIDATION). */

#include "graph.h"
#include "hcache.h"
#include "par.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A script as read, before ordering. */
struct raw {
	struct script s;
	uint32_t *par, npar;   /* raw indices */
	uint32_t *dep, ndep;
	uint32_t indeg;
	uint32_t *out, nout, outcap;  /* raw indices that wait for this one */
	uint32_t order;        /* final index */
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Lists the revision files of dir (open as dfd) in fmt, sorted, as arena
 * names; with subdirs, also its subdirectories but __pycache__ (malloc'd
 * full paths, appended). */
static int list_scripts(struct arena *a, const char *dir, int dfd,
                        const struct script_format *fmt, const char ***out, uint32_t *n,
                        char ***subdirs, uint32_t *nsub, char **err)
{
	int fd = dfd >= 0 ? dup(dfd) : -1;
	DIR *d = fd >= 0 ? fdopendir(fd) : opendir(dir);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return rt_err(err, RT_EINPUT, "%s: %s", dir, strerror(errno));
	}
	uint32_t cap = 64, count = 0;
	const char **v = xmalloc(cap * sizeof(*v));
	struct dirent *de;
	while ((de = readdir(d))) {
		if (subdirs && de->d_name[0] != '.' && strcmp(de->d_name, "__pycache__") != 0) {
			bool isdir = de->d_type == DT_DIR;
			struct stat st;
			if (de->d_type == DT_UNKNOWN && dfd >= 0 &&
			    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				isdir = S_ISDIR(st.st_mode);
			if (isdir) {
				*subdirs = xrealloc(*subdirs, (*nsub + 1) * sizeof(**subdirs));
				(*subdirs)[(*nsub)++] = xasprintf("%s/%s", dir, de->d_name);
				continue;
			}
		}
		if (!fmt->wanted(de->d_name))
			continue;
		if (count == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[count++] = arena_strdup(a, de->d_name);
	}
	closedir(d);
	qsort(v, count, sizeof(*v), cmp_str);
	const char **av = arena_alloc(a, (count ? count : 1) * sizeof(*av));
	memcpy(av, v, count * sizeof(*av));
	free(v);
	*out = av;
	*n = count;
	return RT_OK;
}

/* Min-heap of raw indices ordered by (Create Date, revision id). */
struct heap {
	uint32_t *v, n;
	const struct raw *raws;
};

static bool heap_less(const struct heap *h, uint32_t a, uint32_t b)
{
	const struct script *x = &h->raws[a].s, *y = &h->raws[b].s;
	int c = strcmp(x->create_date ? x->create_date : "",
	               y->create_date ? y->create_date : "");
	if (c)
		return c < 0;
	return strcmp(x->rev, y->rev) < 0;
}

static void heap_push(struct heap *h, uint32_t x)
{
	uint32_t i = h->n++;
	h->v[i] = x;
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!heap_less(h, h->v[i], h->v[p]))
			break;
		uint32_t t = h->v[i];
		h->v[i] = h->v[p];
		h->v[p] = t;
		i = p;
	}
}

static uint32_t heap_pop(struct heap *h)
{
	uint32_t top = h->v[0];
	h->v[0] = h->v[--h->n];
	uint32_t i = 0;
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && heap_less(h, h->v[l], h->v[m]))
			m = l;
		if (r < h->n && heap_less(h, h->v[r], h->v[m]))
			m = r;
		if (m == i)
			break;
		uint32_t t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
	return top;
}

static void add_out(struct raw *r, uint32_t to)
{
	if (r->nout == r->outcap) {
		r->outcap = r->outcap ? r->outcap * 2 : 2;
		r->out = xrealloc(r->out, r->outcap * sizeof(*r->out));
	}
	r->out[r->nout++] = to;
}

/* Names the revisions of one cycle among the unordered ones. */
static void report_cycle(struct raw *raws, uint32_t n, const bool *done,
                         char **err)
{
	uint32_t start = 0;
	while (start < n && done[start])
		start++;
	if (start == n)
		return;
	/* Every unordered revision waits on another unordered one (parent or
	 * dependency); walking those edges must come back to a revision. */
	uint32_t *seen = xcalloc(n, sizeof(*seen));
	uint32_t cur = start, step = 1;
	while (!seen[cur]) {
		seen[cur] = step++;
		uint32_t next = cur;
		for (uint32_t i = 0; i < raws[cur].npar && next == cur; i++)
			if (!done[raws[cur].par[i]])
				next = raws[cur].par[i];
		for (uint32_t i = 0; i < raws[cur].ndep && next == cur; i++)
			if (!done[raws[cur].dep[i]])
				next = raws[cur].dep[i];
		if (next == cur && raws[cur].npar == 0)
			break;
		cur = next;
	}
	struct strbuf sb = STRBUF_INIT;
	uint32_t first = cur;
	/* The line to point at: the header key of the first edge walked. */
	uint32_t line = 0;
	do {
		sb_addf(&sb, "%s -> ", raws[cur].s.rev);
		uint32_t next = cur;
		for (uint32_t i = 0; i < raws[cur].npar && next == cur; i++)
			if (!done[raws[cur].par[i]] && seen[raws[cur].par[i]])
				next = raws[cur].par[i];
		if (!line && next != cur)
			line = raws[cur].s.revises_line;
		for (uint32_t i = 0; i < raws[cur].ndep && next == cur; i++)
			if (!done[raws[cur].dep[i]] && seen[raws[cur].dep[i]])
				next = raws[cur].dep[i];
		if (!line)
			line = raws[cur].s.depends_line;
		if (next == cur)
			break;
		cur = next;
	} while (cur != first);
	sb_adds(&sb, raws[first].s.rev);
	rt_err(err, RT_EINPUT, "%s:%u: cycle in the revision graph: %s",
	       raws[first].s.path, line ? line : 1, sb_str(&sb));
	sb_free(&sb);
	free(seen);
}

static uint32_t *arena_copy_u32(struct arena *a, const uint32_t *v, uint32_t n)
{
	uint32_t *p = arena_alloc(a, (n ? n : 1) * sizeof(*p));
	if (n)
		memcpy(p, v, n * sizeof(*p));
	return p;
}

static void collect(struct graph *g, uint32_t **out, uint32_t *n,
                    bool (*pred)(const struct gnode *))
{
	struct u32vec v = {0};
	for (uint32_t i = 0; i < g->n; i++)
		if (pred(&g->nodes[i]))
			u32vec_push(&v, i);
	*out = arena_copy_u32(&g->arena, v.v, v.n);
	*n = v.n;
	u32vec_free(&v);
}

static bool is_head(const struct gnode *x) { return x->nchildren == 0; }
static bool is_base(const struct gnode *x) { return x->nparents == 0; }
static bool is_branchpoint(const struct gnode *x) { return x->nchildren >= 2; }
static bool is_mergepoint(const struct gnode *x) { return x->nparents >= 2; }

/* An id to sort, with its first eight bytes as a number that orders as
 * strcmp does (a shorter id padded with zeros, as strcmp's terminator
 * sorts first): most comparisons end there, without following the
 * pointer. */
struct sort_id {
	uint64_t head;
	const char *rev;
	uint32_t k;
};

static uint64_t id_head(const char *s)
{
	uint64_t h = 0;
	int i = 0;
	for (; i < 8 && s[i]; i++)
		h = h << 8 | (unsigned char)s[i];
	return h << (8 * (8 - i));
}

static int cmp_sort_id(const void *a, const void *b)
{
	const struct sort_id *x = a, *y = b;
	if (x->head != y->head)
		return x->head < y->head ? -1 : 1;
	return strcmp(x->rev, y->rev);
}

/* Resolves a Depends On entry: an exact id, a label, or a unique prefix. */
static int32_t resolve_dep(const struct strmap *ids, const struct strmap *labels,
                           const uint32_t *label_rev, struct raw *raws, uint32_t n,
                           const char *name)
{
	uint32_t v;
	if (strmap_get(ids, name, &v))
		return (int32_t)v;
	if (strmap_get(labels, name, &v))
		return (int32_t)label_rev[v];
	int32_t found = -1;
	size_t len = strlen(name);
	for (uint32_t i = 0; i < n; i++) {
		if (raws[i].s.rev && strncmp(raws[i].s.rev, name, len) == 0) {
			if (found >= 0)
				return -2;
			found = (int32_t)i;
		}
	}
	return found;
}

/* The loader's problems go to a strbuf: a directory may hold 100,000 bad
 * scripts, and rt_err copies the whole text on each append. */
RT_PRINTF(2, 3) static int add_problem(struct strbuf *eb, const char *fmt, ...)
{
	if (eb->len)
		sb_addc(eb, '\n');
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(eb, fmt, ap);
	va_end(ap);
	return RT_EINPUT;
}

/* Moves the problems a callee wrote with rt_err into eb. */
static void take_problems(struct strbuf *eb, char **e)
{
	if (!*e)
		return;
	if (eb->len)
		sb_addc(eb, '\n');
	sb_adds(eb, *e);
	free(*e);
	*e = NULL;
}

/* The reading of the scripts (graph_load), one range of them per worker
 * (par.h). */
struct load_state {
	enum { LOAD_FAILED, LOAD_PARSED, LOAD_CACHED } what;
	char *err;               /* problems, for take_problems */
};
struct load_job {
	const struct script_format *fmt;
	const char *dir;
	size_t dirlen;
	int dfd;                 /* dir, or -1 (then files are opened) */
	const char **names;      /* relative to dir */
	const char **files;      /* the paths scripts are known by (load_one) */
	struct hcache *hc;       /* only asked (hcache_has) by the workers */
	struct raw *raws;        /* by file index: .s */
	struct hcache_ident *idents;  /* by file index, when hc */
	struct load_state *state;     /* by file index */
	struct arena *arenas;    /* one per worker */
};

/* Scripts read per claim of a worker: enough that claiming costs
 * nothing, few enough that the cores finish together. */
#define LOAD_CHUNK 64

/* Script i: its path made (in a), then nothing more when the cache has it
 * (when use_cache), else read and parsed into a. */
static void load_one(struct load_job *j, uint32_t i, struct arena *a, bool use_cache)
{
	struct load_state *ls = &j->state[i];
	if (!j->files[i]) {
		char *p = arena_alloc(a, j->dirlen + strlen(j->names[i]) + 2);
		memcpy(p, j->dir, j->dirlen);
		p[j->dirlen] = '/';
		strcpy(p + j->dirlen + 1, j->names[i]);
		j->files[i] = p;
	}
	const char *name = j->dfd >= 0 ? j->names[i] : j->files[i];
	if (use_cache && j->hc && hcache_has(j->hc, j->dfd, name, &j->idents[i])) {
		ls->what = LOAD_CACHED;
		return;
	}
	struct stat st;
	char *buf;
	size_t len;
	/* Relative to the directory: one path walk per script fewer. */
	ls->what = LOAD_FAILED;
	if (read_file_at(j->dfd >= 0 ? j->dfd : AT_FDCWD, name, j->files[i], &buf, &len, &st,
	                 &ls->err) != RT_OK)
		return;
	if (j->idents)
		hcache_ident_of(&st, &j->idents[i]);
	if (j->fmt->parse(j->files[i], buf, len, a, &j->raws[i].s, &ls->err) == RT_OK)
		ls->what = LOAD_PARSED;
	free(buf);
}

static void load_range(void *ctx, unsigned worker, uint32_t begin, uint32_t end)
{
	struct load_job *j = ctx;
	for (uint32_t i = begin; i < end; i++)
		load_one(j, i, &j->arenas[worker], true);
}

/* The scripts read so far, from every directory, in reading order. */
struct reader {
	struct raw *raws;
	struct hcache_ident *idents;  /* by raw, when the graph image is kept */
	uint32_t n, cap;
	bool keep_idents;
	struct strbuf *eb;
	int status;
};

static void reader_grow(struct reader *rd, uint32_t more)
{
	if (rd->n + more <= rd->cap)
		return;
	rd->cap = rd->n + more > 2 * rd->cap ? rd->n + more : 2 * rd->cap;
	rd->raws = xrealloc(rd->raws, (rd->cap ? rd->cap : 1) * sizeof(*rd->raws));
	memset(rd->raws + rd->n, 0, (rd->cap - rd->n) * sizeof(*rd->raws));
	if (rd->keep_idents)
		rd->idents = xrealloc(rd->idents, (rd->cap ? rd->cap : 1) * sizeof(*rd->idents));
}

/* Reads the scripts of one directory (open as dfd, or -1) into rd, every
 * problem into rd->eb. hc: the directory's header cache, or NULL.
 * subdirs: see list_scripts. *nfiles: how many scripts the directory
 * holds. False when the directory cannot be listed (said in rd->eb). */
static bool read_dir(struct graph *g, const char *dir, int dfd, struct hcache *hc,
                     const struct script_format *fmt, struct reader *rd, uint32_t *nfiles,
                     char ***subdirs, uint32_t *nsub)
{
	char *e = NULL;
	const char **names = NULL;
	*nfiles = 0;
	/* A directory's subdirectories are not in the cache's listing. */
	if (subdirs || !hcache_listing(hc, &names, nfiles, &g->arena)) {
		int rc = list_scripts(&g->arena, dir, dfd, fmt, &names, nfiles, subdirs, nsub, &e);
		take_problems(rd->eb, &e);
		if (rc != RT_OK) {
			rd->status = rc;
			return false;
		}
	}
	uint32_t nf = *nfiles;
	const char **files = arena_alloc(&g->arena, (nf ? nf : 1) * sizeof(*files));

	/* Read and parse every file, on every core; keep going to report
	 * every problem. The job's raws and idents are by file index until
	 * gathered below, in file order. */
	struct raw *raws = xcalloc(nf ? nf : 1, sizeof(*raws));
	struct hcache_ident *idents = NULL;
	if (hc)  /* each script's identity, for the cache and the graph image */
		idents = xcalloc(nf ? nf : 1, sizeof(*idents));
	unsigned nworkers = par_workers();
	struct load_job job = {
		.fmt = fmt, .dir = dir, .dirlen = strlen(dir), .dfd = dfd, .names = names,
		.files = files, .hc = hc, .raws = raws, .idents = idents,
		.state = xcalloc(nf ? nf : 1, sizeof(*job.state)),
		.arenas = xcalloc(nworkers, sizeof(*job.arenas)),
	};
	par_for(nf, LOAD_CHUNK, load_range, &job);
	for (unsigned w = 0; w < nworkers; w++)
		arena_adopt(&g->arena, &job.arenas[w]);
	free(job.arenas);
	reader_grow(rd, nf);
	for (uint32_t i = 0; i < nf; i++) {
		struct load_state *ls = &job.state[i];
		struct raw *to = &rd->raws[rd->n];
		if (ls->what == LOAD_CACHED) {
			if (hcache_get(hc, names[i], &idents[i], files[i], &g->arena, &to->s)) {
				if (rd->keep_idents)
					rd->idents[rd->n] = idents[i];
				rd->n++;
				g->ncached++;
				continue;
			}
			/* the entry does not decode after all */
			load_one(&job, i, &g->arena, false);
		}
		if (ls->what == LOAD_PARSED) {
			to->s = raws[i].s;
			if (hc)
				hcache_put(hc, names[i], &idents[i], &to->s);
			if (rd->keep_idents)
				rd->idents[rd->n] = idents[i];
			rd->n++;
		} else {
			rd->status = RT_EINPUT;
		}
		take_problems(rd->eb, &ls->err);
	}
	free(job.state);
	free(raws);
	free(idents);
	return true;
}

/* The directories of src, each once (the same directory named twice, or
 * reached again through a subdirectory, is read once), subdirectories
 * after their parent in name order when recursive. */
struct dirlist {
	char **v;
	uint32_t n;
	struct { uint64_t dev, ino; } *ids;
};

static void dirlist_add(struct dirlist *l, char *path)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		for (uint32_t i = 0; i < l->n; i++)
			if (l->ids[i].dev == (uint64_t)st.st_dev && l->ids[i].ino == (uint64_t)st.st_ino) {
				free(path);
				return;
			}
	}
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->ids = xrealloc(l->ids, (l->n + 1) * sizeof(*l->ids));
	l->v[l->n] = path;
	l->ids[l->n].dev = st.st_dev;
	l->ids[l->n].ino = st.st_ino;
	l->n++;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum rt_status graph_load(const char *dir, struct graph **out, char **err)
{
	struct graph_src src = {&dir, 1, false, &script_format_sql, false};
	return graph_load_src(&src, out, err);
}

/* One load's state, handed from phase to phase (graph_load_src). Every
 * phase goes on after a problem, so that all of them are reported. */
struct loader {
	const struct graph_src *src;
	struct graph *g;
	struct strbuf eb;          /* the problems */
	int status;
	struct reader rd;          /* the scripts read */
	struct raw *raws;          /* rd's, from gather on; n of them */
	uint32_t n;
	int dfd;                   /* the one directory, or -1 */
	struct hcache *hc;         /* its header cache, or NULL */
	uint32_t nfiles;           /* how many scripts it holds */
	struct strmap ids, labels; /* id and label to raw index, label index */
	uint32_t *label_rev, nl;   /* by label index: its raw */
	uint32_t *order, ordered;  /* raw indices in topological order */
};

/* One directory: the header cache, by which a directory unchanged since
 * it was cached need not be listed and a script whose identity is
 * unchanged costs one stat instead of open, read, close and a parse; and
 * the graph image, by which a graph whose directory and scripts are all
 * unchanged is loaded whole. True when the image gave the whole graph. */
static bool read_one_dir(struct loader *L)
{
	const struct graph_src *src = L->src;
	struct graph *g = L->g;
	L->dfd = open(src->dirs[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (L->dfd < 0 && !(src->skip_missing && errno == ENOENT)) {
		L->status = add_problem(&L->eb, "%s: %s", src->dirs[0], strerror(errno));
		return false;
	}
	L->hc = L->dfd >= 0 ? hcache_open(L->dfd, src->format, &g->arena) : NULL;
	if (hcache_image_get(L->hc, g->dir, L->dfd, g))
		return true;
	L->rd.keep_idents = L->hc != NULL;
	if (L->dfd >= 0 && !read_dir(g, src->dirs[0], L->dfd, L->hc, src->format, &L->rd,
	                             &L->nfiles, NULL, NULL)) {
		hcache_discard(L->hc);
		L->hc = NULL;
		L->status = L->rd.status;
	}
	return false;
}

/* Several directories, or subdirectories: each with a header cache of its
 * own, and no graph image. */
static void read_dirs(struct loader *L)
{
	const struct graph_src *src = L->src;
	struct dirlist dl = {0};
	for (uint32_t i = 0; i < src->ndirs; i++) {
		struct stat st;
		if (src->skip_missing && stat(src->dirs[i], &st) != 0 && errno == ENOENT)
			continue;
		dirlist_add(&dl, xstrdup(src->dirs[i]));
	}
	for (uint32_t i = 0; i < dl.n; i++) {
		int fd = open(dl.v[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct hcache *dhc = fd >= 0 ? hcache_open(fd, src->format, &L->g->arena) : NULL;
		char **sub = NULL;
		uint32_t nsub = 0, nf = 0;
		if (read_dir(L->g, dl.v[i], fd, dhc, src->format, &L->rd, &nf,
		             src->recursive ? &sub : NULL, &nsub))
			hcache_close(dhc, nf);
		else
			hcache_discard(dhc);
		if (fd >= 0)
			close(fd);
		if (nsub)
			qsort(sub, nsub, sizeof(*sub), cmp_path);
		for (uint32_t k = 0; k < nsub; k++)
			dirlist_add(&dl, sub[k]);
		free(sub);
	}
	for (uint32_t i = 0; i < dl.n; i++)
		free(dl.v[i]);
	free(dl.v);
	free(dl.ids);
}

/* Revision ids: unique. A duplicate is left out of the graph. */
static void index_ids(struct loader *L)
{
	struct raw *raws = L->raws;
	strmap_init(&L->ids, L->n);
	for (uint32_t i = 0; i < L->n; i++) {
		uint32_t other;
		if (!strmap_put(&L->ids, raws[i].s.rev, i)) {
			strmap_get(&L->ids, raws[i].s.rev, &other);
			L->status = add_problem(&L->eb,
			    "%s:%u: duplicate Revision ID '%s' (also in %s)", raws[i].s.path,
			    raws[i].s.rev_line, raws[i].s.rev, raws[other].s.path);
			raws[i].s.rev = NULL; /* excluded from the graph below */
		}
	}
}

/* Branch labels: unique, and never a revision id. */
static void index_labels(struct loader *L)
{
	struct raw *raws = L->raws;
	uint32_t nlabels_total = 0;
	for (uint32_t i = 0; i < L->n; i++)
		nlabels_total += raws[i].s.rev ? raws[i].s.nlabels : 0;
	strmap_init(&L->labels, nlabels_total);
	L->label_rev = xcalloc(nlabels_total + 1, sizeof(*L->label_rev));
	for (uint32_t i = 0; i < L->n; i++) {
		const struct script *s = &raws[i].s;
		if (!s->rev)
			continue;
		for (uint32_t j = 0; j < s->nlabels; j++) {
			uint32_t other;
			if (strmap_get(&L->ids, s->labels[j], NULL)) {
				L->status = add_problem(&L->eb,
				    "%s:%u: branch label '%s' is also a revision id", s->path,
				    s->labels_line, s->labels[j]);
			} else if (strmap_get(&L->labels, s->labels[j], &other)) {
				L->status = add_problem(&L->eb,
				    "%s:%u: duplicate branch label '%s' (also on %s)", s->path,
				    s->labels_line, s->labels[j], raws[L->label_rev[other]].s.rev);
			} else {
				strmap_put(&L->labels, s->labels[j], L->nl);
				L->label_rev[L->nl++] = i;
			}
		}
	}
}

/* Raw i's Revises edges. */
static void link_parents(struct loader *L, uint32_t i)
{
	struct raw *r = &L->raws[i];
	r->par = xcalloc(r->s.nparents + 1, sizeof(*r->par));
	for (uint32_t j = 0; j < r->s.nparents; j++) {
		uint32_t p;
		if (!strmap_get(&L->ids, r->s.parents[j], &p)) {
			L->status = add_problem(&L->eb,
			    "%s:%u: Revises '%s', which no script defines", r->s.path,
			    r->s.revises_line, r->s.parents[j]);
			continue;
		}
		if (p == i) {
			L->status = add_problem(&L->eb,
			    "%s:%u: cycle in the revision graph: %s revises itself",
			    r->s.path, r->s.revises_line, r->s.rev);
			continue;
		}
		bool dup = false;
		for (uint32_t k = 0; k < r->npar; k++)
			dup |= r->par[k] == p;
		if (dup) {
			L->status = add_problem(&L->eb, "%s:%u: Revises names '%s' twice",
			                        r->s.path, r->s.revises_line, r->s.parents[j]);
			continue;
		}
		r->par[r->npar++] = p;
		add_out(&L->raws[p], i);
		r->indeg++;
	}
}

/* Raw i's Depends On edges. */
static void link_depends(struct loader *L, uint32_t i)
{
	struct raw *r = &L->raws[i];
	r->dep = xcalloc(r->s.ndepends + 1, sizeof(*r->dep));
	for (uint32_t j = 0; j < r->s.ndepends; j++) {
		int32_t d = resolve_dep(&L->ids, &L->labels, L->label_rev, L->raws, L->n,
		                        r->s.depends[j]);
		if (d == -2) {
			L->status = add_problem(&L->eb,
			    "%s:%u: Depends On '%s' is an ambiguous revision prefix",
			    r->s.path, r->s.depends_line, r->s.depends[j]);
			continue;
		}
		if (d < 0) {
			L->status = add_problem(&L->eb,
			    "%s:%u: Depends On '%s', which is neither a revision nor a branch label",
			    r->s.path, r->s.depends_line, r->s.depends[j]);
			continue;
		}
		if ((uint32_t)d == i) {
			L->status = add_problem(&L->eb,
			    "%s:%u: cycle in the revision graph: %s depends on itself",
			    r->s.path, r->s.depends_line, r->s.rev);
			continue;
		}
		r->dep[r->ndep++] = (uint32_t)d;
		add_out(&L->raws[d], i);
		r->indeg++;
	}
}

/* Topological order (Kahn), ties by Create Date then id; what is left
 * over lies on a cycle, which is reported. */
static void order_raws(struct loader *L)
{
	struct raw *raws = L->raws;
	uint32_t n = L->n;
	bool *done = xcalloc(n + 1, sizeof(*done));
	uint32_t live = 0;
	struct heap h = {xmalloc((n + 1) * sizeof(uint32_t)), 0, raws};
	for (uint32_t i = 0; i < n; i++) {
		if (!raws[i].s.rev) {
			done[i] = true;
			continue;
		}
		live++;
		if (raws[i].indeg == 0)
			heap_push(&h, i);
	}
	L->order = xmalloc((n + 1) * sizeof(*L->order));
	L->ordered = 0;
	while (h.n) {
		uint32_t x = heap_pop(&h);
		done[x] = true;
		raws[x].order = L->ordered;
		L->order[L->ordered++] = x;
		for (uint32_t j = 0; j < raws[x].nout; j++)
			if (--raws[raws[x].out[j]].indeg == 0)
				heap_push(&h, raws[x].out[j]);
	}
	free(h.v);
	if (L->ordered < live) {
		char *e = NULL;
		report_cycle(raws, n, done, &e);
		take_problems(&L->eb, &e);
		L->status = RT_EINPUT;
	}
	free(done);
}

/* The nodes in order, with their edges both ways. */
static void build_nodes(struct loader *L)
{
	struct graph *g = L->g;
	struct raw *raws = L->raws;
	uint32_t ordered = L->ordered;
	g->n = ordered;
	g->nodes = arena_alloc(&g->arena, (ordered ? ordered : 1) * sizeof(*g->nodes));
	uint32_t *nchild = xcalloc(ordered + 1, sizeof(*nchild));
	uint32_t *ndependent = xcalloc(ordered + 1, sizeof(*ndependent));
	for (uint32_t k = 0; k < ordered; k++) {
		struct raw *r = &raws[L->order[k]];
		struct gnode *x = &g->nodes[k];
		x->s = r->s;
		x->nparents = r->npar;
		x->parents = arena_alloc(&g->arena, (r->npar + 1) * sizeof(uint32_t));
		for (uint32_t j = 0; j < r->npar; j++) {
			x->parents[j] = raws[r->par[j]].order;
			nchild[x->parents[j]]++;
		}
		x->ndeps = r->ndep;
		x->deps = arena_alloc(&g->arena, (r->ndep + 1) * sizeof(uint32_t));
		for (uint32_t j = 0; j < r->ndep; j++) {
			x->deps[j] = raws[r->dep[j]].order;
			ndependent[x->deps[j]]++;
		}
	}
	for (uint32_t k = 0; k < ordered; k++) {
		g->nodes[k].children = arena_alloc(&g->arena, (nchild[k] + 1) * sizeof(uint32_t));
		g->nodes[k].dependents = arena_alloc(&g->arena, (ndependent[k] + 1) * sizeof(uint32_t));
	}
	/* Walking in order appends children in ascending index order. */
	for (uint32_t k = 0; k < ordered; k++) {
		struct gnode *x = &g->nodes[k];
		for (uint32_t j = 0; j < x->nparents; j++) {
			struct gnode *p = &g->nodes[x->parents[j]];
			p->children[p->nchildren++] = k;
		}
		for (uint32_t j = 0; j < x->ndeps; j++) {
			struct gnode *d = &g->nodes[x->deps[j]];
			d->dependents[d->ndependents++] = k;
		}
	}
	free(nchild);
	free(ndependent);
}

/* The id map built by index_ids, its values turned from raw indices into
 * the nodes' (every raw is a node by now: there was no problem), and the
 * ids sorted, for prefixes. */
static void index_nodes(struct loader *L)
{
	struct graph *g = L->g;
	uint32_t ordered = L->ordered;
	for (uint32_t i = 0; i < L->ids.cap; i++)
		if (L->ids.keys[i])
			L->ids.vals[i] = L->raws[L->ids.vals[i]].order;
	g->ids = L->ids;
	L->ids = (struct strmap){0};
	g->sorted_idx = arena_alloc(&g->arena, (ordered + 1) * sizeof(uint32_t));
	g->sorted_ids = arena_alloc(&g->arena, (ordered + 1) * sizeof(char *));
	struct sort_id *by_id = xmalloc((ordered + 1) * sizeof(*by_id));
	for (uint32_t k = 0; k < ordered; k++)
		by_id[k] = (struct sort_id){id_head(g->nodes[k].s.rev), g->nodes[k].s.rev, k};
	qsort(by_id, ordered, sizeof(*by_id), cmp_sort_id);
	for (uint32_t k = 0; k < ordered; k++) {
		g->sorted_idx[k] = by_id[k].k;
		g->sorted_ids[k] = by_id[k].rev;
	}
	free(by_id);
}

/* Labels in the order of the revisions that carry them, so that no
 * listing depends on file names. */
static void order_labels(struct graph *g, uint32_t nl)
{
	g->labels = arena_alloc(&g->arena, (nl + 1) * sizeof(*g->labels));
	strmap_init(&g->label_map, nl);
	for (uint32_t k = 0; k < g->n; k++) {
		const struct script *s = &g->nodes[k].s;
		for (uint32_t j = 0; j < s->nlabels; j++) {
			g->labels[g->nlabels].name = s->labels[j];
			g->labels[g->nlabels].rev = k;
			strmap_put(&g->label_map, s->labels[j], g->nlabels);
			g->nlabels++;
		}
	}
}

/* Which labels cover each revision, for display. */
static void cover_labels(struct graph *g)
{
	uint32_t nl = g->nlabels, ordered = g->n;
	if (!nl)
		return;
	uint32_t *count = xcalloc(ordered + 1, sizeof(*count));
	struct bitset *covers = xcalloc(nl, sizeof(*covers));
	for (uint32_t l = 0; l < nl; l++) {
		bitset_init(&covers[l], ordered);
		graph_label_cover(g, g->labels[l].rev, &covers[l]);
		for (uint32_t k = 0; k < ordered; k++)
			count[k] += bitset_get(&covers[l], k);
	}
	for (uint32_t k = 0; k < ordered; k++) {
		if (!count[k])
			continue;
		g->nodes[k].branch = arena_alloc(&g->arena, count[k] * sizeof(char *));
		for (uint32_t l = 0; l < nl; l++)
			if (bitset_get(&covers[l], k))
				g->nodes[k].branch[g->nodes[k].nbranch++] = g->labels[l].name;
	}
	for (uint32_t l = 0; l < nl; l++)
		bitset_free(&covers[l]);
	free(covers);
	free(count);
}

/* The graph image, for the next load of the one directory. */
static void keep_image(struct loader *L)
{
	uint32_t *which = xcalloc(L->ordered ? L->ordered : 1, sizeof(*which));
	for (uint32_t i = 0; i < L->n; i++)
		if (L->raws[i].s.rev)
			which[L->raws[i].order] = i;
	hcache_image_put(L->hc, L->g, L->rd.idents, which);
	free(which);
}

static void loader_free(struct loader *L)
{
	hcache_close(L->hc, L->nfiles);
	if (L->dfd >= 0)
		close(L->dfd);
	free(L->rd.idents);
	for (uint32_t i = 0; i < L->n && L->raws; i++) {
		free(L->raws[i].par);
		free(L->raws[i].dep);
		free(L->raws[i].out);
	}
	free(L->raws ? L->raws : L->rd.raws);
	free(L->order);
	free(L->label_rev);
	strmap_free(&L->ids);
	strmap_free(&L->labels);
}

enum rt_status graph_load_src(const struct graph_src *src, struct graph **out, char **err)
{
	struct graph *g = xcalloc(1, sizeof(*g));
	arena_init(&g->arena);
	g->dir = arena_strdup(&g->arena, src->ndirs ? src->dirs[0] : ".");
	struct loader L = {.src = src, .g = g, .eb = STRBUF_INIT, .status = RT_OK, .dfd = -1};
	L.rd.eb = &L.eb;

	if (src->ndirs == 1 && !src->recursive) {
		if (read_one_dir(&L)) {
			hcache_discard(L.hc);
			close(L.dfd);
			*out = g;
			return RT_OK;
		}
	} else {
		read_dirs(&L);
	}
	if (L.status == RT_OK) {
		L.raws = L.rd.raws ? L.rd.raws : xcalloc(1, sizeof(*L.raws));
		L.n = L.rd.n;
		L.status = L.rd.status;
		index_ids(&L);
		index_labels(&L);
		for (uint32_t i = 0; i < L.n; i++) {
			if (!L.raws[i].s.rev)
				continue;
			link_parents(&L, i);
			link_depends(&L, i);
		}
		order_raws(&L);
	}
	if (L.status == RT_OK) {
		build_nodes(&L);
		index_nodes(&L);
		order_labels(g, L.nl);
		collect(g, &g->heads, &g->nheads, is_head);
		collect(g, &g->bases, &g->nbases, is_base);
		collect(g, &g->branchpoints, &g->nbranchpoints, is_branchpoint);
		collect(g, &g->mergepoints, &g->nmergepoints, is_mergepoint);
		cover_labels(g);
		if (L.hc)
			keep_image(&L);
	}
	loader_free(&L);
	if (L.status != RT_OK) {
		if (err && L.eb.len)
			rt_err(err, L.status, "%s", sb_str(&L.eb));
		sb_free(&L.eb);
		graph_free(g);
		return L.status;
	}
	*out = g;
	return RT_OK;
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	strmap_free(&g->ids);
	strmap_free(&g->label_map);
	arena_free(&g->arena);
	free(g);
}

int32_t graph_find(const struct graph *g, const char *rev)
{
	uint32_t v;
	return strmap_get(&g->ids, rev, &v) ? (int32_t)v : -1;
}

uint32_t graph_prefix(const struct graph *g, const char *prefix,
                      uint32_t *out, uint32_t max)
{
	size_t len = strlen(prefix);
	uint32_t lo = 0, hi = g->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (strcmp(g->sorted_ids[mid], prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t count = 0;
	for (uint32_t i = lo; i < g->n && strncmp(g->sorted_ids[i], prefix, len) == 0; i++) {
		if (count < max)
			out[count] = g->sorted_idx[i];
		count++;
	}
	return count;
}

int32_t graph_label(const struct graph *g, const char *label)
{
	uint32_t pos;
	return strmap_get(&g->label_map, label, &pos) ? (int32_t)g->labels[pos].rev : -1;
}

/* Depth-first walk over parent (down) or child (up) edges. */
static void walk(const struct graph *g, uint32_t rev, bool with_deps, bool down,
                 struct bitset *out)
{
	struct u32vec stack = {0};
	u32vec_push(&stack, rev);
	bitset_set(out, rev);
	while (stack.n) {
		const struct gnode *x = &g->nodes[stack.v[--stack.n]];
		const uint32_t *e1 = down ? x->parents : x->children;
		uint32_t n1 = down ? x->nparents : x->nchildren;
		const uint32_t *e2 = down ? x->deps : x->dependents;
		uint32_t n2 = with_deps ? (down ? x->ndeps : x->ndependents) : 0;
		for (uint32_t i = 0; i < n1 + n2; i++) {
			uint32_t y = i < n1 ? e1[i] : e2[i - n1];
			if (!bitset_get(out, y)) {
				bitset_set(out, y);
				u32vec_push(&stack, y);
			}
		}
	}
	u32vec_free(&stack);
}

void graph_ancestors(const struct graph *g, uint32_t rev, bool with_deps,
                     struct bitset *out)
{
	walk(g, rev, with_deps, true, out);
}

void graph_descendants(const struct graph *g, uint32_t rev, bool with_deps,
                       struct bitset *out)
{
	walk(g, rev, with_deps, false, out);
}

bool graph_is_ancestor(const struct graph *g, uint32_t anc, uint32_t rev)
{
	if (anc == rev)
		return true;
	if (anc > rev)  /* topological order: an ancestor has a smaller index */
		return false;
	struct bitset b;
	bitset_init(&b, g->n);
	graph_ancestors(g, rev, false, &b);
	bool r = bitset_get(&b, anc);
	bitset_free(&b);
	return r;
}

void graph_label_cover(const struct graph *g, uint32_t labelled, struct bitset *out)
{
	graph_descendants(g, labelled, false, out);
	uint32_t cur = labelled;
	while (g->nodes[cur].nparents == 1) {
		uint32_t p = g->nodes[cur].parents[0];
		if (g->nodes[p].nchildren >= 2 || g->nodes[p].nparents >= 2)
			break;
		bitset_set(out, p);
		cur = p;
	}
}

uint32_t graph_labels_of(const struct graph *g, uint32_t rev, const char ***out)
{
	const struct gnode *x = &g->nodes[rev];
	const char **v = xmalloc((x->nbranch + 1) * sizeof(*v));
	if (x->nbranch)  /* branch is NULL on a revision no label covers */
		memcpy(v, x->branch, x->nbranch * sizeof(*v));
	*out = v;
	return x->nbranch;
}

int32_t graph_line_labelled(const struct graph *g, uint32_t rev)
{
	for (;;) {
		const struct gnode *x = &g->nodes[rev];
		if (x->s.nlabels)
			return (int32_t)rev;
		if (!x->nparents)
			return -1;
		rev = x->parents[0];
	}
}

uint32_t graph_heads_resolved(const struct graph *g, uint32_t **out)
{
	struct u32vec v = {0};
	for (uint32_t i = 0; i < g->n; i++)
		if (g->nodes[i].nchildren == 0 && g->nodes[i].ndependents == 0)
			u32vec_push(&v, i);
	*out = v.v ? v.v : xmalloc(sizeof(uint32_t));
	return v.n;
}
