/* keys.c: see keys.h. */
#include "keys.h"

#include <stdio.h>
#include <string.h>

#define KEYS_G(title)
#define KEYS_R(req, name, help, ...) static const int keys_##req[] = {__VA_ARGS__, 0};
REQ_LIST(KEYS_G, KEYS_R)
#undef KEYS_G
#undef KEYS_R

struct binding {
	enum request req;          /* REQ_NONE: a section title */
	const char *name;          /* or the title */
	const char *help;
	const int *keys;           /* 0-terminated */
};

static const struct binding table[] = {
#define KEYS_G(title) {REQ_NONE, title, NULL, NULL},
#define KEYS_R(req, name, help, ...) {REQ_##req, name, help, keys_##req},
	REQ_LIST(KEYS_G, KEYS_R)
#undef KEYS_G
#undef KEYS_R
};

static const struct binding *find(enum request r)
{
	for (size_t i = 0; i < RT_ARRAY_LEN(table); i++)
		if (table[i].req == r && r != REQ_NONE)
			return &table[i];
	return NULL;
}

enum request keys_request(int key)
{
	for (size_t i = 0; i < RT_ARRAY_LEN(table); i++)
		for (const int *k = table[i].keys; k && *k; k++)
			if (*k == key)
				return table[i].req;
	return REQ_NONE;
}

const char *keys_name(enum request r)
{
	const struct binding *b = find(r);
	return b ? b->name : "";
}

const char *keys_help(enum request r)
{
	const struct binding *b = find(r);
	return b ? b->help : "";
}

int keys_first(enum request r)
{
	const struct binding *b = find(r);
	return b ? b->keys[0] : 0;
}

static const struct {
	int key;
	const char *name;
} named[] = {
	{KEY_UP, "Up"}, {KEY_DOWN, "Down"}, {KEY_LEFT, "Left"}, {KEY_RIGHT, "Right"},
	{KEY_NPAGE, "PgDn"}, {KEY_PPAGE, "PgUp"}, {KEY_HOME, "Home"}, {KEY_END, "End"},
	{KEY_ENTER, "Enter"}, {'\n', "Enter"}, {'\r', "Enter"}, {'\t', "Tab"},
	{' ', "Space"}, {27, "Esc"}, {KEY_BACKSPACE, "Backspace"}, {KEY_DC, "Delete"},
};

const char *keys_key_name(int key, char buf[16])
{
	for (size_t i = 0; i < RT_ARRAY_LEN(named); i++)
		if (named[i].key == key)
			return strcpy(buf, named[i].name);
	if (key >= KEY_F(1) && key <= KEY_F(63))
		snprintf(buf, 16, "F%d", key - KEY_F0);
	else if (key > 0 && key < 0x20)
		snprintf(buf, 16, "^%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, 16, "%c", key);
	else
		snprintf(buf, 16, "<%d>", key);
	return buf;
}

void keys_help_text(struct strbuf *out)
{
	for (size_t i = 0; i < RT_ARRAY_LEN(table); i++) {
		const struct binding *b = &table[i];
		if (b->req == REQ_NONE) {
			sb_addf(out, "%s%s\n", i ? "\n" : "", b->name);
			continue;
		}
		/* "Enter" is bound three ways; name each key once. */
		char keys[64] = "", buf[16], prev[16];
		for (const int *k = b->keys; *k; k++) {
			const char *n = keys_key_name(*k, buf);
			bool seen = false;
			for (const int *p = b->keys; p < k && !seen; p++)
				seen = strcmp(keys_key_name(*p, prev), n) == 0;
			size_t len = strlen(keys);
			if (!seen)
				snprintf(keys + len, sizeof keys - len, "%s%s", len ? ", " : "", n);
		}
		sb_addf(out, "  %-12s %s\n", keys, b->help);
	}
	sb_adds(out, "\nGuided rollback (R)\n");
#define KEYS_RB(keys, help) sb_addf(out, "  %-12s %s\n", keys, help);
	ROLLBACK_KEYS_LIST(KEYS_RB)
#undef KEYS_RB
}

void keys_hints(const enum request *reqs, struct strbuf *out)
{
	char buf[16];
	for (const enum request *r = reqs; *r != REQ_NONE; r++)
		sb_addf(out, "%s%s %s", r == reqs ? "" : "  ", keys_key_name(keys_first(*r), buf),
		        keys_name(*r));
}
