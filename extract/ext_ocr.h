/* The OCR engine interface of extract: a page image in, text runs with boxes
 * and confidences out (flagged FT_RUN_OCR), written into the same ft_page the
 * text-layer path fills, so normalize and emit need no second path. The
 * engine (Tesseract today) sits behind this small interface so another can be
 * added later.
 *
 * Ownership: ext_ocr_new() returns an engine the caller frees with
 * ext_ocr_free() (NULL is a no-op). Images are borrowed for the call. */
#ifndef EXT_OCR_H
#define EXT_OCR_H

#include <stddef.h>
#include "ft_error.h"
#include "ft_layout.h"

typedef struct ext_ocr ext_ocr;

typedef struct {
    const char *lang;   /* Tesseract languages, e.g. "chi_sim+eng" */
    int dpi;            /* resolution the page image was rendered at */
    int verbose;
} ext_ocr_options;

/* An 8-bit grey page image: 0 black .. 255 white. */
typedef struct {
    const unsigned char *pixels;
    int width, height;  /* pixels */
    int stride;         /* bytes per row */
    double scale;       /* pixels per PDF point (dpi / 72) */
} ext_image;

/* 1 if this build has an OCR engine. */
int ext_ocr_available(void);

/* Start an engine. A missing language pack is FT_OCR with a message in msg
 * naming the Debian package to install (tesseract-ocr-chi-sim ...). */
FT_WUR ft_err ext_ocr_new(const ext_ocr_options *opt, ext_ocr **out,
                          char *msg, size_t msg_len);
void ext_ocr_free(ext_ocr *ocr);

/* Recognise page image img and append runs to page (boxes in PDF points,
 * origin top-left, flags FT_RUN_OCR, conf 0..100). rules: the ruling lines
 * already found on this image (in PDF points), which the engine may use to
 * OCR cell by cell; may be empty. Warnings go to page->warnings. FT_OCR (msg
 * says why), FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err ext_ocr_page(ext_ocr *ocr, const ext_image *img,
                           const ft_box *rules, size_t nrules, ft_page *page,
                           char *msg, size_t msg_len);

#endif
