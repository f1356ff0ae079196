/* HTML for formtab's review pages, shared by `formtab inspect --html` and the
 * report of `formtab batch`: escaping of every string that came from a PDF,
 * the page skeleton (a head whose Content-Security-Policy forbids scripts and
 * any network access) and the one stylesheet both use. libc only: it links
 * formtab_common and nothing else, so batch/ can use it without Poppler.
 *
 * A review page is a self-contained folder: index.html, the stylesheet
 * (EXT_HTML_CSS_NAME) and PNG images, all referenced by relative names. It
 * reads offline and runs no script, so a cell that holds
 * `<script>alert(1)</script>` is shown as that text and nothing else.
 *
 * Ownership: functions write to a caller's FILE or ft_buf; nothing returned
 * needs freeing. */
#ifndef EXT_INSPECT_HTML_H
#define EXT_INSPECT_HTML_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include "ft_atomic.h"
#include "ft_buf.h"
#include "ft_error.h"

/* The policy every review page carries in a <meta http-equiv> tag: nothing
 * may load but images and the stylesheet from the page's own folder; no
 * script, no frame, no form target, no <base> rewriting. Inline style
 * attributes stay forbidden too: the page needs none (boxes over the page
 * image are SVG attributes, which CSP does not govern). */
#define EXT_HTML_CSP                                                        \
    "default-src 'none'; img-src 'self'; style-src 'self'; "               \
    "script-src 'none'; object-src 'none'; frame-src 'none'; "             \
    "base-uri 'none'; form-action 'none'"

/* File name of the stylesheet inside a review folder. */
#define EXT_HTML_CSS_NAME "inspect.css"

/* Escaping flags. */
enum {
    EXT_HTML_BR = 1 /* a line feed becomes <br> (cell text that wraps) */
};

/* Write s[0..len) as HTML text, safe both between tags and inside a quoted
 * attribute value: & < > " ' become &amp; &lt; &gt; &quot; &#39;. Bytes that
 * are not valid UTF-8 and control characters other than TAB and LF (which
 * HTML does not allow) are written as U+FFFD, so a damaged string can never
 * break the markup around it; a CR becomes a space. A multibyte character
 * is copied whole or replaced whole, never split. Returns 0, or EOF on a
 * write error (like fputs). */
int ext_html_put(FILE *f, const char *s, size_t len, unsigned flags);

/* ext_html_put for a NUL-terminated string. */
int ext_html_puts(FILE *f, const char *s, unsigned flags);

/* The same escaping appended to out. FT_LIMIT past out's cap, FT_NOMEM; on
 * failure out may hold part of the text. */
FT_WUR ft_err ext_html_escape(ft_buf *out, const char *s, size_t len,
                              unsigned flags);

/* Write the start of a review page: doctype, <head> with charset,
 * EXT_HTML_CSP, viewport, <title> (escaped) and a link to css_href (a
 * relative name such as EXT_HTML_CSS_NAME; escaped), then <body>. */
void ext_html_begin(FILE *f, const char *title, const char *css_href);

/* Close what ext_html_begin() opened. */
void ext_html_end(FILE *f);

/* Write the shared stylesheet to f: page sections with the page image
 * beside the extracted tables, highlighted warnings, boxes over the image
 * that light up when their anchor is the URL's fragment (:target), and the
 * run table of formtab batch's page (table.runs, rows r-<status>, words
 * st <status>). Returns 0, or EOF on a write error. */
int ext_html_put_css(FILE *f);

/* Open path for writing atomically (ft_atomic_open) with permission bits
 * mode instead of the temporary file's 0600: a review folder is meant to be
 * read by others (pass 0666 & ~umask). FT_IO (errno kept), FT_NOMEM. */
FT_WUR ft_err ext_html_atomic_open(ft_atomic *a, const char *path,
                                   mode_t mode);

/* Write the stylesheet to dir/EXT_HTML_CSS_NAME atomically with permission
 * bits mode. FT_IO (errno kept), FT_NOMEM. */
FT_WUR ft_err ext_html_write_css(const char *dir, mode_t mode);

/* Append dir + "/" + name to out (no slash doubled). FT_LIMIT, FT_NOMEM. */
FT_WUR ft_err ext_html_path(ft_buf *out, const char *dir, const char *name);

#endif
