/* The PDF path of formtab-extract: open the document with Poppler, then one
 * page at a time read the text layer, find the ruling lines, build runs (or
 * OCR a page without usable text) and write the page to the layout stream
 * before the next page is loaded. Nothing from GLib or Poppler leaves
 * extract/.
 *
 * Ownership: all arguments are borrowed; nothing is returned that needs
 * freeing. */
#ifndef EXT_PDF_H
#define EXT_PDF_H

#include <stddef.h>
#include <stdio.h>
#include "ext_opts.h"
#include "ft_diag.h"
#include "ft_error.h"

/* Resolution pages are rendered at to look for ruling lines. One pixel is
 * one point: on the ruled fixtures rules come out 0.27 pt from the truth on
 * average (0.18 at 100 dpi; the test tolerance is 1 pt) for 35% less CPU
 * than 100 dpi (3.6 against 5.6 ms a page on lo-seed003-forms;
 * docs/extract.md has the measurements). */
#define EXT_RULES_DPI 72.0

/* A page with fewer characters than this in its text layer and an image on
 * it is a scan with a stray text object (a stamped page number, a hidden
 * OCR layer of one word) and is OCRed under --ocr=auto. */
#define EXT_OCR_MIN_CHARS 10

/* Largest PDF read from standard input (it has to be held in memory). */
#define EXT_MAX_STDIN_PDF (512u * 1024u * 1024u)

/* Where the PDF comes from: a file (path) or bytes in memory (stdin). */
typedef struct {
    const char *path;     /* file to open, or NULL */
    const void *bytes;    /* the document when path is NULL */
    size_t nbytes;
    const char *name;     /* source as given, for the doc record and messages */
    char sha256[65];      /* hash of the input bytes */
} ext_pdf_input;

/* Write the layout stream of a PDF to out.
 * Document-level failures write nothing to out and return FT_PDF (damaged),
 * FT_ENCRYPTED (password missing or wrong), FT_NOENT, FT_NOMEM, with msg
 * saying why. Once the stream is started it is always finished with `end`;
 * then the result is FT_OK, FT_PAGE (some pages failed; each was reported
 * through diag and written as `endpage N failed: reason`), FT_LIMIT
 * (--max-pages stopped the document) or FT_IO (writing failed). */
FT_WUR ft_err ext_pdf_extract(const ext_pdf_input *in, const ext_options *opt,
                              FILE *out, ft_diag *diag, char *msg,
                              size_t msg_len);

#endif
