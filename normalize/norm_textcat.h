/* Joining pieces of text into one cell or note: words on one line, and the
 * lines of a multi-line cell in reading order. Chinese text is written without
 * spaces, so a line break or a gap between two CJK characters joins with
 * nothing, while Latin words and numbers keep one space between them.
 *
 * Ownership: every function appends to a caller-owned ft_buf. */
#ifndef NORM_TEXTCAT_H
#define NORM_TEXTCAT_H

#include <stddef.h>
#include "ft_buf.h"
#include "ft_error.h"

/* Append s[0..len) (valid UTF-8) as the next line of the text in b. The piece
 * is trimmed of white space first; an empty piece appends nothing. No space is
 * put between the two lines when the character before the break or the one
 * after it is CJK (ft_is_cjk), one space otherwise. FT_LIMIT, FT_NOMEM. */
FT_WUR ft_err norm_textcat_line(ft_buf *b, const char *s, size_t len);

/* Append s[0..len) as the next piece on the same line: one space between the
 * pieces unless both characters at the join are CJK. Trimmed like
 * norm_textcat_line. FT_LIMIT, FT_NOMEM. */
FT_WUR ft_err norm_textcat_word(ft_buf *b, const char *s, size_t len);

/* Trim white space (ft_is_space) from both ends of s[0..*len): returns the
 * new start and updates *len. */
const char *norm_trim(const char *s, size_t *len);

#endif
