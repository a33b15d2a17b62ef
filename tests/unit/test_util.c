/* Unit tests for util.c. */

#include "tap.h"
#include "util.h"

int main(void)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s-%d", "a", 1);
	sb_add_json_str(&sb, "q\"\n");
	is_str(sb_str(&sb), "a-1\"q\\\"\\n\"", "strbuf formats and escapes JSON");
	sb_free(&sb);

	struct arena a;
	arena_init(&a);
	struct strmap m;
	strmap_init(&m, 2);
	char name[32];
	for (uint32_t i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "k%u", i);
		strmap_put(&m, arena_strdup(&a, name), i);
	}
	uint32_t v = 0;
	ok(strmap_get(&m, "k777", &v) && v == 777, "strmap finds after rehash");
	ok(!strmap_put(&m, "k5", 9), "strmap refuses a duplicate key");
	ok(!strmap_get(&m, "nope", NULL), "strmap misses an absent key");
	strmap_free(&m);
	void *big = arena_alloc(&a, 1 << 20);
	ok(big != NULL, "arena serves a large block");
	arena_free(&a);

	char *err = NULL;
	is_int(rt_err(&err, RT_EINPUT, "a:%d: one", 1), RT_EINPUT, "rt_err returns its status");
	rt_err(&err, RT_EINPUT, "b:2: two");
	is_str(err, "a:1: one\nb:2: two", "rt_err accumulates lines");
	free(err);
	is_int(rt_status_exit(RT_EINPUT), 2, "bad input exits 2");
	is_int(rt_status_exit(RT_EDB), 1, "database errors exit 1");

	uint32_t line = 0;
	ok(utf8_valid("h\xc3\xa9llo", 6, &line), "valid UTF-8 accepted");
	ok(!utf8_valid("a\nb\n\xff", 5, &line) && line == 3, "invalid UTF-8 found on its line");
	ok(!utf8_valid("\xc0\x80", 2, &line), "overlong encoding rejected");
	ok(ident_valid("retort_version") && !ident_valid("x\"y") && !ident_valid("1a"),
	   "identifiers validated");

	struct bitset b;
	bitset_init(&b, 130);
	bitset_set(&b, 129);
	ok(bitset_get(&b, 129) && !bitset_get(&b, 128), "bitset sets one bit");
	bitset_free(&b);
	return done_testing();
}
