/* Output encodings of formtab-emit: RFC 4180 CSV fields, JSON strings, and a
 * record writer that puts one record (an ordered list of key/value pairs) out
 * as a CSV line, a member of a streamed JSON array, or a JSON Lines object.
 * Nothing here knows what a table or a form is.
 *
 * Ownership: emit_writer is caller-owned storage that borrows its FILE; it
 * allocates nothing. Write errors are not returned per call: they stick in the
 * FILE (ferror) and the caller checks once at the end, as stdio intends. */
#ifndef EMIT_WRITE_H
#define EMIT_WRITE_H

#include <stddef.h>
#include <stdio.h>

typedef enum { EMIT_CSV, EMIT_JSON, EMIT_JSONL } emit_format;

/* ---- field encoders ------------------------------------------------------ */

/* 1 if s[0..len) must be quoted in CSV: it holds a comma, a double quote, a
 * control byte (CR, LF or any other below 0x20 except TAB, or DEL), or starts
 * or ends with a space or TAB (spreadsheets and some loaders trim those). */
int emit_csv_needs_quotes(const char *s, size_t len);

/* Write s[0..len) as one CSV field (no separator): as is, or in double quotes
 * with every '"' doubled when emit_csv_needs_quotes() says so. Bytes are
 * written unchanged, so UTF-8 stays UTF-8. */
void emit_csv_field(FILE *f, const char *s, size_t len);

/* Write s[0..len) as a JSON string with its quotes. '"' and '\' are escaped
 * with a backslash, every byte below 0x20 as \u00XX; all other bytes,
 * including UTF-8 sequences, are written raw. */
void emit_json_string(FILE *f, const char *s, size_t len);

/* ---- record writer -------------------------------------------------------- */

typedef struct {
    FILE *out;
    emit_format fmt;
    int crlf;              /* CSV lines end with CRLF instead of LF */
    int bom;               /* start CSV output with a UTF-8 BOM */
    int started;           /* emit_writer_begin() has run */
    unsigned long nrecords;/* records completed */
    unsigned nfields;      /* fields written in the current record */
} emit_writer;

/* Set up a writer on out. crlf and bom only matter for CSV. */
void emit_writer_init(emit_writer *w, FILE *out, emit_format fmt, int crlf,
                      int bom);

/* Start the output: the BOM for CSV when asked, '[' for JSON. Idempotent. */
void emit_writer_begin(emit_writer *w);

/* End the output: "]\n" for JSON (an empty array when there were no records).
 * Calls emit_writer_begin() first if needed, so "[]" is written for JSON
 * even when nothing else was. */
void emit_writer_finish(emit_writer *w);

/* A CSV header line of n column names (CSV only; no-op for JSON). */
void emit_writer_header(emit_writer *w, const char *const *names, size_t n);

/* Start and end one record. For JSON a record is an object; between two
 * records of a JSON array the writer puts ",\n"; each JSON Lines object and
 * each CSV record ends with a line end. */
void emit_rec_begin(emit_writer *w);
void emit_rec_end(emit_writer *w);

/* Append one value to the current record under key (the key is ignored for
 * CSV, where the header gives the names).
 *   _str:  a string; s == NULL writes null (JSON) or an empty field (CSV)
 *   _cstr: a NUL-terminated string or NULL
 *   _num:  a number already spelled as a decimal literal (e.g. "37780000.00";
 *          formtab never prints binary floats), NULL for null; JSON writes it
 *          unquoted
 *   _uint: an unsigned integer
 *   _bool: true/false (CSV writes the same words)
 *   _key:  only the separator and key, for a value the caller writes itself
 *          (JSON only: nested arrays in rows mode). */
void emit_rec_str(emit_writer *w, const char *key, const char *s, size_t len);
void emit_rec_cstr(emit_writer *w, const char *key, const char *s);
void emit_rec_num(emit_writer *w, const char *key, const char *num);
void emit_rec_uint(emit_writer *w, const char *key, unsigned long v);
void emit_rec_bool(emit_writer *w, const char *key, int v);
void emit_rec_key(emit_writer *w, const char *key);

#endif
