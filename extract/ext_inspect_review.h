/* The review page of `formtab inspect --html DIR`: DIR/index.html with one
 * section per page, the page image (the overlay PNG, written by the caller)
 * beside every table that starts on the page as an HTML <table> with its
 * real rowspan/colspan, the notes between the tables, the page's warnings,
 * and the form records formtab-emit made of each table.
 *
 * Every cell links to its box on the page image and back: the table cell
 * `td-t1-r2-c4` links to `#p3-t1-r2-c4`, an SVG rectangle over the image
 * that lights up under CSS :target; clicking the rectangle jumps to the
 * cell. No script anywhere; all text from the PDF is escaped
 * (ext_inspect_html.h). The page is written atomically: index.html appears
 * complete or not at all, and the layout of DIR does not change between
 * runs (index.html, inspect.css, page-NNNN.png).
 *
 * Ownership: ext_review is caller-owned storage; after ext_review_begin()
 * succeeds exactly one of ext_review_finish() or ext_review_abort() must be
 * called. The view, records and strings passed in are borrowed. */
#ifndef EXT_INSPECT_REVIEW_H
#define EXT_INSPECT_REVIEW_H

#include <stddef.h>
#include <sys/types.h>
#include "ext_inspect_json.h"
#include "ext_inspect_view.h"
#include "ext_opts.h"
#include "ft_atomic.h"
#include "ft_buf.h"
#include "ft_error.h"
#include "ft_layout.h"

/* Characters of a cell's text repeated in the tooltip of its box on the
 * page image; the full text is in the table beside it. */
#define EXT_REVIEW_TOOLTIP_NCHARS 200u

/* Most page links listed at the top of the page (a longer document is
 * reached by scrolling or by its #pN anchors). */
#define EXT_REVIEW_MAX_NAV 2000u

/* Bytes of page-less warnings kept for the end of the page. */
#define EXT_REVIEW_MAX_DOC_WARNINGS (1024u * 1024u)

/* Name of page n's image inside DIR: "page-0003.png" (at least 4 digits, so
 * names sort in page order). buf needs 24 bytes. */
void ext_review_png_name(unsigned n, char *buf, size_t len);

typedef struct {
    ft_atomic out;
    int open;
    ft_buf doc_warn;             /* escaped <li> items, page-less warnings */
    unsigned long ndoc_warn;
    unsigned npages;             /* sections written */
    unsigned ntables;
    unsigned long ncells, nlowconf, nwarnings;
    unsigned long nrecords, nbad_records;
} ext_review;

/* What the header says about the run. */
typedef struct {
    const char *input;           /* FILE as given */
    const ft_doc *doc;           /* doc record of the layout stream */
    const char *pages;           /* --pages as given, NULL: all */
    const ext_pages *sel;        /* the pages shown (NULL: all), for the
                                    page links at the top */
    double dpi;                  /* of the page images */
    const char *version;         /* formtab version */
    int have_records;            /* emit's records are shown */
    mode_t mode;                 /* permission bits of the files written */
} ext_review_info;

/* Create DIR if needed, write the stylesheet and start index.html (written
 * to a temporary file until ext_review_finish()). FT_IO (msg says which
 * file), FT_NOMEM. */
FT_WUR ft_err ext_review_begin(ext_review *r, const char *dir,
                               const ext_review_info *info, char *msg,
                               size_t msg_len);

/* Write the section of the view's current page. png is the image's name
 * inside DIR (NULL: no image, e.g. a text dump or a page that could not be
 * drawn); it covers width x height points. recs (may be NULL) gives the
 * records of each table starting on the page. FT_IO, FT_NOMEM. */
FT_WUR ft_err ext_review_page(ext_review *r, const ext_view *v,
                              const char *png, double width, double height,
                              ext_records *recs);

/* 1 if member m of rec is a "P_text" with digits whose typed value (the
 * sibling P_value, P_number, P_date or P) is null: a number or date
 * formtab-emit did not understand, highlighted on the page. Words meant to
 * stay text ("合理") and fields typed text are never flagged. */
int ext_review_unparsed(const ext_record *rec, const ext_json_member *m);

/* Keep a page-less warning for the end of the page (called by the view). */
void ext_review_doc_warning(void *review, const char *text, size_t len);

/* Write the closing summary (with status, e.g. "the table stream ended
 * early: ...", or NULL) and move index.html into place. FT_IO (errno kept). */
FT_WUR ft_err ext_review_finish(ext_review *r, const char *status);

/* Drop the unfinished index.html (the previous one, if any, stays). */
void ext_review_abort(ext_review *r);

#endif
