/* script.c: the revision script format (retort-script(5)). */

#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "sha256.h"

enum header_key {
	KEY_REVISION_ID,
	KEY_REVISES,
	KEY_CREATE_DATE,
	KEY_BRANCH_LABELS,
	KEY_DEPENDS_ON,
	KEY_TRANSACTION,
	KEY_COUNT
};

static const char *const key_names[KEY_COUNT] = {
	"Revision ID", "Revises", "Create Date", "Branch Labels",
	"Depends On", "Transaction",
};

static const char *const reserved_words[] = {"head", "heads", "base", "current"};

bool script_reserved_word(const char *s)
{
	for (size_t i = 0; i < RT_ARRAY_LEN(reserved_words); i++)
		if (strcmp(s, reserved_words[i]) == 0)
			return true;
	return false;
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

bool script_valid_rev(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!is_word_char(s[n]))
			return false;
	return n >= 1 && n <= 32;
}

bool script_valid_label(const char *s)
{
	if (!isalpha((unsigned char)s[0]))
		return false;
	for (const char *p = s + 1; *p; p++)
		if (!is_word_char(*p) && *p != '-')
			return false;
	return true;
}

/* One line of the file: [start, end) without the newline or a CR before it. */
struct line {
	const char *start, *end;
	size_t next;   /* offset of the following line */
	uint32_t no;
};

static bool next_line(const char *buf, size_t len, size_t *pos, uint32_t *no,
                      struct line *l)
{
	if (*pos >= len)
		return false;
	const char *s = buf + *pos;
	const char *nl = memchr(s, '\n', len - *pos);
	const char *e = nl ? nl : buf + len;
	l->start = s;
	l->end = (e > s && e[-1] == '\r') ? e - 1 : e;
	l->next = nl ? (size_t)(nl - buf) + 1 : len;
	l->no = ++*no;
	*pos = l->next;
	return true;
}

/* A CR that is not part of the line end (a file converted to CRLF twice)
 * is a blank too: kept in a header value, it would be an invisible part
 * of an id or label, and script_render would write it back as a line end. */
static bool is_hspace(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && is_hspace(*p))
		p++;
	return p;
}

static const char *trim_end(const char *p, const char *end)
{
	while (end > p && is_hspace(end[-1]))
		end--;
	return end;
}

static bool is_blank(const struct line *l)
{
	return skip_ws(l->start, l->end) == l->end;
}

/* A `--` comment line: returns the text after the dashes, trimmed. */
static bool comment_text(const struct line *l, const char **s, const char **e)
{
	const char *p = skip_ws(l->start, l->end);
	if (l->end - p < 2 || p[0] != '-' || p[1] != '-')
		return false;
	*s = skip_ws(p + 2, l->end);
	*e = trim_end(*s, l->end);
	return true;
}

static bool word_ieq(const char **p, const char *end, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(end - *p) < n || strncasecmp(*p, word, n) != 0)
		return false;
	*p += n;
	return true;
}

/* The parts of a script file, in their order: the header (and what
 * precedes the upgrade marker), then the two sections. */
enum part { PART_HEADER, PART_UPGRADE, PART_DOWNGRADE };

/* The part a marker line starts (PART_HEADER: the line is no marker).
 * Accepts "-- migrate:upgrade", "--migrate : Upgrade" and the like. */
static enum part marker_kind(const struct line *l)
{
	const char *s, *e;
	if (!comment_text(l, &s, &e))
		return PART_HEADER;
	if (!word_ieq(&s, e, "migrate"))
		return PART_HEADER;
	s = skip_ws(s, e);
	if (s >= e || *s != ':')
		return PART_HEADER;
	s = skip_ws(s + 1, e);
	const char *w = s;
	if (word_ieq(&w, e, "upgrade") && w == e)
		return PART_UPGRADE;
	w = s;
	if (word_ieq(&w, e, "downgrade") && w == e)
		return PART_DOWNGRADE;
	return PART_HEADER;
}

/* "Key: value" with a known key name (spaces inside the name compare
 * loosely: "revision  id" and "Revision-ID" are not accepted, but case
 * is free). Returns the key or -1; *looks_like_key is set when the line
 * has the shape of a key (a short name of letters and spaces, then ':'). */
static int parse_key(const char *s, const char *e, const char **val,
                     bool *looks_like_key)
{
	const char *colon = memchr(s, ':', (size_t)(e - s));
	*looks_like_key = false;
	if (!colon || colon == s)
		return -1;
	int words = 1;
	for (const char *p = s; p < colon; p++) {
		if (*p == ' ')
			words++;
		else if (!isalpha((unsigned char)*p) && *p != '-' && *p != '_')
			return -1;
	}
	if (words > 3 || colon[-1] == ' ')
		return -1;
	/* A known key needs no space after its colon ("Transaction:none" must
	 * not pass for a comment); an unknown one does, so that a message such
	 * as "Fix:typo" is not taken for a misspelt key. */
	*val = skip_ws(colon + 1, e);
	size_t klen = (size_t)(colon - s);
	for (int k = 0; k < KEY_COUNT; k++)
		if (strlen(key_names[k]) == klen && strncasecmp(s, key_names[k], klen) == 0)
			return k;
	*looks_like_key = colon + 1 == e || colon[1] == ' ' || colon[1] == '\t';
	return -1;
}

/* Splits a comma-separated list into arena strings; empty items are
 * dropped. Returns the count. */
static uint32_t split_list(struct arena *a, const char *s, const char *e,
                           const char ***out)
{
	uint32_t n = 0, cap = 0;
	const char **v = NULL;
	while (s < e) {
		const char *comma = memchr(s, ',', (size_t)(e - s));
		const char *ie = comma ? comma : e;
		const char *is = skip_ws(s, ie);
		const char *iend = trim_end(is, ie);
		if (iend > is) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4;
				const char **nv = arena_alloc(a, cap * sizeof(*nv));
				if (v)
					memcpy(nv, v, n * sizeof(*nv));
				v = nv;
			}
			v[n++] = arena_strndup(a, is, (size_t)(iend - is));
		}
		s = comma ? comma + 1 : e;
	}
	*out = v;
	return n;
}

char *script_shown(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n')
			sb_adds(&sb, "\\n");
		else if (c == '\r')
			sb_adds(&sb, "\\r");
		else if (c == '\t')
			sb_adds(&sb, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sb_addf(&sb, "\\x%02x", c);
		else
			sb_addc(&sb, (char)c);
	}
	char *shown = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return shown;
}

int script_check_labels(const char *path, uint32_t line, const char *const *labels,
                        uint32_t n, char **errs)
{
	int status = RT_OK;
	for (uint32_t i = 0; i < n; i++) {
		if (!script_valid_label(labels[i])) {
			char *shown = script_shown(labels[i]);
			status = rt_err(errs, RT_EINPUT,
			    "%s:%u: malformed branch label '%s': expected a letter, then "
			    "letters, digits, _ or -", path, line, shown);
			free(shown);
		} else if (script_reserved_word(labels[i]))
			status = rt_err(errs, RT_EINPUT, "%s:%u: branch label '%s' is a reserved word",
			                path, line, labels[i]);
	}
	return status;
}

int script_text_check(const char *path, const char *buf, size_t len, char **errs)
{
	uint32_t bad_line;
	if (memchr(buf, '\0', len)) {
		uint32_t line = 1;
		for (const char *p = buf; *p; p++)
			line += *p == '\n';
		return rt_err(errs, RT_EINPUT, "%s:%u: contains a NUL byte: not a text file",
		              path, line);
	}
	if (!utf8_valid(buf, len, &bad_line))
		return rt_err(errs, RT_EINPUT, "%s:%u: not valid UTF-8", path, bad_line);
	return RT_OK;
}

/* script_parse's state, line by line. */
struct parser {
	const char *path, *buf;
	struct arena *a;
	char **errs;
	struct script s;
	int status;
	bool in_header;            /* still in the first block of -- lines */
	bool seen_key[KEY_COUNT];
	uint32_t first_line;       /* the header's, or 0 */
	enum part section;         /* the part being read */
	size_t section_start;      /* its offset */
	/* Text before the upgrade marker is reported once, not line by line. */
	bool stray_reported;
};

/* A marker line: the section it starts, or why it starts none. */
static void on_marker(struct parser *P, const struct line *l, enum part marker)
{
	P->in_header = false;
	if (marker == PART_UPGRADE) {
		if (P->section != PART_HEADER) {
			P->status = rt_err(P->errs, RT_EINPUT, "%s:%u: '-- migrate:upgrade' %s",
			                   P->path, l->no,
			                   P->section == PART_UPGRADE ? "appears twice"
			                                              : "after '-- migrate:downgrade'");
			return;
		}
		P->section = PART_UPGRADE;
		P->s.up_line = l->no + 1;
		P->s.up_off = P->section_start = l->next;
		return;
	}
	if (P->section == PART_DOWNGRADE) {
		P->status = rt_err(P->errs, RT_EINPUT, "%s:%u: '-- migrate:downgrade' appears twice",
		                   P->path, l->no);
		return;
	}
	if (P->section == PART_HEADER) {
		P->status = rt_err(P->errs, RT_EINPUT,
		                   "%s:%u: '-- migrate:downgrade' before '-- migrate:upgrade'",
		                   P->path, l->no);
		P->stray_reported = true;
		return;
	}
	P->s.up_len = (size_t)(l->start - P->buf) - P->section_start;
	P->section = PART_DOWNGRADE;
	P->s.has_downgrade = true;
	P->s.down_line = l->no + 1;
	P->s.down_off = P->section_start = l->next;
}

/* Header key k's value, val to ce, on line no. */
static void on_key(struct parser *P, enum header_key k, const char *val, const char *ce,
                   uint32_t no)
{
	struct script *s = &P->s;
	const char *path = P->path;
	switch (k) {
	case KEY_REVISION_ID: {
		char *rev = arena_strndup(P->a, val, (size_t)(ce - val));
		s->rev_line = no;
		if (!*rev) {
			P->status = rt_err(P->errs, RT_EINPUT, "%s:%u: empty Revision ID", path, no);
		} else if (!script_valid_rev(rev)) {
			P->status = rt_err(P->errs, RT_EINPUT,
			    "%s:%u: malformed Revision ID '%s': expected 1 to 32 of A-Z a-z 0-9 _",
			    path, no, rev);
		}
		s->rev = rev;
		break;
	}
	case KEY_REVISES:
		s->revises_line = no;
		s->nparents = split_list(P->a, val, ce, &s->parents);
		for (uint32_t i = 0; i < s->nparents; i++)
			if (!script_valid_rev(s->parents[i]))
				P->status = rt_err(P->errs, RT_EINPUT,
				    "%s:%u: malformed revision id '%s' in Revises", path, no,
				    s->parents[i]);
		break;
	case KEY_CREATE_DATE:
		s->create_date = arena_strndup(P->a, val, (size_t)(ce - val));
		break;
	case KEY_BRANCH_LABELS:
		s->labels_line = no;
		s->nlabels = split_list(P->a, val, ce, &s->labels);
		if (script_check_labels(path, no, s->labels, s->nlabels, P->errs) != RT_OK)
			P->status = RT_EINPUT;
		break;
	case KEY_DEPENDS_ON:
		s->depends_line = no;
		s->ndepends = split_list(P->a, val, ce, &s->depends);
		break;
	case KEY_TRANSACTION: {
		size_t n = (size_t)(ce - val);
		if (n == 13 && strncasecmp(val, "per-migration", n) == 0)
			s->txn = SCRIPT_TXN_PER_MIGRATION;
		else if (n == 4 && strncasecmp(val, "none", n) == 0)
			s->txn = SCRIPT_TXN_NONE;
		else
			P->status = rt_err(P->errs, RT_EINPUT,
			    "%s:%u: Transaction must be 'per-migration' or 'none', not '%.*s'",
			    path, no, (int)n, val);
		break;
	}
	case KEY_COUNT:
		break;
	}
}

/* A line before the upgrade marker: the header's comments (the message,
 * then keys), blank lines, or stray text. */
static void on_header_line(struct parser *P, const struct line *l)
{
	const char *cs, *ce;
	if (!comment_text(l, &cs, &ce)) {
		if (is_blank(l)) {
			if (P->first_line)
				P->in_header = false;
			return;
		}
		if (!P->stray_reported)
			P->status = rt_err(P->errs, RT_EINPUT,
			                   "%s:%u: SQL before the '-- migrate:upgrade' marker", P->path,
			                   l->no);
		P->stray_reported = true;
		P->in_header = false;
		return;
	}
	const char *val;
	bool keyish;
	if (!P->in_header) {
		/* A header key that a blank line cut off from the header would
		 * be silently ignored: say so instead. */
		if (parse_key(cs, ce, &val, &keyish) >= 0)
			P->status = rt_err(P->errs, RT_EINPUT,
			    "%s:%u: header key '%.*s' is outside the header (the header is the "
			    "first block of -- lines: remove the blank line above it)",
			    P->path, l->no, (int)(strchr(cs, ':') - cs), cs);
		return;
	}
	if (!P->first_line)
		P->first_line = l->no;
	if (cs == ce)
		return;
	int k = parse_key(cs, ce, &val, &keyish);
	if (k < 0) {
		if (!*P->s.message)
			P->s.message = arena_strndup(P->a, cs, (size_t)(ce - cs));
		else if (keyish)
			P->status = rt_err(P->errs, RT_EINPUT,
			    "%s:%u: unknown header key '%.*s' (known: Revision ID, Revises, "
			    "Create Date, Branch Labels, Depends On, Transaction)",
			    P->path, l->no, (int)(strchr(cs, ':') - cs), cs);
		return;
	}
	if (P->seen_key[k]) {
		P->status = rt_err(P->errs, RT_EINPUT, "%s:%u: duplicate header key '%s'",
		                   P->path, l->no, key_names[k]);
		return;
	}
	P->seen_key[k] = true;
	on_key(P, (enum header_key)k, val, ce, l->no);
}

int script_parse(const char *path, const char *buf, size_t len,
                 struct arena *a, struct script *out, char **errs)
{
	struct parser P = {.path = path, .buf = buf, .a = a, .errs = errs, .in_header = true,
	                   .section = PART_HEADER};
	P.s.path = arena_strdup(a, path);
	P.s.message = "";
	P.status = script_text_check(path, buf, len, errs);
	if (P.status != RT_OK)
		return P.status;

	size_t pos = 0;
	uint32_t no = 0;
	struct line l;
	while (next_line(buf, len, &pos, &no, &l)) {
		enum part marker = marker_kind(&l);
		if (marker != PART_HEADER)
			on_marker(&P, &l, marker);
		else if (P.section == PART_HEADER)
			on_header_line(&P, &l);
	}

	if (P.section == PART_UPGRADE)
		P.s.up_len = len - P.section_start;
	else if (P.section == PART_DOWNGRADE)
		P.s.down_len = len - P.section_start;
	if (!P.s.rev)
		P.status = rt_err(errs, RT_EINPUT, "%s:%u: missing 'Revision ID' in the header",
		                  path, P.first_line ? P.first_line : 1);
	if (P.section == PART_HEADER)
		P.status = rt_err(errs, RT_EINPUT, "%s:%u: missing '-- migrate:upgrade' marker",
		                  path, no ? no : 1);
	if (P.status == RT_OK)
		*out = P.s;
	return P.status;
}

/* *.sql, hidden files left out. */
static bool sql_wanted(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".sql") == 0;
}

const struct script_format script_format_sql = {
	.name = "sql",
	.id = SCRIPT_FORMAT_SQL,
	.exec = SCRIPT_EXEC_SQL,
	.wanted = sql_wanted,
	.parse = script_parse,
	.section_title = {"-- migrate:upgrade", "-- migrate:downgrade"},
	.lang = "sql",
};

static const struct script_format *const formats[SCRIPT_FORMAT_COUNT] = {
	[SCRIPT_FORMAT_SQL] = &script_format_sql,
	[SCRIPT_FORMAT_ALEMBIC] = &script_format_alembic,
};

const struct script_format *script_format_get(enum script_format_id id)
{
	return (unsigned)id < SCRIPT_FORMAT_COUNT ? formats[id] : &script_format_sql;
}

const struct script_format *script_format_of(const struct script *s)
{
	return script_format_get((enum script_format_id)s->format);
}

static bool same_list(const char *const *a, uint32_t na, const char *const *b, uint32_t nb)
{
	if (na != nb)
		return false;
	for (uint32_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* The header field that differs, or NULL when the header means the same. */
static const char *header_change(const struct script *a, const struct script *b)
{
	if (strcmp(a->rev, b->rev) != 0)
		return "Revision ID";
	if (!same_list(a->parents, a->nparents, b->parents, b->nparents))
		return "Revises";
	if (!same_list(a->depends, a->ndepends, b->depends, b->ndepends))
		return "Depends On";
	if (!same_list(a->labels, a->nlabels, b->labels, b->nlabels))
		return "Branch Labels";
	if (a->txn != b->txn)
		return "Transaction";
	if (a->has_downgrade != b->has_downgrade)
		return "the downgrade section";
	return NULL;
}

int script_reread(const struct script *loaded, struct script_now *out, char **err)
{
	struct script_now n;
	memset(&n, 0, sizeof(n));
	int rc = read_file(loaded->path, &n.buf, &n.len, err);
	if (rc != RT_OK)
		return rc;
	sha256_hex(n.buf, n.len, n.hex);
	arena_init(&n.arena);
	char *errs = NULL;
	rc = script_format_of(loaded)->parse(loaded->path, n.buf, n.len, &n.arena, &n.s, &errs);
	if (rc != RT_OK) {
		if (errs)
			rt_err(err, RT_EINPUT, "%s", errs);
		rt_err(err, RT_EINPUT, "%s: the file changed since the history was loaded and no "
		       "longer parses", loaded->path);
		free(errs);
		rc = RT_EINPUT;
	} else {
		const char *what = header_change(loaded, &n.s);
		if (what)
			rc = rt_err(err, RT_EINPUT, "%s: its header (%s) changed since the history was "
			            "loaded; run the command again to plan from the new header",
			            loaded->path, what);
	}
	if (rc != RT_OK) {
		script_now_free(&n);
		return rc;
	}
	*out = n;
	return RT_OK;
}

void script_now_free(struct script_now *n)
{
	free(n->buf);
	arena_free(&n->arena);
	memset(n, 0, sizeof(*n));
}

const char *script_now_section(const struct script_now *n, enum script_section which,
                               size_t *len, uint32_t *line)
{
	bool up = which == SCRIPT_UPGRADE;
	*len = up ? n->s.up_len : n->s.down_len;
	*line = up ? n->s.up_line : n->s.down_line;
	return n->buf + (up ? n->s.up_off : n->s.down_off);
}

int script_read_sql(const struct script *s, enum script_section which,
                    char **sql, char **err)
{
	struct script_now n;
	int rc = script_reread(s, &n, err);
	if (rc != RT_OK)
		return rc;
	size_t len;
	uint32_t line;
	const char *text = script_now_section(&n, which, &len, &line);
	*sql = xstrndup(text, len);
	script_now_free(&n);
	return RT_OK;
}

int script_checksum(const struct script *s, char hex[65], char **err)
{
	char *buf;
	size_t len;
	int rc = read_file(s->path, &buf, &len, err);
	if (rc != RT_OK)
		return rc;
	sha256_hex(buf, len, hex);
	free(buf);
	return RT_OK;
}

static void render_list(struct strbuf *sb, const char *key,
                        const char *const *v, uint32_t n, bool always)
{
	if (!n && !always)
		return;
	sb_addf(sb, "-- %s:", key);
	for (uint32_t i = 0; i < n; i++)
		sb_addf(sb, "%s%s", i ? ", " : " ", v[i]);
	sb_addc(sb, '\n');
}

static void render_section(struct strbuf *sb, const char *sql)
{
	if (sql && *sql) {
		sb_adds(sb, sql);
		if (sql[strlen(sql) - 1] != '\n')
			sb_addc(sb, '\n');
	}
}

char *script_render(const struct script_new *n)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "-- ");
	for (const char *p = n->message; *p; p++)
		sb_addc(&sb, *p == '\n' || *p == '\r' ? ' ' : *p);
	sb_adds(&sb, "\n--\n");
	sb_addf(&sb, "-- Revision ID: %s\n", n->rev);
	render_list(&sb, "Revises", n->parents, n->nparents, true);
	sb_addf(&sb, "-- Create Date: %s\n", n->create_date);
	render_list(&sb, "Branch Labels", n->labels, n->nlabels, false);
	render_list(&sb, "Depends On", n->depends, n->ndepends, false);
	if (n->no_transaction)
		sb_adds(&sb, "-- Transaction: none\n");
	sb_adds(&sb, "\n-- migrate:upgrade\n");
	render_section(&sb, n->upgrade_sql);
	sb_adds(&sb, "\n-- migrate:downgrade\n");
	render_section(&sb, n->downgrade_sql);
	return sb_detach(&sb);
}

char *script_filename(const char *rev, const char *message, const char *create_date)
{
	struct strbuf sb = STRBUF_INIT;
	/* "YYYY-MM-DD HH:MM..." → "YYYYMMDD_HHMM" */
	for (const char *p = create_date; *p && sb.len < 13; p++) {
		if (isdigit((unsigned char)*p))
			sb_addc(&sb, *p);
		if (sb.len == 8 && (*p == ' ' || *p == 'T'))
			sb_addc(&sb, '_');
	}
	sb_addf(&sb, "_%s_", rev);
	size_t slug_start = sb.len;
	bool pending_sep = false;
	for (const char *p = message; *p && sb.len - slug_start < 40; p++) {
		if (isalnum((unsigned char)*p)) {
			if (pending_sep && sb.len > slug_start) {
				/* A separator needs room for the character after it. */
				if (sb.len - slug_start >= 39)
					break;
				sb_addc(&sb, '_');
			}
			pending_sep = false;
			sb_addc(&sb, (char)tolower((unsigned char)*p));
		} else {
			pending_sep = true;
		}
	}
	if (sb.len == slug_start)
		sb_adds(&sb, "revision");
	sb_adds(&sb, ".sql");
	return sb_detach(&sb);
}

int script_new_rev(char buf[13], char **err)
{
	unsigned char r[6];
	size_t got = 0;
	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return rt_err(err, RT_EFAIL, "cannot read random bytes: %s", strerror(errno));
		}
		got += (size_t)n;
	}
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 6; i++) {
		buf[2 * i] = digits[r[i] >> 4];
		buf[2 * i + 1] = digits[r[i] & 15];
	}
	buf[12] = '\0';
	return RT_OK;
}
