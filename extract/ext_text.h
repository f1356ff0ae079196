/* The plain-text input path of formtab-extract: a form dump (cells separated
 * by tabs, as in /work/shared/seeds) in any common encoding becomes `line`
 * records of the layout stream, page by page (form feeds start pages).
 *
 * The input is read twice: a first pass hashes the bytes and checks that the
 * whole file decodes (so a bad byte at the end never leaves half a stream on
 * stdout), the second writes the stream. Memory stays bounded by one input
 * line whatever the file size.
 *
 * Ownership: everything here is caller-owned storage; nothing returned needs
 * freeing except through the *_cleanup functions. */
#ifndef EXT_TEXT_H
#define EXT_TEXT_H

#include <stdio.h>
#include "ext_opts.h"
#include "ft_buf.h"
#include "ft_diag.h"
#include "ft_error.h"

/* Bytes read from the input per step. The first chunk is also what the
 * encoding is detected from, so it is large enough to see past an ASCII
 * title into the CJK body of a form. */
#define EXT_TEXT_CHUNK (64u * 1024u)

/* ---- line splitter: decoded UTF-8 in, numbered lines and form feeds out -- */

/* Called for each line (text without its terminator; tabs and trailing
 * white space kept). number is the 1-based line number in the input. A line
 * cut by a form feed is reported in pieces, each with the same number. */
typedef ft_err (*ext_line_fn)(void *ctx, unsigned long number,
                              const char *text, size_t len);
/* Called for each form feed (a page break). */
typedef ft_err (*ext_formfeed_fn)(void *ctx);

typedef struct {
    ft_buf cur;                 /* the line being collected */
    unsigned long lineno;       /* number of the line being collected */
    int after_cr;               /* last byte was CR: a following LF is its pair */
    unsigned long long offset;  /* decoded bytes seen so far */
    ext_line_fn on_line;
    ext_formfeed_fn on_formfeed;
    void *ctx;
    unsigned long long bad_offset; /* FT_ENCODING (NUL byte): its decoded offset */
} ext_splitter;

/* Lines are capped at FT_MAX_INPUT_LINE_LEN bytes of UTF-8. */
void ext_splitter_init(ext_splitter *s, ext_line_fn on_line,
                       ext_formfeed_fn on_formfeed, void *ctx);
void ext_splitter_cleanup(ext_splitter *s);

/* Feed decoded UTF-8. LF, CR LF and CR end a line; FF reports a page break.
 * FT_ENCODING for a NUL byte (binary data; s->bad_offset says where), FT_LIMIT
 * for a line longer than the cap (s->lineno names it), FT_NOMEM, or whatever a
 * callback returns. */
FT_WUR ft_err ext_splitter_feed(ext_splitter *s, const char *p, size_t len);

/* Report the last line if the input did not end with a line break. */
FT_WUR ft_err ext_splitter_finish(ext_splitter *s);

/* 1 if a line is blank (empty or only spaces) and is left out of the stream.
 * A line of tabs is kept: it is a row of empty cells. */
int ext_line_is_blank(const char *text, size_t len);

/* ---- the whole text path ------------------------------------------------- */

/* Write the layout stream of the text input in (seekable: it is read twice)
 * to out. name is the source as given (for the doc record and messages);
 * encoding forces an iconv encoding (NULL: detect); pages selects form-feed
 * pages. Errors: FT_ENCODING (undecodable bytes or binary data), FT_LIMIT
 * (a line too long), FT_USAGE (unknown encoding), FT_IO, FT_NOMEM; msg then
 * holds one line saying where and why, and nothing was written to out
 * (errors found in the first pass). */
FT_WUR ft_err ext_text_extract(FILE *in, const char *name,
                               const char *encoding, const ext_pages *pages,
                               FILE *out, ft_diag *diag, char *msg,
                               size_t msg_len);

#endif
