/* test_fuzz_replay.c: every fuzz harness over its seeds and regression
 * inputs (tests/fuzz/seeds), without libFuzzer, so that `make check` with
 * any compiler replays what fuzzing once found. A broken invariant aborts
 * the test; the last "# NAME: file" line names the input. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tap.h"
#include "util.h"

static const struct harness {
	const char *name;
	int (*init)(int *argc, char ***argv);
	int (*one)(const uint8_t *data, size_t size);
} harnesses[] = {
	{"script", fuzz_script_init, fuzz_script_one},
	{"spec", fuzz_spec_init, fuzz_spec_one},
	{"config", fuzz_config_init, fuzz_config_one},
	{"url", fuzz_url_init, fuzz_url_one},
	{"sqllex", fuzz_sqllex_init, fuzz_sqllex_one},
	{"hcache", fuzz_hcache_init, fuzz_hcache_one},
};

static const struct harness *find_harness(const char *name)
{
	for (size_t i = 0; i < RT_ARRAY_LEN(harnesses); i++)
		if (strcmp(harnesses[i].name, name) == 0)
			return &harnesses[i];
	return NULL;
}

/* Feeds one file from an allocation of exactly its size, as libFuzzer
 * does, so that a sanitizer build catches reads past the end. */
static bool replay(const struct harness *h, const char *path)
{
	char *buf, *err = NULL;
	size_t len;
	if (read_file(path, &buf, &len, &err) != RT_OK) {
		printf("# %s\n", err);
		free(err);
		return false;
	}
	uint8_t *data = xmalloc(len);
	memcpy(data, buf, len);
	free(buf);
	printf("# %s: %s\n", h->name, path);
	fflush(stdout);
	h->one(data, len);
	free(data);
	return true;
}

int main(void)
{
	const char *seeds = RT_SRCDIR "/tests/fuzz/seeds";
	char *text, *err = NULL;
	size_t len;
	if (read_file(seeds, &text, &len, &err) != RT_OK) {
		ok(0, "read %s: %s", seeds, err);
		free(err);
		return done_testing();
	}
	size_t fed[RT_ARRAY_LEN(harnesses)] = {0};
	bool started[RT_ARRAY_LEN(harnesses)] = {false};
	for (char *save, *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[32], pattern[1024];
		if (line[0] == '#' || sscanf(line, "%31s %1023s", name, pattern) != 2)
			continue;
		const struct harness *h = find_harness(name);
		if (!h) {
			ok(0, "seeds: unknown harness '%s'", name);
			continue;
		}
		size_t k = (size_t)(h - harnesses);
		if (!started[k]) {
			int argc = 1;
			char *args[] = {(char *)"test_fuzz_replay", NULL}, **argv = args;
			h->init(&argc, &argv);
			started[k] = true;
		}
		char *path = xasprintf("%s/%s", RT_SRCDIR, pattern);
		glob_t g;
		if (glob(path, 0, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++) {
				ok(replay(h, g.gl_pathv[i]), "%s: %s", name,
				   g.gl_pathv[i] + strlen(RT_SRCDIR) + 1);
				fed[k]++;
			}
			globfree(&g);
		}
		free(path);
	}
	free(text);
	for (size_t k = 0; k < RT_ARRAY_LEN(harnesses); k++)
		ok(fed[k] > 0, "%s: has seed inputs (%zu)", harnesses[k].name, fed[k]);
	return done_testing();
}
