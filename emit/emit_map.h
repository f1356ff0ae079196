/* Mapping files of formtab-emit --records=form: which cell texts are field
 * labels (and the snake_case names they get), which header rows start an
 * indicator, funds, budget or per-row section, and how the values are typed.
 * The format is specified in docs/records.md; emit/formtab.map is the
 * built-in map, compiled into the program.
 *
 * Patterns are PCRE2 with PCRE2_UTF, compiled once at load (JIT where the
 * platform has it) and matched under one match context whose match, depth and
 * heap limits keep a hostile pattern or cell from running away. They are
 * matched against a cell's key: its text compacted (emit_key) and anchored at
 * both ends.
 *
 * Ownership: emit_map_load/emit_map_parse/emit_map_builtin return a map the
 * caller frees with emit_map_free(). All strings inside belong to the map. */
#ifndef EMIT_MAP_H
#define EMIT_MAP_H

#include <stddef.h>
#include <stdint.h>
#include "ft_buf.h"
#include "ft_error.h"

/* Biggest mapping file read: the built-in map is 5 KB. */
#define EMIT_MAX_MAP_LEN (1024u * 1024u)
/* Most rules of each kind: far above any real form family; a cap so a broken
 * file cannot make matching every cell against every rule quadratic. */
#define EMIT_MAX_RULES 1000u
/* Match limits (PCRE2 units) for one cell: a label is tens of characters, a
 * narrative cell a few thousand; backtracking past these means a bad pattern,
 * reported as a mapping-file problem, never a hang. */
#define EMIT_MATCH_LIMIT 1000000u
#define EMIT_DEPTH_LIMIT 10000u
#define EMIT_HEAP_LIMIT_KB 20000u

/* How a value is typed (docs/records.md "value types"). */
typedef enum {
    EMIT_VT_TEXT,     /* text as printed */
    EMIT_VT_AMOUNT,   /* money: number and currency unit (own, label's or
                         the block label's) */
    EMIT_VT_NUMBER,   /* a plain number */
    EMIT_VT_PERCENT,  /* a number with % (or none) */
    EMIT_VT_QUANTITY, /* a number with any unit: 2000 人, 150 元/人 */
    EMIT_VT_DATE,     /* YYYY-MM-DD or YYYY-MM */
    EMIT_VT_TARGET,   /* comparison, number, unit */
    EMIT_VT_LIST      /* a numbered list of indicators (rows sections) */
} emit_vtype;

/* Name of a value type as written in records ("text", "amount", ...). */
const char *emit_vtype_name(emit_vtype t);

typedef enum {
    EMIT_SEC_INDICATOR, /* level1..3, target, actual, weight, score, ... */
    EMIT_SEC_FUNDS,     /* rows named by `row`, columns typed: fields */
    EMIT_SEC_BUDGET,    /* budget_item records */
    EMIT_SEC_ROWS       /* one subject per row: fields and list indicators */
} emit_sec_kind;

typedef struct emit_pattern emit_pattern; /* a compiled, anchored pattern */

typedef struct {
    char *name;
    emit_vtype type;
    int below;          /* @below: the value is the cell under the label */
    char *in_group;     /* @in=GROUP or NULL */
    int self;           /* the pattern has a "value" group */
    emit_pattern *label;  /* whole cell is the label (":" optional) */
    emit_pattern *inline_; /* "label:value" in one cell; value group 1 */
    unsigned line;
} emit_field_rule;

typedef struct {
    char *role;
    emit_vtype type;
    emit_pattern *pat;
    unsigned line;
} emit_column_rule;

typedef struct {
    char *name;
    emit_pattern *pat;
} emit_row_rule;

typedef struct {
    char *name;
    emit_sec_kind kind;
    emit_column_rule *cols;
    size_t ncols;
    emit_row_rule *rows;
    size_t nrows;
    char *total_name;     /* `total NAME PATTERN`, or NULL */
    emit_pattern *total;
    unsigned line;
} emit_section_rule;

typedef struct emit_map {
    emit_field_rule *fields;
    size_t nfields;
    emit_section_rule *sections;
    size_t nsections;
    struct emit_map_pcre *pcre; /* match context and scratch */
} emit_map;

/* Read and compile a mapping file. On error msg (len bytes) says
 * "PATH: line N: reason". FT_NOENT / FT_IO (cannot read), FT_CONFIG (bad
 * line, unknown word or type, missing argument, file too big), FT_PATTERN
 * (a pattern PCRE2 rejects: its message and offset), FT_NOMEM. */
FT_WUR ft_err emit_map_load(const char *path, emit_map **map, char *msg,
                            size_t len);

/* The same from text[0..tlen) named name in messages. */
FT_WUR ft_err emit_map_parse(const char *text, size_t tlen, const char *name,
                             emit_map **map, char *msg, size_t len);

/* The built-in map (emit/formtab.map). */
FT_WUR ft_err emit_map_builtin(emit_map **map, char *msg, size_t len);

void emit_map_free(emit_map *map);

/* Match p against key[0..len) as a whole. Returns 1 on a match (and, when
 * the pattern has a value group, its byte range in *vs..*ve; else both 0),
 * 0 for no match, -1 when a match limit was hit (treated as no match by the
 * callers, who warn). */
int emit_pattern_match(const emit_map *m, const emit_pattern *p,
                       const char *key, size_t len, size_t *vs, size_t *ve);

/* The key of a cell text: full-width ASCII forms to ASCII, all white space
 * removed, appended to out; offs (may be NULL) receives, for each key byte,
 * the offset in s of the character it came from (out->len bytes before the
 * call are not counted). s must be valid UTF-8 (the stream reader checks).
 * FT_LIMIT, FT_NOMEM. */
FT_WUR ft_err emit_key(const char *s, size_t len, ft_buf *out, uint32_t *offs,
                       size_t offs_cap);

#endif
