/* Page furniture: running headers and footers and page numbers, recognised by
 * position (top/bottom band of the page) and pattern (norm_rules_is_furniture)
 * and kept out of tables.
 *
 * Ownership: writes into a caller-owned array. */
#ifndef NORM_FURNITURE_H
#define NORM_FURNITURE_H

#include "ft_layout.h"
#include "norm_rules.h"

/* Set used[i] = 1 for each run of page p that is furniture. Runs already
 * non-zero are left alone. Returns the number marked. */
size_t norm_furniture_mark(const ft_page *p, const norm_rules *rules,
                           unsigned char *used);

#endif
