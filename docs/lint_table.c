/* lint-table: the lock table of src/lint_forms.h, as docs/lint.md shows
 * it.
 *
 *   lint-table              the Markdown table on standard output
 *   lint-table --json       the rows as JSON (examples included)
 *   lint-table --fixture    the schema the examples run against
 *   lint-table --update F   rewrites F's section between the markers
 *
 * `make update-lint-docs` runs the last on docs/lint.md; test_lint fails
 * while the committed section differs from the table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint_forms.h"

static int update(const char *path)
{
	char *doc, *err = NULL;
	size_t len;
	if (read_file(path, &doc, &len, &err) != RT_OK) {
		fprintf(stderr, "lint-table: %s\n", err);
		free(err);
		return 1;
	}
	char *begin = strstr(doc, LINT_FORMS_BEGIN), *end = strstr(doc, LINT_FORMS_END);
	if (!begin || !end || end < begin) {
		fprintf(stderr, "lint-table: %s has no lock table markers\n", path);
		free(doc);
		return 1;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addn(&sb, doc, (size_t)(begin - doc) + strlen(LINT_FORMS_BEGIN));
	sb_addc(&sb, '\n');
	lint_forms_markdown(&sb);
	sb_addc(&sb, '\n');
	sb_adds(&sb, end);
	int rc = 0;
	FILE *f = fopen(path, "w");
	if (!f || fwrite(sb_str(&sb), 1, sb.len, f) != sb.len) {
		perror(path);
		rc = 1;
	}
	if (f && fclose(f) != 0) {
		perror(path);
		rc = 1;
	}
	sb_free(&sb);
	free(doc);
	return rc;
}

int main(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;
	if (argc == 3 && strcmp(argv[1], "--update") == 0)
		return update(argv[2]);
	if (argc == 2 && strcmp(argv[1], "--json") == 0) {
		lint_forms_json(&sb);
	} else if (argc == 2 && strcmp(argv[1], "--fixture") == 0) {
		sb_adds(&sb, LINT_FORMS_FIXTURE);
	} else if (argc == 1) {
		lint_forms_markdown(&sb);
	} else {
		fputs("usage: lint-table [--json | --fixture | --update FILE]\n", stderr);
		return 2;
	}
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
	return fflush(stdout) == 0 ? 0 : 1;
}
