/* Text runs from positioned characters, by geometry: characters are grouped
 * into lines by vertical overlap, sorted by x, and cut where the gap to the
 * next character is wide, where the font size jumps, or where a vertical
 * ruling line passes between them. Poppler's own reading order is not
 * trusted: it joins neighbouring cells on one baseline and may emit the right
 * part of a row later. Pure code over plain structs, so it is tested without
 * Poppler and reused for any other character source.
 *
 * Ownership: the caller owns the character array (it is reordered in place)
 * and the page the runs are appended to. */
#ifndef EXT_RUNS_H
#define EXT_RUNS_H

#include <stddef.h>
#include <stdint.h>
#include "ft_error.h"
#include "ft_layout.h"

/* A run is cut where the gap between two neighbouring characters is wider
 * than this many ems (of the larger font). Latin word spaces are 0.25-0.35
 * em and stretch to about 0.7 em in justified lines; the padding around a
 * cell border in the budget forms is at least 1 em (2-4 pt each side of the
 * rule at 9-10.5 pt text), and unruled columns are further apart. The unit
 * test "cell gap" draws both cases. */
#define EXT_RUN_GAP_EM 0.9

/* Characters whose font sizes differ by more than this factor do not share a
 * run: a 16 pt title next to 10 pt text is two things. Bold/regular changes
 * inside a size keep one run (a label and its value are cut by the gap). */
#define EXT_RUN_SIZE_RATIO 1.4

/* Two characters are on one line when their boxes overlap vertically by at
 * least this fraction of the smaller height. Half tolerates CJK and Latin
 * fonts whose boxes differ on a common baseline, and sub/superscripts. */
#define EXT_LINE_OVERLAP 0.5

/* Between characters that Poppler did not separate with a space, a gap wider
 * than this many ems still reads as a word space (between Latin letters, not
 * between CJK characters, which are never spaced). */
#define EXT_WORD_GAP_EM 0.25

/* A character drawn twice at almost the same place (publishers fake bold this
 * way) is kept once: same code point, origins within this many ems. */
#define EXT_DUP_EM 0.15

/* One character of the text layer. */
typedef struct {
    ft_box box;           /* points, origin top-left of the displayed page */
    uint32_t cp;          /* Unicode code point (never white space) */
    double size;          /* font size in points (0: unknown) */
    unsigned flags;       /* FT_RUN_BOLD, FT_RUN_ITALIC; FT_RUN_HIDDEN: not
                           * drawn (ext_rules_boxes_drawn) */
    unsigned line;        /* Poppler's line number (its text between '\n') */
    unsigned space_before;/* 1: white space came before it in Poppler's line */
} ext_char;

/* Build runs from chars[0..n) (reordered in place) and append them to page.
 * vrules: the vertical ruling lines of the page (x0 == x1), any order; a run
 * never crosses one. Lines of characters that advance downwards (text
 * rotated on the page) become runs flagged FT_RUN_ROTATED. Runs whose centre
 * is off the page (0..width, 0..height), and runs whose characters are all
 * flagged FT_RUN_HIDDEN, are flagged FT_RUN_HIDDEN (a run partly in view is
 * not: a character at the edge of a clip, or one whose pixels lie on a rule,
 * reads as undrawn on its own). When area
 * is not NULL only runs whose centre lies inside it are kept.
 * FT_NOMEM; FT_LIMIT when the page is full (runs so far are kept). */
FT_WUR ft_err ext_runs_build(ext_char *chars, size_t n, const ft_box *vrules,
                             size_t nvrules, double width, double height,
                             const ft_box *area, ft_page *page);

#endif
