/* Internals of the OCR engine shared between its files (ext_ocr_*.c): the
 * page preparation on Leptonica images, the text clean-up of what Tesseract
 * returns, and the heuristic constants, each tied to what motivated it.
 * Nothing here is for the rest of extract: its interface is ext_ocr.h (and
 * ext_ocr_env.h for main).
 *
 * Ownership: functions returning PIX or BOXA hand them to the caller, who
 * destroys them with pixDestroy()/boxaDestroy(); ext_ocr_prep holds its
 * images and is released by ext_ocr__prep_cleanup(). */
#ifndef EXT_OCR_INT_H
#define EXT_OCR_INT_H

#include <stddef.h>
#include "ext_ocr.h"
#include "ext_ocr_grid.h"
#include "ft_buf.h"
#include "ft_error.h"

struct Pix;

/* ---- limits and heuristics (lengths in inches, scaled by the dpi) -------- */

/* Largest page image the engine works on, in pixels. An A3 page at 400 dpi is
 * 31 Mpx; a 5 m wide poster at 300 dpi would be 2 Gpx and several GB of
 * Leptonica images. Larger images are scaled down to this with a warning. */
#define EXT_OCR_MAX_PIXELS (48.0 * 1000 * 1000)
/* Longest side in pixels (Tesseract refuses images over 32767 px a side). */
#define EXT_OCR_MAX_SIDE 30000

/* Shortest ink run that can be part of a ruling line. Below the width of a
 * CJK character at 9 pt (0.125 in), so short separators of narrow columns
 * count when an edge is tested; text strokes that pass this lie off the
 * line positions and do not matter there. */
#define EXT_OCR_RULE_MIN_IN 0.08
/* Shortest segment that defines a line position and is masked out of the
 * crops: longer than any stroke of a 14 pt title character (一 is about
 * 0.19 in), so text is never taken for a rule (titles of seed000-ruled). */
#define EXT_OCR_RULE_STRONG_IN 0.30
/* Thickest ruling line: thicker ink is a filled block, not a rule. */
#define EXT_OCR_RULE_MAX_THICK_IN 0.06
/* Segments this close across their axis are one line; covers a 3-px line
 * drawn with a residual skew of 0.05 degree over an A4 width at 300 dpi. */
#define EXT_OCR_RULE_TOL_IN 0.03
/* Gap bridged inside a ruling line (JPEG noise, a stroke crossing it). */
#define EXT_OCR_RULE_GAP_IN 0.02

/* Sauvola binarisation: window half-size and factor. A window of about a
 * character (0.08 in) follows the grey background of a scanned page while
 * keeping strokes; 0.34 is Sauvola's usual k, kept because it leaves the
 * noise of scan300-seed000-ruled white. */
#define EXT_OCR_SAUVOLA_HALF_IN 0.08
#define EXT_OCR_SAUVOLA_K 0.34f

/* Largest skew searched and corrected, in degrees: scans of these forms are
 * off by up to about 2 degrees (the scanned fixtures use 0.5-1.5). */
#define EXT_OCR_SKEW_RANGE_DEG 3.0f

/* White border added around a cell crop before OCR: Tesseract reads text
 * touching the image edge badly (74-81% of cells exact with a 20 px border at
 * 300 dpi against 54-64% without, measured on per-cell crops). */
#define EXT_OCR_BORDER_IN (20.0 / 300.0)
/* Inset of a cell crop from the line centres beyond half the line width, so
 * that the ruling line itself stays out of the crop. */
#define EXT_OCR_INSET_IN 0.012

/* A cell crop with fewer ink pixels than this (after the rules are masked
 * out) is empty and not sent to Tesseract: a full stop at 9 pt has about
 * 0.0004 sq in of ink, JPEG specks that survive binarisation less. */
#define EXT_OCR_MIN_INK_SQIN 0.0002
/* Connected ink smaller than this on both sides is noise when deciding
 * whether text lies outside every cell. */
#define EXT_OCR_SPECK_IN 0.012

/* Words of a recognised line further apart than this many line heights
 * start a new run, as extract's text-layer path cuts runs at 0.9 em
 * (EXT_RUN_GAP_EM): the columns of an unruled table (scan200-seed003-budgets-
 * unruled) become runs of their own that normalize can align. */
#define EXT_OCR_RUN_GAP_EM 0.9

/* An empty-looking result on a cell holding one flat ink bar is a dash, which
 * Tesseract drops as noise (the "—" and "-" cells of the 自评表 in
 * scan300-seed001-ruled-landscape). A bar at least this wide is an em dash
 * (at 9-12 pt a "—" is 0.12-0.17 in, a "-" 0.04-0.06 in). */
#define EXT_OCR_EMDASH_MIN_IN 0.09
/* Confidence given to a dash read from its shape, not by Tesseract: middling,
 * so a review still sees it is not a recognised character. */
#define EXT_OCR_SHAPE_CONF 60.0

/* A gap between two recognised words at least this many line heights wide
 * is a printed space, kept between a digit or Latin letter and an ideograph (10 次, 2020 年度 in the seed
 * 004 forms, scan200-seed004-ruled); Tesseract splits CJK text into words
 * with much narrower gaps (2020年1月1日 read as 2020 年 1 月 1 日), and
 * those spaces are dropped. A space in these fonts is 0.25-0.33 em, the
 * line box about 1.1 em. */
#define EXT_OCR_SPACE_EM 0.25

/* A cell whose runs' mean confidence is below this is read a second time by
 * chi_sim alone (when the language list has more), and the surer reading is
 * kept. The misread labels of the scanned fixtures come back at 40-60, the
 * right ones mostly above 85. */
#define EXT_OCR_RETRY_CONF 70.0
/* A cell whose reading has a Latin word inside CJK text (RA:受疫情影响... for
 * 原因：受疫情影响... in scan300-seed001-ruled-landscape, at 92) is read again
 * by chi_sim alone whatever its confidence, and the reading without Latin
 * is kept unless its mean confidence is more than this much lower. */
#define EXT_OCR_JUNK_MARGIN 10.0

/* Page segmentation modes used (Tesseract's numbers). The ink outside the
 * cells (the whole page when there is no grid) is read with automatic layout
 * (3), which keeps prose lines whole, then what it left unread is read as
 * sparse text (11): psm 3 drops whole columns of an unruled table (the
 * amounts of scan200-seed003-budgets-unruled), while psm 11 alone breaks
 * prose (合作交流 read as "Drie" in the no-table test of tests/ocr). */
#define EXT_OCR_PSM_PAGE 3
#define EXT_OCR_PSM_SPARSE 11
/* Runs of the sparse pass below this confidence are dropped: what is left
 * after the first pass includes fragments of glyphs outside the word boxes,
 * which come back as junk at low confidence. */
#define EXT_OCR_SPARSE_MIN_CONF 50.0
#define EXT_OCR_PSM_BLOCK 6  /* one uniform block: a cell */
#define EXT_OCR_PSM_LINE 7   /* one line: retry of a cell read as empty */

/* Most seconds spent recognising one page: a normal scanned page takes 2-3
 * CPU seconds at 300 dpi (bench/ocr-bench), so this only stops a
 * pathological image (dense noise Tesseract takes for thousands of glyphs)
 * from holding up a nightly run. Past it the page fails with FT_OCR and the
 * document goes on. */
#define EXT_OCR_PAGE_SECONDS 120.0

/* ---- page preparation (ext_ocr_img.c) ----------------------------------- */

typedef struct {
    struct Pix *grey;    /* 8 bpp, deskewed (and capped) */
    struct Pix *bin;     /* 1 bpp Sauvola binarisation of grey */
    struct Pix *lines;   /* 1 bpp: the strong ruling-line pixels, dilated */
    struct Pix *text;    /* 1 bpp: bin without the strong ruling lines */
    double scale;        /* pixels per PDF point of these images */
    double skew_deg;     /* skew found and removed (0: none) */
    int capped;          /* the image was scaled down to the pixel cap */
    ext_ocr_seg *hseg, *vseg; /* ruling segments found (pixels) */
    size_t nh, nv;
} ext_ocr_prep;

void ext_ocr__prep_init(ext_ocr_prep *p);
void ext_ocr__prep_cleanup(ext_ocr_prep *p);

/* Copy img into Leptonica, cap its size, deskew, binarise, find the ruling
 * segments and mask them. dpi: resolution of img. FT_NOMEM, FT_OCR (msg). */
FT_WUR ft_err ext_ocr__prep_page(const ext_image *img, int dpi,
                                 ext_ocr_prep *p, char *msg, size_t msg_len);

/* Pixels for a length in inches at the prep's resolution (at least 1). */
int ext_ocr__px(const ext_ocr_prep *p, double inches);

/* Is the symbol in box (l, t, r, b) of the 1-bpp image a relation sign with
 * a bar under it? Tesseract's chi_sim model reads ≥/≤ as >, <, 2, 之, 过 or
 * 和; the image tells: a chevron over a separate flat bar of about its
 * width. Returns +1 for ≥, -1 for ≤, 0 for anything else. */
int ext_ocr__relation_shape(struct Pix *img, int l, int t, int r, int b);

/* If the 1-bpp crop holds a single flat bar and nothing else, return the dash
 * it is ("—" or "-", static) given the resolution; else NULL. */
const char *ext_ocr__dash_shape(struct Pix *crop, const ext_ocr_prep *p);

/* ---- engine -------------------------------------------------------------- */

/* The cells the last ext_ocr_page() call read one by one (PDF points, the
 * deskewed frame); owned by the engine, valid until its next page. For the
 * bench harness, which scores the grid against the fixtures' truth. */
const ft_box *ext_ocr__last_cells(const ext_ocr *ocr, size_t *ncells);

/* Read every page whole (automatic layout, runs cut at word gaps) instead
 * of cell by cell: the alternative the bench compares the default with. */
void ext_ocr__set_whole_page(ext_ocr *ocr, int on);

/* ---- text clean-up (ext_ocr_text.c) ------------------------------------- */

/* Append Tesseract's text of one line to out, cleaned: white space folded,
 * trimmed, and spaces next to a CJK character dropped (Tesseract puts a space
 * between CJK "words"; the printed forms have none there). Invalid UTF-8 is
 * replaced by U+FFFD. FT_LIMIT, FT_NOMEM. */
FT_WUR ft_err ext_ocr__clean_line(const char *s, size_t len, ft_buf *out);

#endif
