/* Clean-up of the text Tesseract returns for one line: fold white space and
 * drop the spaces it puts next to CJK characters, except a wide gap
 * (U+00A0 from collect_runs) between a Latin letter or digit and an
 * ideograph. See ext_ocr_int.h. */
#include "ext_ocr_int.h"

#include <stdint.h>
#include "ft_utf8.h"

#define REPLACEMENT 0xFFFDu
#define NBSP 0x00A0u /* a wide gap between words (collect_runs) */

static int is_ideograph(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF);
}

static int is_ascii_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           (c >= 'a' && c <= 'z');
}

/* A wide gap is a printed space only between a Latin letter or digit and
 * an ideograph (10 次, 2020 年度): next to punctuation the side bearings of
 * full-width ：（） make gaps as wide (项目概况 : in scan200-lo-seed000). */
static int digit_by_ideograph(uint32_t a, uint32_t b)
{
    return (is_ascii_alnum(a) && is_ideograph(b)) ||
           (is_ideograph(a) && is_ascii_alnum(b));
}

ft_err ext_ocr__clean_line(const char *s, size_t len, ft_buf *out)
{
    ft_err rc = FT_OK;
    size_t i = 0;
    int pending_space = 0;   /* white space seen since the last character */
    uint32_t prev = 0;       /* last character written, 0: none yet */

    while (i < len) {
        uint32_t cp;
        size_t n = ft_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            cp = REPLACEMENT;
            n = 1;
        }
        i += n;
        if (cp == NBSP) {
            pending_space = 2; /* a wide gap: kept unless between CJK */
            continue;
        }
        if (ft_is_space(cp) || cp == '\t') {
            if (!pending_space)
                pending_space = 1;
            continue;
        }
        if (cp < 0x20 || cp == 0x7f)
            continue; /* control characters never belong to a cell */
        if (pending_space && prev != 0 &&
            ((!ft_is_cjk(prev) && !ft_is_cjk(cp)) ||
             (pending_space == 2 && digit_by_ideograph(prev, cp)))) {
            rc = ft_buf_putc(out, ' ');
            if (rc)
                goto out;
        }
        pending_space = 0;
        char enc[4];
        size_t elen = ft_utf8_encode(cp, enc);
        rc = ft_buf_append(out, enc, elen);
        if (rc)
            goto out;
        prev = cp;
    }
out:
    return rc;
}
