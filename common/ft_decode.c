/* Text-input decoding to UTF-8 through iconv, with detection and carry-over
 * of characters split between chunks. */
#include "ft_decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ft_utf8.h"

/* Fewest NUL bytes in the first chunk that make us consider UTF-16: one line
 * end (0A 00) and one tab or digit. */
#define UTF16_MIN_NULS 2

/* Longest byte order mark (UTF-32). */
#define FT_BOM_MAX_LEN 4

struct ft_decoder {
    char name[64];          /* encoding named or detected, "" until known */
    int is_utf8;            /* 1: validate and copy, no iconv */
    iconv_t cd;             /* (iconv_t)-1 until opened */
    char carry[8];          /* bytes of a character split across chunks */
    size_t ncarry;
    unsigned long long consumed; /* input bytes fully decoded so far */
    int started;            /* BOM check done */
};

ft_err ft_decoder_new(const char *from, ft_decoder **out)
{
    ft_err rc = FT_OK;
    ft_decoder *d = calloc(1, sizeof *d);
    *out = NULL;
    if (!d)
        return FT_NOMEM;
    d->cd = (iconv_t)-1;
    if (from) {
        if (strlen(from) >= sizeof d->name) {
            rc = FT_USAGE;
            goto out;
        }
        strcpy(d->name, from);
        if (!strcasecmp(from, "UTF-8") || !strcasecmp(from, "UTF8")) {
            d->is_utf8 = 1;
        } else {
            d->cd = iconv_open("UTF-8", from);
            if (d->cd == (iconv_t)-1) {
                rc = FT_USAGE;
                goto out;
            }
        }
    }
    *out = d;
    d = NULL;
out:
    free(d);
    return rc;
}

void ft_decoder_free(ft_decoder *d)
{
    if (!d)
        return;
    if (d->cd != (iconv_t)-1)
        iconv_close(d->cd);
    free(d);
}

const char *ft_decoder_encoding(const ft_decoder *d)
{
    return d->name[0] ? d->name : NULL;
}

const char *ft_detect_encoding(const char *str, size_t len, size_t *bom_len)
{
    const unsigned char *s = (const unsigned char *)str;
    *bom_len = 0;
    if (len >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0) {
        *bom_len = 4;
        return "UTF-32LE";
    }
    if (len >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF) {
        *bom_len = 4;
        return "UTF-32BE";
    }
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        *bom_len = 3;
        return "UTF-8";
    }
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        *bom_len = 2;
        return "UTF-16LE";
    }
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        *bom_len = 2;
        return "UTF-16BE";
    }
    /* UTF-16 without BOM: every ASCII character (tab, newline, digit) puts
     * a NUL on one side of its code unit, and text in UTF-8 or GB18030 never
     * contains NUL. So NULs nearly all at odd (LE) or even (BE) offsets mean
     * UTF-16; scattered NULs are binary input, left for the caller to reject. */
    size_t even = 0, odd = 0, n = len < 65536 ? len : 65536;
    for (size_t i = 0; i < n; i++)
        if (s[i] == 0) {
            if (i % 2)
                odd++;
            else
                even++;
        }
    if (even + odd >= UTF16_MIN_NULS) {
        if (odd * 10 >= (even + odd) * 9)
            return "UTF-16LE";
        if (even * 10 >= (even + odd) * 9)
            return "UTF-16BE";
    }
    /* Valid UTF-8 (ignoring a character cut at the chunk end) is UTF-8. */
    size_t cut = ft_utf8_boundary(str, len);
    if (ft_utf8_valid(str, cut, NULL))
        return "UTF-8";
    return "GB18030";
}

static ft_err feed_utf8(ft_decoder *d, const char *in, size_t len, int final,
                        ft_buf *out, unsigned long long *bad_off)
{
    size_t use = final ? len : ft_utf8_boundary(in, len);
    size_t bad;
    if (!ft_utf8_valid(in, use, &bad)) {
        *bad_off = d->consumed + bad;
        return FT_ENCODING;
    }
    ft_err rc = ft_buf_append(out, in, use);
    if (rc)
        return rc;
    d->consumed += use;
    memcpy(d->carry, in + use, len - use);
    d->ncarry = len - use;
    return FT_OK;
}

static ft_err feed_iconv(ft_decoder *d, const char *in, size_t len, int final,
                         ft_buf *out, unsigned long long *bad_off)
{
    char *src = (char *)in;
    size_t left = len;
    while (left > 0) {
        ft_err rc = ft_buf_reserve(out, left * 4 + 16);
        if (rc)
            return rc;
        char *dst = out->data + out->len;
        size_t room = out->cap - out->len - 1;
        size_t before = left;
        size_t r = iconv(d->cd, &src, &left, &dst, &room);
        out->len = (size_t)(dst - out->data);
        out->data[out->len] = '\0';
        d->consumed += before - left;
        if (r != (size_t)-1)
            continue;
        if (errno == E2BIG)
            continue;
        if (errno == EINVAL && !final && left < sizeof d->carry) {
            memcpy(d->carry, src, left);
            d->ncarry = left;
            return FT_OK;
        }
        *bad_off = d->consumed;
        return FT_ENCODING;
    }
    if (final) {
        char *dst;
        size_t room;
        ft_err rc = ft_buf_reserve(out, 16);
        if (rc)
            return rc;
        dst = out->data + out->len;
        room = out->cap - out->len - 1;
        iconv(d->cd, NULL, NULL, &dst, &room);
        out->len = (size_t)(dst - out->data);
        out->data[out->len] = '\0';
    }
    return FT_OK;
}

ft_err ft_decoder_feed(ft_decoder *d, const char *in, size_t len, int final,
                       ft_buf *out, unsigned long long *bad_off)
{
    ft_err rc = FT_OK;
    char *joined = NULL;
    unsigned long long dummy;
    if (!bad_off)
        bad_off = &dummy;
    /* Prepend bytes carried over from the previous chunk. */
    if (d->ncarry) {
        joined = malloc(d->ncarry + len);
        if (!joined)
            return FT_NOMEM;
        memcpy(joined, d->carry, d->ncarry);
        if (len)
            memcpy(joined + d->ncarry, in, len);
        in = joined;
        len += d->ncarry;
        d->ncarry = 0;
    }
    /* A first chunk shorter than the longest BOM cannot show which BOM it
     * starts: keep it for the next chunk (fuzz/regress/decode). */
    if (!d->started && !final && len < FT_BOM_MAX_LEN) {
        memcpy(d->carry, in, len);
        d->ncarry = len;
        goto out;
    }
    if (!d->started && (len > 0 || final)) {
        size_t bom = 0;
        d->started = 1;
        if (!d->name[0]) {
            const char *name = ft_detect_encoding(in, len, &bom);
            strcpy(d->name, name);
            if (!strcmp(name, "UTF-8")) {
                d->is_utf8 = 1;
            } else {
                d->cd = iconv_open("UTF-8", name);
                if (d->cd == (iconv_t)-1) {
                    rc = FT_INTERNAL;
                    goto out;
                }
            }
        } else {
            /* A named Unicode encoding may still start with a BOM. */
            const unsigned char *u = (const unsigned char *)in;
            if (d->is_utf8 && len >= 3 && u[0] == 0xEF && u[1] == 0xBB &&
                u[2] == 0xBF)
                bom = 3;
        }
        in += bom;
        len -= bom;
        d->consumed += bom;
    }
    if (d->is_utf8)
        rc = feed_utf8(d, in, len, final, out, bad_off);
    else if (d->cd != (iconv_t)-1)
        rc = feed_iconv(d, in, len, final, out, bad_off);
    if (!rc && final && d->ncarry) {
        *bad_off = d->consumed;
        rc = FT_ENCODING;
    }
out:
    free(joined);
    return rc;
}
