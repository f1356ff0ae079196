/* Column typing and row realignment for the tables of a text dump. The
 * extractor that wrote the seed dumps drops empty cells and the cover slots
 * of merged cells, most of all after a page break, so a row's texts can sit
 * one or more columns left (or right) of the columns they belong to:
 * `信息公开实现率<TAB><TAB>=100%` (seed 000), `效益指标<TAB>经济效益指标<TAB>
 * ...` without the 绩效指标 slot (001), four-field rows after a page break in a
 * seven-column form (003), levels drifting between columns (004), project
 * rows that lost 财政专户拨款 and 其他资金 (002).
 *
 * Every cell gets a type (empty, number/target, short text, long text,
 * numbered list, continuation). A *section* starts at a header row (short
 * labels naming the columns, NORM_TEXTALIGN_HEADER_*); within it each column
 * has a profile, the counts of each type in the section's well-formed rows
 * (those with the table's full field count). A row whose texts fit those
 * profiles clearly better in other columns (same order, the best monotone
 * placement, found by dynamic programming) is moved: by at least
 * NORM_TEXTALIGN_MARGIN in log-likelihood, columns the header leaves empty
 * costing NORM_TEXTALIGN_HEADER_GAP. Leading fields a move leaves empty become
 * continuations of the cells above. Rows of a first-column group of at least
 * three rows outside any section are realigned against each other the same way
 * (seed 003's 项目资金 rows, where the first amount sits one column right).
 * Finally a header row printed one line above its group's label takes the
 * label (`<TAB>一级指标<TAB>...` over `绩效指标<TAB>成本指标...`, seeds 003,
 * 004).
 *
 * Level labels repeat from form to form (`产出指标` under `一级指标`): the short
 * texts of a page's realigned sections are remembered with the header of
 * their column (norm_tvocab, at most NORM_TEXTALIGN_VOCAB_MAX labels and
 * NORM_TEXTALIGN_VOCAB_HEADERS headers per page), and a later row placing a
 * known label under the same header scores NORM_TEXTALIGN_VOCAB_BONUS more
 * (seed 004 form 4: `产出指标<TAB>数量指标<TAB>调研考察保障任务完成率` printed two
 * columns right, which types alone cannot place).
 *
 * Ownership: functions work in place on a caller-owned norm_tgrid. */
#ifndef NORM_TEXTALIGN_H
#define NORM_TEXTALIGN_H

#include <stddef.h>
#include <stdint.h>
#include "ft_arena.h"
#include "ft_error.h"
#include "norm_textgrid.h"

/* Cell types. */
typedef enum {
    NORM_TT_EMPTY,   /* no text */
    NORM_TT_NUMBER,  /* a number, amount, target or nil marker: `378,240.36`,
                      * `≥90.00(%)`, `> 95%`, `10 次`, `2020-01-01`, `-`, `—` */
    NORM_TT_SHORT,   /* a label or short value */
    NORM_TT_LONG,    /* free text: longer than NORM_TEXTALIGN_SHORT_NCHARS
                      * code points, or a sentence (ends with 。；！) */
    NORM_TT_CONT,    /* an empty leading field: the cell above continues */
    NORM_TT_LIST,    /* a numbered item, `1、...` (seed 002's 绩效指标) */
    NORM_TT_COUNT
} norm_ttype;

/* The type of one (trimmed) field's text. */
norm_ttype norm_textalign_type(const char *s, size_t len);

/* 1 if row r is a header row: at least NORM_TEXTALIGN_HEADER_MIN_CELLS cells,
 * all short labels of at most NORM_TEXTALIGN_HEADER_MAX_NCHARS code points not
 * ending with a colon; the first row of the grid, or after a title row or a
 * row holding long text; followed by a row with a number or long text, or
 * within NORM_TEXTALIGN_HEADER_LOOKAHEAD rows by such a row and a row that
 * begins with an empty field. */
int norm_textalign_is_header(const norm_tgrid *g, size_t r);

/* The level labels of one page and the headers they were found under.
 * Caller-owned storage (init/cleanup); keys live in its arena. */
typedef struct {
    char **label;          /* compact label texts (open addressing, NULL: free) */
    uint32_t *headers;     /* bit set of header ids per label */
    size_t nlabels, cap;
    char **header;         /* compact header texts by id */
    unsigned nheaders;
    ft_arena arena;
} norm_tvocab;

void norm_tvocab_init(norm_tvocab *v);
void norm_tvocab_cleanup(norm_tvocab *v);

/* Realign the rows of g (after norm_tgrid_finish), set each row's section,
 * then move group labels up to header rows printed above them; vocab (may be
 * NULL) is consulted, then learns the labels of g's sections. Tables wider
 * than NORM_TEXTALIGN_MAX_COLS are left as they are. FT_NOMEM. */
FT_WUR ft_err norm_textalign_rows(norm_tgrid *g, norm_tvocab *vocab);

#endif
