/* fuzz.h: the entry points of a libFuzzer harness, and helpers.
 *
 * Each harness is built two ways. With libFuzzer (./configure CC=clang
 * --enable-fuzzing) FUZZ_ONE and FUZZ_INIT name libFuzzer's entry points.
 * Built with -DFUZZ_REPLAY, by any compiler, they become fuzz_NAME_one and
 * fuzz_NAME_init, so that one replay program (tests/unit/test_fuzz_replay.c)
 * can link every harness and feed it the corpora and regression inputs
 * under `make check`.
 *
 * A harness reports a broken invariant with fuzz_fail, which aborts: that
 * is what libFuzzer records as a crash. */
#ifndef RT_FUZZ_H
#define RT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef FUZZ_REPLAY
#define FUZZ_ONE(name) int fuzz_##name##_one(const uint8_t *data, size_t size)
#define FUZZ_INIT(name) int fuzz_##name##_init(int *argc, char ***argv)
#define FUZZ_DECLARE(name) FUZZ_ONE(name); FUZZ_INIT(name)
FUZZ_DECLARE(script);
FUZZ_DECLARE(spec);
FUZZ_DECLARE(config);
FUZZ_DECLARE(url);
FUZZ_DECLARE(sqllex);
FUZZ_DECLARE(hcache);
#else
#define FUZZ_ONE(name) int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#define FUZZ_INIT(name) int LLVMFuzzerInitialize(int *argc, char ***argv)
FUZZ_ONE(any);
FUZZ_INIT(any);
#endif

/* Prints "fuzz: broken invariant: ..." to stderr and aborts. */
#define fuzz_check(cond, ...) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__))
__attribute__((noreturn, format(printf, 4, 5)))
void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...);

/* A malloc'd NUL-terminated copy of the input, or NULL when the input
 * holds a NUL byte (a C string from the command line never does). */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* The line of byte off in text, counting from first_line. */
uint32_t fuzz_line_at(const char *text, size_t off, uint32_t first_line);

/* The same for offsets visited in increasing order, in linear time. */
struct fuzz_lines {
	const char *text;
	size_t pos;
	uint32_t line;
};
void fuzz_lines_init(struct fuzz_lines *l, const char *text, uint32_t first_line);
uint32_t fuzz_lines_at(struct fuzz_lines *l, size_t off);

/* True when err is non-empty and each of its lines starts with prefix and,
 * when with_line, then "N:" (the "file:line: message" shape). */
bool fuzz_err_lines_start(const char *err, const char *prefix, bool with_line);

#endif
