/* CSV and JSON encoders and the record writer (see emit_write.h). Bytes are
 * copied in runs with fwrite; only the characters that need escaping are
 * looked at one by one. */
#include "emit_write.h"

#include <string.h>

int emit_csv_needs_quotes(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
        s[len - 1] == '\t')
        return 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',' || c == '"' || c == 0x7f || (c < 0x20 && c != '\t'))
            return 1;
    }
    return 0;
}

void emit_csv_field(FILE *f, const char *s, size_t len)
{
    if (!emit_csv_needs_quotes(s, len)) {
        fwrite(s, 1, len, f);
        return;
    }
    putc('"', f);
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q) {
            fwrite(p, 1, (size_t)(end - p), f);
            break;
        }
        fwrite(p, 1, (size_t)(q - p) + 1, f); /* up to and with the quote */
        putc('"', f);                         /* ... doubled */
        p = q + 1;
    }
    putc('"', f);
}

void emit_json_string(FILE *f, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    putc('"', f);
    size_t run = 0; /* start of the bytes not yet written */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        fwrite(s + run, 1, i - run, f);
        run = i + 1;
        if (c == '"' || c == '\\') {
            putc('\\', f);
            putc((int)c, f);
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            fwrite(esc, 1, sizeof esc, f);
        }
    }
    fwrite(s + run, 1, len - run, f);
    putc('"', f);
}

void emit_writer_init(emit_writer *w, FILE *out, emit_format fmt, int crlf,
                      int bom)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->fmt = fmt;
    w->crlf = crlf;
    w->bom = bom;
}

static void line_end(emit_writer *w)
{
    if (w->fmt == EMIT_CSV && w->crlf)
        putc('\r', w->out);
    putc('\n', w->out);
}

void emit_writer_begin(emit_writer *w)
{
    if (w->started)
        return;
    w->started = 1;
    if (w->fmt == EMIT_CSV && w->bom)
        fputs("\xEF\xBB\xBF", w->out);
    else if (w->fmt == EMIT_JSON)
        putc('[', w->out);
}

void emit_writer_finish(emit_writer *w)
{
    emit_writer_begin(w);
    if (w->fmt == EMIT_JSON)
        fputs(w->nrecords ? "\n]\n" : "]\n", w->out);
}

void emit_writer_header(emit_writer *w, const char *const *names, size_t n)
{
    if (w->fmt != EMIT_CSV)
        return;
    emit_writer_begin(w);
    for (size_t i = 0; i < n; i++) {
        if (i)
            putc(',', w->out);
        emit_csv_field(w->out, names[i], strlen(names[i]));
    }
    line_end(w);
}

void emit_rec_begin(emit_writer *w)
{
    emit_writer_begin(w);
    w->nfields = 0;
    if (w->fmt == EMIT_JSON)
        fputs(w->nrecords ? ",\n{" : "\n{", w->out);
    else if (w->fmt == EMIT_JSONL)
        putc('{', w->out);
}

void emit_rec_end(emit_writer *w)
{
    if (w->fmt == EMIT_JSON) {
        putc('}', w->out);
    } else if (w->fmt == EMIT_JSONL) {
        fputs("}\n", w->out);
    } else {
        line_end(w);
    }
    w->nrecords++;
}

void emit_rec_key(emit_writer *w, const char *key)
{
    if (w->fmt == EMIT_CSV) {
        if (w->nfields)
            putc(',', w->out);
    } else {
        if (w->nfields)
            putc(',', w->out);
        emit_json_string(w->out, key, strlen(key));
        putc(':', w->out);
    }
    w->nfields++;
}

void emit_rec_str(emit_writer *w, const char *key, const char *s, size_t len)
{
    emit_rec_key(w, key);
    if (w->fmt == EMIT_CSV) {
        if (s)
            emit_csv_field(w->out, s, len);
    } else if (s) {
        emit_json_string(w->out, s, len);
    } else {
        fputs("null", w->out);
    }
}

void emit_rec_cstr(emit_writer *w, const char *key, const char *s)
{
    emit_rec_str(w, key, s, s ? strlen(s) : 0);
}

void emit_rec_num(emit_writer *w, const char *key, const char *num)
{
    emit_rec_key(w, key);
    if (num)
        fputs(num, w->out);
    else if (w->fmt != EMIT_CSV)
        fputs("null", w->out);
}

void emit_rec_uint(emit_writer *w, const char *key, unsigned long v)
{
    emit_rec_key(w, key);
    fprintf(w->out, "%lu", v);
}

void emit_rec_bool(emit_writer *w, const char *key, int v)
{
    emit_rec_key(w, key);
    fputs(v ? "true" : "false", w->out);
}
