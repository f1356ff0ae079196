/* Every cap formtab puts on what outside input can make it allocate, in one
 * place, each with its reason (as SQLite's sqliteLimit.h). Tools expose the
 * ones users need as flags; the rest are compile-time. */
#ifndef FT_LIMITS_H
#define FT_LIMITS_H

/* Longest stream line. A page of dense text as one `line` record of a text
 * dump, or one cell of a huge table, stays far below this; a longer line is an
 * attack or a bug, and becomes FT_LIMIT naming the line. */
#define FT_MAX_LINE_LEN (4u * 1024u * 1024u)

/* Most fields in one stream line. The widest record (`cell`) has 12; a text
 * dump's `line` record keeps its tabs escaped, so this is not a column cap. */
#define FT_MAX_FIELDS 32u

/* Most text runs on one page. Dense A4 text at 6 pt is below 20,000 glyphs;
 * runs are coarser. Beyond this the page is reported and truncated. */
#define FT_MAX_RUNS_PER_PAGE 200000u

/* Most ruling lines kept on one page. Thousands of tiny rules (a hatched
 * background) would make grid building quadratic; past this the page falls
 * back to the unruled path with a warning. */
#define FT_MAX_RULES_PER_PAGE 5000u

/* Most lines of a text input held in one page (plain inputs without form
 * feeds are cut into pages of this many lines, so memory stays bounded). */
#define FT_MAX_TEXT_LINES_PER_PAGE 20000u

/* Bytes of text held for one page (all runs together). */
#define FT_MAX_PAGE_TEXT_LEN (64u * 1024u * 1024u)

/* Largest table: rows x columns slots. A 500-row, 40-column budget table is
 * 20,000 slots; 4M means a real table is never refused. */
#define FT_MAX_TABLE_SLOTS (4u * 1024u * 1024u)
#define FT_MAX_TABLE_COLS 1000u

/* Longest text of one cell (default of --max-cell-len). */
#define FT_MAX_CELL_LEN (1024u * 1024u)

/* Default page cap (--max-pages) and bytes of one text input line. */
#define FT_DEFAULT_MAX_PAGES 100000u
#define FT_MAX_INPUT_LINE_LEN (1024u * 1024u)

#endif
