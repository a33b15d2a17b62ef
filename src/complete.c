/* complete.c: splitting a shell line into words and completing the word
 * under the cursor from the command table and the revision graph. */
#include "complete.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ini.h"
#include "util.h"

/* ---- words ---- */

struct strvec {
	char **v;
	size_t n, cap;
};

static void strvec_push(struct strvec *sv, char *s)
{
	if (sv->n + 1 >= sv->cap) {
		sv->cap = sv->cap ? 2 * sv->cap : 8;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

static void strvec_free(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

int complete_split(const char *line, size_t len, bool partial,
                   struct complete_words *out, char **err)
{
	struct strvec words = {0};
	struct strbuf w = STRBUF_INIT;
	char quote = 0;
	bool in_word = false;
	size_t start = 0;
	int rc = RT_OK;

	for (size_t i = 0; i < len; i++) {
		char ch = line[i];
		if (quote == '\'') {
			if (ch == '\'')
				quote = 0;
			else
				sb_addc(&w, ch);
			continue;
		}
		if (quote == '"') {
			if (ch == '"')
				quote = 0;
			else if (ch == '\\' && i + 1 < len && strchr("\"\\$`", line[i + 1]))
				sb_addc(&w, line[++i]);
			else
				sb_addc(&w, ch);
			continue;
		}
		if (is_blank(ch)) {
			if (in_word)
				strvec_push(&words, sb_detach(&w));
			in_word = false;
			continue;
		}
		if (!in_word) {
			if (ch == '#' && words.n == 0)
				goto done;
			in_word = true;
			start = i;
		}
		if (ch == '\'' || ch == '"') {
			quote = ch;
		} else if (ch == '\\') {
			if (i + 1 < len)
				sb_addc(&w, line[++i]);
			else if (!partial)
				rc = rt_err(err, RT_EUSAGE, "the line ends with a backslash");
		} else {
			sb_addc(&w, ch);
		}
	}
	if (quote && !partial)
		rc = rt_err(err, RT_EUSAGE, "unterminated %s quote",
		            quote == '\'' ? "single" : "double");
done:
	if (rc != RT_OK) {
		sb_free(&w);
		strvec_free(&words);
		return rc;
	}
	memset(out, 0, sizeof(*out));
	if (in_word) {
		strvec_push(&words, sb_detach(&w));
		out->last_start = start;
		out->last_open = true;
	}
	sb_free(&w);
	if (!words.v)
		words.v = xcalloc(1, sizeof(*words.v)); /* empty, NULL-terminated */
	out->v = words.v;
	out->n = (int)words.n;
	return RT_OK;
}

void complete_split_free(struct complete_words *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

/* ---- candidates ---- */

static const char *const keywords[] = {"head", "heads", "base", "current", NULL};

/* Candidates that extend the word being completed. */
struct cands {
	struct strvec sv;
	const char *word;
	size_t wlen;
};

static void offer(struct cands *cs, const char *fixed, const char *s)
{
	size_t fl = strlen(fixed);
	/* The candidate is fixed+s; it must start with the word. */
	if (fl >= cs->wlen) {
		if (strncmp(fixed, cs->word, cs->wlen) != 0)
			return;
	} else if (strncmp(fixed, cs->word, fl) != 0 ||
	           strncmp(s, cs->word + fl, cs->wlen - fl) != 0) {
		return;
	}
	strvec_push(&cs->sv, xasprintf("%s%s", fixed, s));
}

static bool covered_by(const struct gnode *x, const char *label)
{
	for (uint32_t i = 0; i < x->nbranch; i++)
		if (strcmp(x->branch[i], label) == 0)
			return true;
	return false;
}

/* Revision specifiers (retort(1), REVISION SPECIFIERS). A range A:B completes its last part; a
 * word with LABEL@ completes within that branch. */
static void offer_revisions(struct cands *cs, const struct graph *g)
{
	const char *colon = strrchr(cs->word, ':');
	size_t fixed_len = colon ? (size_t)(colon - cs->word) + 1 : 0;
	char *fixed = xstrndup(cs->word, fixed_len);
	const char *w = cs->word + fixed_len;
	const char *at = strchr(w, '@');

	if (at) {
		char *label = xstrndup(w, (size_t)(at - w));
		if (g && graph_label(g, label) >= 0) {
			char *lfixed = xstrndup(cs->word, (size_t)(at - cs->word) + 1);
			offer(cs, lfixed, "head");
			offer(cs, lfixed, "base");
			for (uint32_t i = 0; i < g->n; i++)
				if (covered_by(&g->nodes[i], label))
					offer(cs, lfixed, g->nodes[i].s.rev);
			free(lfixed);
		}
		free(label);
		free(fixed);
		return;
	}
	for (int i = 0; keywords[i]; i++)
		offer(cs, fixed, keywords[i]);
	if (g) {
		for (uint32_t i = 0; i < g->nlabels; i++) {
			const char *l = g->labels[i].name;
			char *lat = xasprintf("%s%s@", fixed, l);
			offer(cs, fixed, l);
			offer(cs, lat, "head");
			offer(cs, lat, "base");
			free(lat);
		}
		for (uint32_t i = 0; i < g->n; i++)
			offer(cs, fixed, g->nodes[i].s.rev);
	}
	free(fixed);
}

static void offer_options(struct cands *cs, const struct cmd_opt *opts)
{
	for (const struct cmd_opt *o = opts; o && o->name; o++)
		offer(cs, "--", o->name);
}

static void offer_commands(struct cands *cs, const char *const *builtins)
{
	const struct cmd_entry *e;
	for (int i = 0; (e = cli_command_at(i)); i++)
		offer(cs, "", e->name);
	for (int i = 0; builtins && builtins[i]; i++)
		offer(cs, "", builtins[i]);
}

/* The option w names in table t, if any; *value_follows when it takes a
 * value that is not attached to it (--name=V, -xV). */
static const struct cmd_opt *match_opt(const struct cmd_opt *t, const char *w,
                                       bool *value_follows)
{
	*value_follows = false;
	for (const struct cmd_opt *o = t; o && o->name; o++) {
		bool hit, attached;
		if (w[1] == '-') {
			size_t n = strlen(o->name);
			hit = strncmp(w + 2, o->name, n) == 0 && (w[2 + n] == '\0' || w[2 + n] == '=');
			attached = hit && w[2 + n] == '=';
		} else {
			hit = o->short_name && w[1] == o->short_name;
			attached = hit && w[2] != '\0';
		}
		if (hit) {
			*value_follows = o->arg && !attached;
			return o;
		}
	}
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts, drops duplicates, and works out what Tab inserts. */
static void settle(struct cands *cs, size_t start, struct completion *out)
{
	struct strvec *sv = &cs->sv;
	if (sv->n)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < sv->n; i++) {
		if (k && strcmp(sv->v[k - 1], sv->v[i]) == 0)
			free(sv->v[i]);
		else
			sv->v[k++] = sv->v[i];
	}
	sv->n = k;
	out->items = sv->v;
	out->n = sv->n;
	out->start = start;
	if (k == 1) {
		out->replace = xasprintf("%s ", sv->v[0]);
	} else if (k > 1) {
		/* Sorted: the first and last share what all share. */
		const char *a = sv->v[0], *b = sv->v[k - 1];
		size_t n = 0;
		while (a[n] && a[n] == b[n])
			n++;
		out->replace = xstrndup(a, n);
		out->list = true;
	}
}

struct complete_what complete_kind(char *const *words, int nwords, const char *word)
{
	struct complete_what what = {false, CMD_ARG_TEXT, NULL, 0};
	/* Walk the words before the cursor as cli_run reads them. */
	const char *cmd = NULL;
	const struct cmd_entry *e = NULL;
	const struct cmd_opt *value_of = NULL;
	int operands = 0;
	bool dashdash = false;
	for (int i = 0; i < nwords; i++) {
		const char *a = words[i];
		if (value_of) {
			value_of = NULL;
			continue;
		}
		if (!dashdash && strcmp(a, "--") == 0) {
			dashdash = true;
			continue;
		}
		if (!dashdash && a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9')) {
			bool follows;
			const struct cmd_opt *o = match_opt(cli_global_opts, a, &follows);
			if (!o && e)
				o = match_opt(e->opts, a, &follows);
			if (o && follows)
				value_of = o;
			continue;
		}
		if (!cmd) {
			cmd = a;
			e = cli_find(a);
		} else {
			operands++;
		}
	}
	const char *eq = word[0] == '-' && word[1] == '-' ? strchr(word, '=') : NULL;
	if (!value_of && !dashdash && eq) {
		/* --name=VALUE: the value, after the '=' */
		bool follows;
		value_of = match_opt(cli_global_opts, word, &follows);
		if (!value_of && e)
			value_of = match_opt(e->opts, word, &follows);
		if (!value_of || !value_of->arg)
			return what;
		what.value_at = (size_t)(eq + 1 - word);
	}
	if (value_of) {
		what.kind = value_of->kind;
		what.choices = value_of->choices;
	} else if (!dashdash && word[0] == '-' && !(word[1] >= '0' && word[1] <= '9')) {
		what.option = true;
	} else if (!cmd || (!e && strcmp(cmd, "help") == 0 && operands == 0)) {
		what.kind = CMD_ARG_COMMAND;
	} else if (e) {
		what.kind = e->operands;
	}
	return what;
}

/* The options of the command the words name, and the global ones. */
static void offer_options_of(struct cands *cs, char *const *words, int nwords)
{
	offer_options(cs, cli_global_opts);
	for (int i = 0; i < nwords; i++) {
		const struct cmd_entry *e = words[i][0] != '-' ? cli_find(words[i]) : NULL;
		if (e) {
			offer_options(cs, e->opts);
			break;
		}
	}
}

static void offer_choices(struct cands *cs, const char *choices)
{
	for (const char *p = choices; p && *p;) {
		size_t n = strcspn(p, " ");
		char *one = xstrndup(p, n);
		offer(cs, "", one);
		free(one);
		p += n + (p[n] == ' ');
	}
}

static void offer_targets(struct cands *cs, const char *config_path)
{
	char **names;
	uint32_t n;
	config_target_names(config_path, &names, &n);
	offer(cs, "", "all");
	/* --target takes a comma-separated list: complete its last item */
	const char *comma = strrchr(cs->word, ',');
	char *fixed = xstrndup(cs->word, comma ? (size_t)(comma - cs->word) + 1 : 0);
	for (uint32_t i = 0; i < n; i++) {
		offer(cs, fixed, names[i]);
		free(names[i]);
	}
	free(fixed);
	free(names);
}

/* The candidates for word after words, unsorted, into cs. */
static void offer_all(struct cands *cs, char *const *words, int nwords,
                      const struct complete_src *src)
{
	struct complete_what what = complete_kind(words, nwords, cs->word);
	/* The value of --name=VALUE is completed alone, then given back its
	 * --name= */
	struct cands v = {{0}, cs->word + what.value_at, cs->wlen - what.value_at};
	if (what.option)
		offer_options_of(&v, words, nwords);
	else if (what.kind == CMD_ARG_COMMAND)
		offer_commands(&v, src->builtins);
	else if (what.kind == CMD_ARG_REVISION)
		offer_revisions(&v, src->graph);
	else if (what.kind == CMD_ARG_CHOICE)
		offer_choices(&v, what.choices);
	else if (what.kind == CMD_ARG_TARGET)
		offer_targets(&v, src->config_path);
	for (size_t i = 0; i < v.sv.n; i++) {
		strvec_push(&cs->sv, xasprintf("%.*s%s", (int)what.value_at, cs->word, v.sv.v[i]));
		free(v.sv.v[i]);
	}
	free(v.sv.v);
}

void complete_words(char *const *words, int nwords, const char *word,
                    const struct complete_src *src, struct completion *out)
{
	memset(out, 0, sizeof(*out));
	struct cands cs = {{0}, word, strlen(word)};
	offer_all(&cs, words, nwords, src);
	settle(&cs, 0, out);
}

void complete_line(const char *line, size_t cursor, const struct complete_src *src,
                   struct completion *out)
{
	memset(out, 0, sizeof(*out));
	struct complete_words w;
	if (complete_split(line, cursor, true, &w, NULL) != RT_OK)
		return;
	int nprev = w.last_open ? w.n - 1 : w.n;
	const char *word = w.last_open ? w.v[w.n - 1] : "";
	size_t lead = 0;
	while (lead < cursor && is_blank(line[lead]))
		lead++;
	struct cands cs = {{0}, word, strlen(word)};
	if (!(lead < cursor && line[lead] == '#')) /* not a comment */
		offer_all(&cs, w.v, nprev, src);
	settle(&cs, w.last_open ? w.last_start : cursor, out);
	complete_split_free(&w);
}

void completion_free(struct completion *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i]);
	free(c->items);
	free(c->replace);
	memset(c, 0, sizeof(*c));
}

char *complete_columns(char *const *items, size_t n, int width)
{
	struct strbuf sb = STRBUF_INIT;
	size_t widest = 0;
	for (size_t i = 0; i < n; i++)
		if (strlen(items[i]) > widest)
			widest = strlen(items[i]);
	size_t colw = widest + 2;
	size_t ncols = width > 0 && (size_t)width >= colw ? (size_t)width / colw : 1;
	if (ncols > n)
		ncols = n ? n : 1;
	size_t nrows = (n + ncols - 1) / ncols;
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			size_t i = c * nrows + r;
			if (i >= n)
				break;
			bool last = c + 1 == ncols || i + nrows >= n;
			if (last)
				sb_adds(&sb, items[i]);
			else
				sb_addf(&sb, "%-*s", (int)colw, items[i]);
		}
		sb_addc(&sb, '\n');
	}
	return sb_detach(&sb);
}
