/* inspect.c: see inspect.h. */
#include "inspect.h"

#include <string.h>

const char *inspect_recorded_checksum(const struct history_row *rows, uint32_t n,
                                      const char *rev)
{
	const char *sum = NULL;
	for (uint32_t i = 0; i < n; i++) {
		const struct history_row *r = &rows[i];
		if (strcmp(r->revision, rev) != 0 || strcmp(r->outcome, "ok") != 0)
			continue;
		if (strcmp(r->direction, "downgrade") == 0)
			sum = NULL;
		else if (r->checksum)
			sum = r->checksum;
	}
	return sum;
}

void inspect_applied(const struct graph *g, char *const *heads, uint32_t n,
                     struct bitset *applied)
{
	for (uint32_t i = 0; i < n; i++) {
		int32_t x = graph_find(g, heads[i]);
		if (x >= 0 && !bitset_get(applied, (uint32_t)x))
			graph_ancestors(g, (uint32_t)x, true, applied);
	}
}

int inspect_changed(struct db *db, const struct graph *g, char *const *heads,
                    uint32_t n, struct u32vec *changed, char **err)
{
	struct history_row *rows = NULL;
	uint32_t nrows = 0;
	int rc = db->ops->history_read(db, NULL, &rows, &nrows, err);
	if (rc != RT_OK)
		return rc;
	struct bitset applied;
	bitset_init(&applied, g->n);
	inspect_applied(g, heads, n, &applied);
	for (uint32_t r = 0; r < g->n && rc == RT_OK; r++) {
		if (!bitset_get(&applied, r))
			continue;
		const char *sum = inspect_recorded_checksum(rows, nrows, g->nodes[r].s.rev);
		char hex[65];
		if (!sum)
			continue;
		rc = script_checksum(&g->nodes[r].s, hex, err);
		if (rc == RT_OK && strcmp(hex, sum) != 0)
			u32vec_push(changed, r);
	}
	bitset_free(&applied);
	db_history_free(rows, nrows);
	return rc;
}
