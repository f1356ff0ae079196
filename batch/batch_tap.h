/* Counting what flows through a pipeline without parsing it: a tap watches
 * the layout or table stream (docs/streams.md) pass by in arbitrary chunks
 * and notes its `page`, `endpage ... failed:`, `table` and `end` records; a
 * record counter counts the records of a CSV, JSON or JSON Lines output.
 * Both look at line starts and quotes only, so they cost little more than
 * the copy they ride on, and neither ever holds more than a few bytes.
 *
 * Ownership: both are caller-owned storage; nothing is allocated. */
#ifndef BATCH_TAP_H
#define BATCH_TAP_H

#include <stddef.h>
#include "batch_opts.h"

/* Bytes of a line start kept to recognise a record: "endpage\t" plus a page
 * number and "\tfailed" fits; `end` lines are "end\tN\tM". */
#define BATCH_TAP_PREFIX 48u

typedef struct {
    char prefix[BATCH_TAP_PREFIX]; /* start of the current line */
    size_t plen;
    int in_line;       /* 1 once the prefix is full or processed: skip to \n */
    unsigned long pages;        /* `page` records seen (layout stream) */
    unsigned long failed_pages; /* `endpage N failed:...` records */
    unsigned long tables;       /* `table` records (table stream) */
    unsigned long warns;        /* `warn` records */
    int have_end;               /* an `end` record was seen */
    unsigned long end_a, end_b; /* its two numbers */
} batch_tap;

void batch_tap_init(batch_tap *t);

/* Feed the next chunk of the stream. */
void batch_tap_feed(batch_tap *t, const char *p, size_t len);

/* Call at the end of the stream (a last line without '\n' counts). */
void batch_tap_finish(batch_tap *t);

typedef struct {
    batch_format fmt;
    int skip_header;      /* CSV: the first record is a header */
    int in_quotes;        /* CSV: inside a quoted field */
    int in_string, escape;/* JSON: inside a string, after a backslash */
    int depth;            /* JSON: nesting depth */
    int line_has_data;    /* CSV/JSONL: the current line holds a byte */
    unsigned long records;
} batch_counter;

/* Count records of format fmt; skip_header for a CSV whose first line names
 * the columns (emit's cells and form modes). */
void batch_counter_init(batch_counter *c, batch_format fmt, int skip_header);
void batch_counter_feed(batch_counter *c, const char *p, size_t len);
/* The count, after the last chunk. */
unsigned long batch_counter_finish(batch_counter *c);

#endif
