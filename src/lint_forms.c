/* lint_forms.c: the lock table of lint_forms.h as data, and rendered as
 * docs/lint.md's Markdown table and as JSON. */
#include "lint_forms.h"

#include <string.h>

const struct lint_form_info lint_forms[LINT_NFORMS] = {
#define LINT_FORM_X(name, form, lock, effect, rule, pattern, ex, safe, flags, versions, alt) \
	{#name, form, lock, effect, rule, pattern, ex, safe, flags, versions, alt},
	LINT_FORM_LIST(LINT_FORM_X)
#undef LINT_FORM_X
};

static const char *const lock_names[] = {
	"—", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
	"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE",
};

static const char *const effect_names[] = {
	"catalog only", "reads every row", "builds an index", "rewrites the table",
	"deletes or changes rows", "fails in a transaction",
};

const char *lint_lock_name(enum lint_lock l)
{
	return (unsigned)l < RT_ARRAY_LEN(lock_names) ? lock_names[l] : "?";
}

const char *lint_effect_name(enum lint_effect e)
{
	return (unsigned)e < RT_ARRAY_LEN(effect_names) ? effect_names[e] : "?";
}

/* A table cell: `|` would end it. */
static void cell(struct strbuf *sb, const char *s)
{
	sb_adds(sb, " ");
	if (!s[0])
		sb_adds(sb, "—");
	for (; *s; s++) {
		if (*s == '|')
			sb_adds(sb, "\\|");
		else
			sb_addc(sb, *s);
	}
	sb_adds(sb, " |");
}

void lint_forms_markdown(struct strbuf *sb)
{
	sb_adds(sb, "| statement | strongest lock | effect | rule | safe alternative "
	            "| versions and conditions |\n"
	            "| --- | --- | --- | --- | --- | --- |\n");
	for (int i = 0; i < LINT_NFORMS; i++) {
		const struct lint_form_info *f = &lint_forms[i];
		sb_adds(sb, "|");
		cell(sb, f->form);
		cell(sb, lint_lock_name(f->lock));
		cell(sb, lint_effect_name(f->effect));
		if (f->rule == LINT_SAFE) {
			cell(sb, "");
		} else {
			sb_addf(sb, " `%s`", lint_rules[f->rule].id);
			sb_adds(sb, " |");
		}
		cell(sb, f->alternative);
		cell(sb, f->versions);
		sb_addc(sb, '\n');
	}
}

static void json_field(struct strbuf *sb, const char *key, const char *val)
{
	sb_addf(sb, ",\"%s\":", key);
	if (val)
		sb_add_json_str(sb, val);
	else
		sb_adds(sb, "null");
}

void lint_forms_json(struct strbuf *sb)
{
	sb_addc(sb, '[');
	for (int i = 0; i < LINT_NFORMS; i++) {
		const struct lint_form_info *f = &lint_forms[i];
		sb_adds(sb, i ? ",\n{\"name\":" : "{\"name\":");
		sb_add_json_str(sb, f->name);
		json_field(sb, "form", f->form);
		json_field(sb, "lock", lint_lock_name(f->lock));
		json_field(sb, "effect", lint_effect_name(f->effect));
		json_field(sb, "rule", f->rule == LINT_SAFE ? NULL : lint_rules[f->rule].id);
		json_field(sb, "example", f->example);
		json_field(sb, "safe", f->safe);
		sb_addf(sb, ",\"safe_notxn\":%s,\"measured\":%s",
		        f->flags & FORM_SAFE_NOTXN ? "true" : "false",
		        f->flags & FORM_UNMEASURED ? "false" : "true");
		json_field(sb, "versions", f->versions);
		json_field(sb, "alternative", f->alternative);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "]\n");
}
