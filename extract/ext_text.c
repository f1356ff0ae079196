/* Plain-text form dumps to `line` records: decode (ft_decoder), split lines
 * (LF, CR LF, CR; FF = new page), check everything in a first pass, write in
 * a second. */
#include "ext_text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ft_decode.h"
#include "ft_layout.h"
#include "ft_limits.h"
#include "ft_sha256.h"

/* ---- line splitter ------------------------------------------------------ */

void ext_splitter_init(ext_splitter *s, ext_line_fn on_line,
                       ext_formfeed_fn on_formfeed, void *ctx)
{
    memset(s, 0, sizeof *s);
    ft_buf_init(&s->cur, FT_MAX_INPUT_LINE_LEN);
    s->lineno = 1;
    s->on_line = on_line;
    s->on_formfeed = on_formfeed;
    s->ctx = ctx;
}

void ext_splitter_cleanup(ext_splitter *s)
{
    ft_buf_cleanup(&s->cur);
}

/* Hand the collected piece of the current line to the callback. */
static ft_err emit_piece(ext_splitter *s)
{
    ft_err rc = FT_OK;
    if (s->on_line)
        rc = s->on_line(s->ctx, s->lineno, s->cur.data ? s->cur.data : "",
                        s->cur.len);
    ft_buf_reset(&s->cur);
    return rc;
}

ft_err ext_splitter_feed(ext_splitter *s, const char *p, size_t len)
{
    ft_err rc = FT_OK;
    size_t start = 0; /* first byte of p not yet copied into cur */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c > '\r' || (c != '\n' && c != '\r' && c != '\f' && c != 0)) {
            s->after_cr = 0;
            continue;
        }
        /* A special byte: first move the ordinary bytes before it. */
        if (i > start) {
            rc = ft_buf_append(&s->cur, p + start, i - start);
            if (rc)
                goto out;
        }
        start = i + 1;
        if (c == 0) {
            s->bad_offset = s->offset + i;
            rc = FT_ENCODING;
            goto out;
        }
        if (c == '\n' && s->after_cr) {
            s->after_cr = 0; /* the LF of a CR LF pair */
            continue;
        }
        s->after_cr = c == '\r';
        if (c == '\f') {
            if (s->cur.len > 0 && (rc = emit_piece(s)))
                goto out;
            if (s->on_formfeed && (rc = s->on_formfeed(s->ctx)))
                goto out;
            continue;
        }
        if ((rc = emit_piece(s)))
            goto out;
        s->lineno++;
    }
    if (len > start)
        rc = ft_buf_append(&s->cur, p + start, len - start);
out:
    if (rc == FT_OK)
        s->offset += len;
    return rc;
}

ft_err ext_splitter_finish(ext_splitter *s)
{
    if (s->cur.len == 0)
        return FT_OK;
    return emit_piece(s);
}

int ext_line_is_blank(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] != ' ')
            return 0;
    return 1;
}

/* ---- pass 2: the stream writer ------------------------------------------ */

typedef struct {
    FILE *out;
    const ext_pages *pages;
    unsigned page;            /* number of the current page */
    int open;                 /* its `page` record is written */
    unsigned long nlines;     /* lines seen on the current page */
    unsigned npages_written;
} text_writer;

static void open_page(text_writer *w)
{
    ft_layout_write_page(w->out, w->page, 0, 0, 0, 0, "plain");
    w->open = 1;
    w->npages_written++;
}

/* Close the current page and move on to the next. explicit_break: the input
 * asked for it (a form feed), so an empty page is still written. */
static void next_page(text_writer *w, int explicit_break)
{
    if (!w->open && explicit_break && ext_pages_contains(w->pages, w->page))
        open_page(w);
    if (w->open)
        ft_layout_write_endpage(w->out, w->page, NULL);
    w->open = 0;
    w->page++;
    w->nlines = 0;
}

static ft_err write_line(void *ctx, unsigned long number, const char *text,
                         size_t len)
{
    text_writer *w = ctx;
    if (ext_line_is_blank(text, len))
        return FT_OK;
    if (w->nlines == FT_MAX_TEXT_LINES_PER_PAGE)
        next_page(w, 0);
    w->nlines++;
    if (!ext_pages_contains(w->pages, w->page))
        return FT_OK;
    if (!w->open)
        open_page(w);
    ft_layout_write_line(w->out, number, text, len);
    return ferror(w->out) ? FT_IO : FT_OK;
}

static ft_err write_formfeed(void *ctx)
{
    next_page(ctx, 1);
    return FT_OK;
}

/* ---- both passes -------------------------------------------------------- */

/* One pass over the input: decode and split, writing through w when it is
 * not NULL (pass 2), hashing into sha when it is not NULL (pass 1).
 * *only_ascii tells whether every byte before an encoding error was ASCII. */
static ft_err run_pass(FILE *in, const char *encoding, text_writer *w,
                       ft_sha256 *sha, char *used_enc, size_t used_enc_len,
                       unsigned long long *bad_off, unsigned long *bad_line,
                       int *only_ascii, int *nul)
{
    ft_err rc = FT_OK;
    ft_decoder *dec = NULL;
    ext_splitter sp;
    ft_buf utf8;
    char *chunk = NULL;
    int done = 0, first = 1, wide = 0;
    unsigned long long offset = 0;

    ext_splitter_init(&sp, w ? write_line : NULL, w ? write_formfeed : NULL, w);
    /* Room for a chunk decoded from UTF-16 or GB18030 (at most 4 bytes of
     * UTF-8 per input byte) plus the decoder's carried bytes. */
    ft_buf_init(&utf8, EXT_TEXT_CHUNK * 4u + 64u);
    *only_ascii = 1;
    *bad_line = 0;
    *nul = 0;
    chunk = malloc(EXT_TEXT_CHUNK);
    if (!chunk) {
        rc = FT_NOMEM;
        goto out;
    }
    if ((rc = ft_decoder_new(encoding, &dec)))
        goto out;
    if (fseek(in, 0, SEEK_SET) != 0) {
        rc = FT_IO;
        goto out;
    }
    while (!done) {
        size_t n = fread(chunk, 1, EXT_TEXT_CHUNK, in);
        if (n < EXT_TEXT_CHUNK) {
            if (ferror(in)) {
                rc = FT_IO;
                goto out;
            }
            done = 1;
        }
        if (sha)
            ft_sha256_update(sha, chunk, n);
        if (first) {
            size_t bom;
            const char *e = encoding ? encoding
                                     : ft_detect_encoding(chunk, n, &bom);
            wide = !strncasecmp(e, "UTF-16", 6) || !strncasecmp(e, "UTF-32", 6) ||
                   !strncasecmp(e, "UCS", 3);
            first = 0;
        }
        /* NUL bytes in a byte-oriented encoding: a binary file. Caught before
         * decoding so the message says so rather than "undecodable". */
        const char *zero = wide ? NULL : memchr(chunk, 0, n);
        if (zero) {
            *bad_off = offset + (unsigned long long)(zero - chunk);
            *nul = 1;
            rc = FT_ENCODING;
            goto out;
        }
        offset += n;
        ft_buf_reset(&utf8);
        rc = ft_decoder_feed(dec, chunk, n, done, &utf8, bad_off);
        if (!rc) {
            rc = ext_splitter_feed(&sp, utf8.data ? utf8.data : "", utf8.len);
            if (rc == FT_ENCODING) /* a NUL byte */
                *nul = 1;
            if (rc)
                *bad_line = sp.lineno;
        }
        if (*only_ascii && utf8.len) {
            for (size_t i = 0; i < utf8.len; i++)
                if ((unsigned char)utf8.data[i] >= 0x80) {
                    *only_ascii = 0;
                    break;
                }
        }
        if (rc)
            goto out;
    }
    rc = ext_splitter_finish(&sp);
    if (rc)
        *bad_line = sp.lineno;
out:
    if (dec && ft_decoder_encoding(dec))
        snprintf(used_enc, used_enc_len, "%s", ft_decoder_encoding(dec));
    else
        snprintf(used_enc, used_enc_len, "%s", encoding ? encoding : "?");
    ft_decoder_free(dec);
    ext_splitter_cleanup(&sp);
    ft_buf_cleanup(&utf8);
    free(chunk);
    return rc;
}

ft_err ext_text_extract(FILE *in, const char *name, const char *encoding,
                        const ext_pages *pages, FILE *out, ft_diag *diag,
                        char *msg, size_t msg_len)
{
    ft_err rc;
    ft_sha256 sha;
    char enc[64];
    unsigned long long bad_off = 0;
    unsigned long bad_line = 0;
    int only_ascii = 1, nul = 0;
    ft_doc doc;
    text_writer w;

    ft_doc_init(&doc);
    msg[0] = '\0';

    /* Pass 1: hash, and prove the whole input decodes. */
    ft_sha256_init(&sha);
    rc = run_pass(in, encoding, NULL, &sha, enc, sizeof enc, &bad_off,
                  &bad_line, &only_ascii, &nul);
    if (rc == FT_ENCODING && !nul && !encoding && !strcmp(enc, "UTF-8") &&
        only_ascii && bad_off > 0) {
        /* Detected as UTF-8 from an all-ASCII start, then a non-UTF-8 byte:
         * a GB18030 file whose first chunk happened to be ASCII. ASCII means
         * the same in GB18030, so nothing decoded so far changes meaning. */
        ft_diag_debug(diag, "%s: not UTF-8 after an ASCII start; trying GB18030",
                      name);
        encoding = "GB18030";
        ft_sha256_init(&sha);
        rc = run_pass(in, encoding, NULL, &sha, enc, sizeof enc, &bad_off,
                      &bad_line, &only_ascii, &nul);
        if (rc == FT_ENCODING)
            encoding = NULL;
    }
    if (rc) {
        switch (rc) {
        case FT_ENCODING:
            if (nul) {
                if (bad_line)
                    snprintf(msg, msg_len, "binary data (NUL character on "
                             "line %lu): not a text file", bad_line);
                else
                    snprintf(msg, msg_len, "binary data (NUL byte at byte "
                             "offset %llu): not a text file", bad_off);
                break;
            }
            snprintf(msg, msg_len, "%s at byte offset %llu (%s %s; use --encoding)",
                     "undecodable byte sequence", bad_off,
                     encoding ? "encoding" : "detected", enc);
            break;
        case FT_LIMIT:
            snprintf(msg, msg_len, "line %lu is longer than %u bytes", bad_line,
                     FT_MAX_INPUT_LINE_LEN);
            break;
        case FT_USAGE:
            snprintf(msg, msg_len, "unknown encoding '%s'", encoding);
            break;
        case FT_IO:
            snprintf(msg, msg_len, "read error: %s", strerror(errno));
            break;
        default:
            break;
        }
        goto out;
    }
    ft_sha256_hex(&sha, doc.sha256);
    ft_diag_debug(diag, "%s: text input, encoding %s", name, enc);

    /* Pass 2: write. */
    doc.source = (char *)name; /* borrowed for the header only */
    strcpy(doc.kind, "text");
    doc.npages = 0;
    ft_layout_write_header(out, &doc);
    doc.source = NULL;
    memset(&w, 0, sizeof w);
    w.out = out;
    w.pages = pages;
    w.page = 1;
    rc = run_pass(in, encoding, &w, NULL, enc, sizeof enc, &bad_off, &bad_line,
                  &only_ascii, &nul);
    if (rc) {
        /* The input changed under us between the passes. */
        snprintf(msg, msg_len, "input changed while it was read (%s)",
                 ft_strerror(rc));
        goto out;
    }
    if (w.open)
        ft_layout_write_endpage(out, w.page, NULL);
    else if (w.npages_written == 0 && w.page == 1 && ext_pages_contains(pages, 1)) {
        /* Only blank lines: still one (empty) page. */
        open_page(&w);
        ft_layout_write_endpage(out, 1, NULL);
    }
    ft_layout_write_end(out, w.npages_written, 0);
    if (ferror(out)) {
        rc = FT_IO;
        snprintf(msg, msg_len, "write error on standard output");
    }
out:
    ft_doc_cleanup(&doc);
    return rc;
}
