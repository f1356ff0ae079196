/* The options of formtab-extract as plain data, and parsers for the ones with
 * a syntax of their own (--pages, --area, --ocr), kept apart from main.c so
 * the unit tests can check them.
 *
 * Ownership: ext_options and ext_pages are caller-owned storage. ext_pages
 * holds a heap array released by ext_pages_cleanup(); strings in ext_options
 * are borrowed (they point into argv). */
#ifndef EXT_OPTS_H
#define EXT_OPTS_H

#include <stddef.h>
#include "ft_error.h"
#include "ft_layout.h"

/* Most ranges in one --pages list: far more than anyone types, small enough
 * that a membership test per page stays trivial. */
#define EXT_MAX_PAGE_RANGES 1000u

/* One inclusive range of 1-based page numbers. */
typedef struct {
    unsigned first, last;
} ext_range;

/* A --pages selection. nranges == 0 means every page. */
typedef struct {
    ext_range *ranges;
    size_t nranges;
} ext_pages;

typedef enum { EXT_OCR_AUTO, EXT_OCR_ALWAYS, EXT_OCR_NEVER } ext_ocr_mode;

typedef struct {
    const char *encoding;  /* --encoding, NULL: detect */
    ext_pages pages;       /* --pages */
    int has_area;          /* --area given */
    ft_box area;           /* PDF points, origin top-left */
    const char *password;  /* --password, NULL: none */
    unsigned max_pages;    /* --max-pages */
    ext_ocr_mode ocr;      /* --ocr */
    const char *ocr_lang;  /* --ocr-lang */
    int dpi;               /* --dpi (OCR rendering) */
    int no_rules;          /* --no-rules: skip ruling-line detection */
} ext_options;

/* Set the defaults (every page, no area, OCR auto, chi_sim+eng, 300 dpi). */
void ext_options_init(ext_options *o);
void ext_options_cleanup(ext_options *o);

/* Parse a page list such as "1,3-5,9-" (an open range runs to the end).
 * Pages are 1-based; ranges must not run backwards. On FT_USAGE, msg says
 * what is wrong. FT_NOMEM. *out is replaced (cleaned up first). */
FT_WUR ft_err ext_pages_parse(const char *spec, ext_pages *out, char *msg,
                              size_t msg_len);

/* 1 if page (1-based) is selected. */
int ext_pages_contains(const ext_pages *p, unsigned page);

/* The highest page the selection names (UINT_MAX for an open range or for
 * "every page"). */
unsigned ext_pages_last(const ext_pages *p);

void ext_pages_cleanup(ext_pages *p);

/* Parse "top,left,bottom,right" in PDF points (Tabula's order). FT_USAGE
 * (msg says why) unless four finite numbers with top < bottom and
 * left < right. Numbers use '.' whatever the locale. */
FT_WUR ft_err ext_area_parse(const char *spec, ft_box *out, char *msg,
                             size_t msg_len);

/* Parse "auto", "always" or "never". FT_USAGE otherwise. */
FT_WUR ft_err ext_ocr_mode_parse(const char *s, ext_ocr_mode *out);

/* Parse a positive decimal integer no larger than max. FT_USAGE otherwise. */
FT_WUR ft_err ext_parse_uint(const char *s, unsigned max, unsigned *out);

#endif
