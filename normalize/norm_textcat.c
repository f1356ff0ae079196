/* Joining text pieces into cells and notes with the CJK/Latin spacing rule
 * (norm_textcat.h). */
#include "norm_textcat.h"

#include <stdint.h>

#include "ft_utf8.h"

/* The code point that ends s[0..len), or 0 when s is empty or malformed. */
static uint32_t last_cp(const char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && len - i < 4) {
        i--;
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            break;
    }
    uint32_t cp = 0;
    if (len == 0 || !ft_utf8_decode(s + i, len - i, &cp))
        return 0;
    return cp;
}

static uint32_t first_cp(const char *s, size_t len)
{
    uint32_t cp = 0;
    if (len == 0 || !ft_utf8_decode(s, len, &cp))
        return 0;
    return cp;
}

const char *norm_trim(const char *s, size_t *len)
{
    size_t n = *len;
    uint32_t cp;
    size_t k;
    while (n > 0 && (k = ft_utf8_decode(s, n, &cp)) && ft_is_space(cp)) {
        s += k;
        n -= k;
    }
    while (n > 0) {
        size_t i = n;
        while (i > 0 && n - i < 4) {
            i--;
            if (((unsigned char)s[i] & 0xC0) != 0x80)
                break;
        }
        if (!ft_utf8_decode(s + i, n - i, &cp) || !ft_is_space(cp))
            break;
        n = i;
    }
    *len = n;
    return s;
}

/* need_both: a space is left out only when both sides are CJK (same line);
 * otherwise when either side is (line break). */
static ft_err cat(ft_buf *b, const char *s, size_t len, int need_both)
{
    s = norm_trim(s, &len);
    if (len == 0)
        return FT_OK;
    if (b->len > 0) {
        int l = ft_is_cjk(last_cp(b->data, b->len));
        int r = ft_is_cjk(first_cp(s, len));
        int nospace = need_both ? (l && r) : (l || r);
        if (!nospace) {
            ft_err rc = ft_buf_putc(b, ' ');
            if (rc)
                return rc;
        }
    }
    return ft_buf_append(b, s, len);
}

ft_err norm_textcat_line(ft_buf *b, const char *s, size_t len)
{
    return cat(b, s, len, 0);
}

ft_err norm_textcat_word(ft_buf *b, const char *s, size_t len)
{
    return cat(b, s, len, 1);
}
