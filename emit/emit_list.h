/* Numbered indicator lists inside one cell, as seed 002's department summary
 * prints its 绩效指标 column:
 *     1、产出指标:培训人数,年度指标值:≥400人。2、产出指标:...
 * split into items of (type, name, target): type 产出指标, name 培训人数,
 * target ≥400人. Text the publisher repeated is kept once: a target that
 * starts with the item's own name and another "年度指标值:" (seed 002 prints
 * "影响力,年度指标值:影响力,年度指标值:影响力较好") keeps only what follows
 * the last repetition, a target that is only such a repetition cut off by the
 * end of the cell ("影响力,年度指标") is none, and an item identical to the
 * one before it is dropped.
 * Items are never invented: a text without the "N、<type>指标:" shape gives
 * no items.
 *
 * Ownership: the normalised text goes into a caller-owned ft_buf; items hold
 * offsets into it. Nothing else is allocated. */
#ifndef EMIT_LIST_H
#define EMIT_LIST_H

#include <stddef.h>
#include "ft_buf.h"
#include "ft_error.h"

typedef struct {
    size_t type_off, type_len;     /* 产出指标 */
    size_t name_off, name_len;     /* 培训人数 */
    size_t target_off, target_len; /* ≥400人; len 0: the item has none */
} emit_list_item;

/* Longest indicator type word before its colon ("可持续影响指标" is 7
 * characters); a longer run is prose, not a type. */
#define EMIT_MAX_TYPE_NCHARS 10u
/* Characters allowed between the comma after the name and 指标值: seed 002
 * prints 年度 (2) and the OCR-damaged 程 (1). */
#define EMIT_MAX_TARGET_PREFIX_NCHARS 3u

/* Normalise s[0..len) into norm (emptied first): white space next to a CJK
 * character is dropped (it is a line wrap: "年度指标 值"), other runs become
 * one space, both ends are trimmed. Then find the items, at most max of them
 * into items. Returns the number of items found (which may exceed max; only
 * max are stored), or 0 if the text is not such a list. On FT_LIMIT/FT_NOMEM
 * from the buffer, returns 0 and sets *err. */
size_t emit_list_split(const char *s, size_t len, ft_buf *norm,
                       emit_list_item *items, size_t max, ft_err *err);

#endif
