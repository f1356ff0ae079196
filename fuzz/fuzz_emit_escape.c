/* Round trip of emit's field encoders (emit/emit_write.h): a cell written
 * with emit_csv_field() must parse back, with a small strict RFC 4180 field
 * parser, to the same bytes, and be quoted exactly when
 * emit_csv_needs_quotes() says so; a cell written with emit_json_string()
 * must be a valid JSON string that unescapes to the same bytes. */
#include <stdlib.h>
#include <string.h>

#include "emit_write.h"
#include "fuzz_util.h"

static char *capture_csv(const char *s, size_t len, size_t *olen)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, olen);
    if (!f)
        return NULL;
    emit_csv_field(f, s, len);
    fclose(f);
    return buf;
}

static char *capture_json(const char *s, size_t len, size_t *olen)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, olen);
    if (!f)
        return NULL;
    emit_json_string(f, s, len);
    fclose(f);
    return buf;
}

/* Strict RFC 4180 field: quoted with "" for a quote, or bare without any of
 * , " CR LF. Returns the decoded length or -1. dst has room for n bytes. */
static long csv_decode(const char *p, size_t n, char *dst)
{
    size_t k = 0;
    if (n && p[0] == '"') {
        if (n < 2 || p[n - 1] != '"')
            return -1;
        for (size_t i = 1; i < n - 1; i++) {
            if (p[i] == '"') {
                if (i + 1 >= n - 1 || p[i + 1] != '"')
                    return -1;
                i++;
            }
            dst[k++] = p[i];
        }
        return (long)k;
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
            return -1;
        dst[k++] = p[i];
    }
    return (long)k;
}

static int hexval(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Decode a JSON string written by emit (escapes it may use: \" \\ \/ \b \f
 * \n \r \t \u00XX). Returns the decoded length or -1. */
static long json_decode(const char *p, size_t n, char *dst)
{
    size_t k = 0;
    if (n < 2 || p[0] != '"' || p[n - 1] != '"')
        return -1;
    for (size_t i = 1; i < n - 1; i++) {
        if (p[i] != '\\') {
            if (p[i] == '"')
                return -1;
            dst[k++] = p[i];
            continue;
        }
        if (++i >= n - 1)
            return -1;
        switch (p[i]) {
        case '"': dst[k++] = '"'; break;
        case '\\': dst[k++] = '\\'; break;
        case '/': dst[k++] = '/'; break;
        case 'b': dst[k++] = '\b'; break;
        case 'f': dst[k++] = '\f'; break;
        case 'n': dst[k++] = '\n'; break;
        case 'r': dst[k++] = '\r'; break;
        case 't': dst[k++] = '\t'; break;
        case 'u': {
            if (i + 4 > n - 2) /* four hex digits before the closing quote */
                return -1;
            int v = 0;
            for (int j = 1; j <= 4; j++)
                v = v * 16 + hexval(p[i + j]);
            if (v > 0xFF)
                return -1; /* emit only escapes bytes below 0x20 */
            dst[k++] = (char)v;
            i += 4;
            break;
        }
        default:
            return -1;
        }
    }
    return (long)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t clen = 0, jlen = 0;
    char *csv = capture_csv(s, size, &clen);
    char *json = capture_json(s, size, &jlen);
    char *back = malloc(size + 1);
    if (!csv || !json || !back)
        goto out;

    int quoted = clen > 0 && csv[0] == '"';
    FZ_CHECK(quoted == (emit_csv_needs_quotes(s, size) != 0));
    long n = csv_decode(csv, clen, back);
    FZ_CHECK(n >= 0);
    FZ_CHECK((size_t)n == size && memcmp(back, s, size) == 0);
    /* A bare field never carries what a spreadsheet would trim or split. */
    if (!quoted && size)
        FZ_CHECK(s[0] != ' ' && s[size - 1] != ' ');

    FZ_CHECK(fz_json_valid(json, jlen));
    n = json_decode(json, jlen, back);
    FZ_CHECK(n >= 0);
    FZ_CHECK((size_t)n == size && memcmp(back, s, size) == 0);
    /* Valid UTF-8 in, valid UTF-8 out (raw bytes are never altered). */
    if (fz_utf8_ok(s, size))
        FZ_CHECK(fz_utf8_ok(json, jlen) && fz_utf8_ok(csv, clen));
out:
    free(csv);
    free(json);
    free(back);
    return 0;
}
