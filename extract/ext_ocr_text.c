/* Clean-up of the text Tesseract returns for one line: fold white space and
 * drop the spaces it puts between CJK characters. See ext_ocr_int.h. */
#include "ext_ocr_int.h"

#include <stdint.h>
#include "ft_utf8.h"

#define REPLACEMENT 0xFFFDu

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
        if (ft_is_space(cp) || cp == '\t') {
            pending_space = 1;
            continue;
        }
        if (cp < 0x20 || cp == 0x7f)
            continue; /* control characters never belong to a cell */
        if (pending_space && prev != 0 && !ft_is_cjk(prev) && !ft_is_cjk(cp)) {
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
