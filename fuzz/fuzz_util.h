/* Helpers shared by the libFuzzer targets: a byte consumer that takes
 * parameters (chunk sizes, choices) from the front of the fuzz input, a
 * FILE over a memory buffer, and a crash-on-failure check that survives
 * -DNDEBUG builds.
 *
 * Ownership: fz_consumer borrows the fuzzer's bytes; fz_memfile() returns a
 * FILE the caller closes with fclose(). */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Abort with a message when cond is false. Unlike assert() it stays in
 * release builds: a failed check is a finding the fuzzer must report. */
#define FZ_CHECK(cond)                                                       \
    do {                                                                     \
        if (!(cond))                                                         \
            fz_fail(__FILE__, __LINE__, #cond);                              \
    } while (0)

void fz_fail(const char *file, int line, const char *what);

typedef struct {
    const uint8_t *p;
    size_t len;
} fz_consumer;

/* One byte (0 when the input is used up). */
uint8_t fz_u8(fz_consumer *c);
/* A value in [0, n) from one byte; n must be 1..256. */
unsigned fz_pick(fz_consumer *c, unsigned n);
/* Take up to len bytes from the front; *got says how many. */
const uint8_t *fz_take(fz_consumer *c, size_t len, size_t *got);

/* A read-only FILE over data[0..len) (an empty input gives an empty
 * stream, which fmemopen alone refuses). NULL if out of memory. */
FILE *fz_memfile(const uint8_t *data, size_t len);

/* 1 if s[0..len) is well-formed UTF-8 per ft_utf8_valid(). */
int fz_utf8_ok(const char *s, size_t len);

/* /dev/null opened for writing once per process (diagnostics and output
 * nobody reads). Never NULL: aborts if it cannot be opened. */
FILE *fz_devnull(void);

/* Strict JSON check of s[0..len): one value (with surrounding white space),
 * strings without raw control bytes and with valid escapes, nesting at most
 * 256 deep. Returns 1 if valid. */
int fz_json_valid(const char *s, size_t len);

/* Check that a layout stream s[0..len) reads back whole with the common
 * reader (header, pages, `end`). Returns 1 if it does; 0 with the reader's
 * message in msg. */
int fz_layout_ok(const char *s, size_t len, char *msg, size_t msg_len);

/* The same for a table stream (every table's cells cover its grid). */
int fz_tables_ok(const char *s, size_t len, char *msg, size_t msg_len);

#endif
