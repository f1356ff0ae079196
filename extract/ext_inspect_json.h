/* The form records formtab-emit writes (`--records form --format jsonl`,
 * docs/records.md), read back for the review page: one flat JSON object per
 * line, grouped by the `table` member. Only what the page shows is parsed:
 * each member's key and its value as text; nested arrays and objects are
 * kept as their JSON text. This is no general JSON library: it reads what a
 * JSON writer produces and rejects the rest, line by line.
 *
 * Ownership: ext_records is caller-owned storage (init/cleanup); the input
 * FILE is borrowed. Records handed out live in the reader's arena until the
 * next ext_records_for_table(). */
#ifndef EXT_INSPECT_JSON_H
#define EXT_INSPECT_JSON_H

#include <stddef.h>
#include <stdio.h>
#include "ft_arena.h"
#include "ft_buf.h"
#include "ft_error.h"
#include "ft_stream.h"

/* Most members of one record (emit's widest form record has about 20) and
 * nesting depth of a value; more is not a record emit wrote. */
#define EXT_JSON_MAX_MEMBERS 64u
#define EXT_JSON_MAX_DEPTH 32u

/* Most records kept for one table (a 500-row budget table gives a few
 * thousand), and their bytes; past these they are counted, not kept. */
#define EXT_RECORDS_MAX_PER_TABLE 50000u
#define EXT_RECORDS_MAX_TEXT (32u * 1024u * 1024u)

typedef enum {
    EXT_JSON_STRING, /* text: the decoded string (UTF-8) */
    EXT_JSON_NUMBER, /* text: the literal as written */
    EXT_JSON_BOOL,   /* text: "true" or "false" */
    EXT_JSON_NULL,   /* text: "null" */
    EXT_JSON_NESTED  /* text: the array or object as written */
} ext_json_type;

typedef struct {
    const char *key;
    ext_json_type type;
    const char *text;
    size_t len;
} ext_json_member;

typedef struct {
    ext_json_member *m;
    size_t n;
} ext_record;

/* Parse one JSON object s[0..len) into members allocated from a. FT_FORMAT
 * (msg says where), FT_LIMIT (too many members, too deep, arena full). */
FT_WUR ft_err ext_json_parse_object(const char *s, size_t len, ft_arena *a,
                                    ext_record *out, char *msg,
                                    size_t msg_len);

/* The member named key, or NULL. */
const ext_json_member *ext_record_get(const ext_record *r, const char *key);

/* A member as an unsigned number; 0 if absent or not a whole number. */
int ext_record_uint(const ext_record *r, const char *key, unsigned *out);

typedef struct {
    ft_line_reader lr;
    int active;                 /* 0: no records (no input) */
    ft_arena arena;
    ext_record *recs;           /* records of the last table asked for */
    size_t nrecs, cap;
    ft_buf ahead;               /* a line read ahead (a later table's) */
    unsigned ahead_table;
    int have_ahead;
    unsigned long skipped;      /* lines not parsed, out of order, past caps */
    char msg[256];              /* the first reason a line was skipped */
} ext_records;

/* Start reading records from in (NULL: there are none). FT_NOMEM. */
FT_WUR ft_err ext_records_init(ext_records *r, FILE *in);
void ext_records_cleanup(ext_records *r);

/* The records whose `table` member is table. Records must come in table
 * order (emit writes them a table at a time); a record for an earlier table
 * than the one asked for, or a line that does not parse, is skipped and
 * counted in r->skipped. FT_OK (possibly none), FT_IO, FT_NOMEM. */
FT_WUR ft_err ext_records_for_table(ext_records *r, unsigned table,
                                    const ext_record **out, size_t *n);

#endif
