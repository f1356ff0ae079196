/* A page with geometry (PDF text layer or OCR): ruled tables first
 * (norm_lattice), then page furniture (norm_furniture_mark) is set aside,
 * then unruled tables among the remaining runs (norm_stream_find), and what
 * is left becomes notes, one per line of text, in reading order. Runs flagged
 * hidden (FT_RUN_HIDDEN: off the page, or clipped away) are dropped first.
 *
 * Ownership: results are appended to a caller-owned norm_page_out. */
#ifndef NORM_GEOM_H
#define NORM_GEOM_H

#include "ft_diag.h"
#include "ft_error.h"
#include "ft_layout.h"
#include "ft_table.h"
#include "norm_page.h"
#include "norm_rules.h"

/* Find the tables and notes of page p (origin text or ocr) into out, which
 * the caller has reset. held (may be NULL) is the table held from the page
 * before: lines at the top of p that fit the columns of an unruled held
 * table become a table of its columns (the rest of it, which one row alone
 * is too little for the unruled finder to see), for norm_join to append. d
 * and file are for debug lines (-v). FT_NOMEM, FT_LIMIT. */
FT_WUR ft_err norm_geom_page(const ft_page *p, const norm_rules *rules,
                             const ft_table *held, norm_page_out *out,
                             ft_diag *d, const char *file);

#endif
