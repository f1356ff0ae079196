/* Parsers for formtab-extract's structured options: page lists, areas and
 * the OCR mode. Locale independent: numbers are read by hand. */
#include "ext_opts.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_limits.h"

void ext_options_init(ext_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_pages = FT_DEFAULT_MAX_PAGES;
    o->ocr = EXT_OCR_AUTO;
    o->ocr_lang = "chi_sim+eng";
    o->dpi = 300;
}

void ext_options_cleanup(ext_options *o)
{
    ext_pages_cleanup(&o->pages);
}

void ext_pages_cleanup(ext_pages *p)
{
    free(p->ranges);
    p->ranges = NULL;
    p->nranges = 0;
}

/* Read a page number at *s; advance *s. 0 if there are no digits. */
static int read_page(const char **s, unsigned *v)
{
    const char *p = *s;
    unsigned long long acc = 0;
    if (*p < '0' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9') {
        acc = acc * 10 + (unsigned)(*p - '0');
        if (acc > UINT_MAX - 1)
            acc = UINT_MAX - 1; /* saturate: beyond any real document */
        p++;
    }
    *s = p;
    *v = (unsigned)acc;
    return 1;
}

ft_err ext_pages_parse(const char *spec, ext_pages *out, char *msg,
                       size_t msg_len)
{
    ft_err rc = FT_OK;
    ext_range *ranges = NULL;
    size_t n = 0, cap = 0;
    const char *s = spec;

    ext_pages_cleanup(out);
    if (!*s) {
        snprintf(msg, msg_len, "empty page list");
        rc = FT_USAGE;
        goto out;
    }
    for (;;) {
        ext_range r;
        if (!read_page(&s, &r.first)) {
            snprintf(msg, msg_len, "bad page list '%s': expected a number at '%s'",
                     spec, s);
            rc = FT_USAGE;
            goto out;
        }
        r.last = r.first;
        if (*s == '-') {
            s++;
            if (*s == ',' || *s == '\0')
                r.last = UINT_MAX;
            else if (!read_page(&s, &r.last)) {
                snprintf(msg, msg_len,
                         "bad page list '%s': expected a number at '%s'", spec, s);
                rc = FT_USAGE;
                goto out;
            }
        }
        if (r.first == 0) {
            snprintf(msg, msg_len, "bad page list '%s': pages start at 1", spec);
            rc = FT_USAGE;
            goto out;
        }
        if (r.last < r.first) {
            snprintf(msg, msg_len, "bad page list '%s': range %u-%u runs backwards",
                     spec, r.first, r.last);
            rc = FT_USAGE;
            goto out;
        }
        if (n == cap) {
            if (cap >= EXT_MAX_PAGE_RANGES) {
                snprintf(msg, msg_len, "bad page list: more than %u ranges",
                         EXT_MAX_PAGE_RANGES);
                rc = FT_USAGE;
                goto out;
            }
            size_t ncap = cap ? cap * 2 : 8;
            ext_range *nr = realloc(ranges, ncap * sizeof *nr);
            if (!nr) {
                rc = FT_NOMEM;
                goto out;
            }
            ranges = nr;
            cap = ncap;
        }
        ranges[n++] = r;
        if (*s == '\0')
            break;
        if (*s != ',') {
            snprintf(msg, msg_len, "bad page list '%s': unexpected '%c'", spec, *s);
            rc = FT_USAGE;
            goto out;
        }
        s++;
    }
    out->ranges = ranges;
    out->nranges = n;
    ranges = NULL;
out:
    free(ranges);
    return rc;
}

int ext_pages_contains(const ext_pages *p, unsigned page)
{
    if (p->nranges == 0)
        return 1;
    for (size_t i = 0; i < p->nranges; i++)
        if (page >= p->ranges[i].first && page <= p->ranges[i].last)
            return 1;
    return 0;
}

unsigned ext_pages_last(const ext_pages *p)
{
    unsigned last = 0;
    if (p->nranges == 0)
        return UINT_MAX;
    for (size_t i = 0; i < p->nranges; i++)
        if (p->ranges[i].last > last)
            last = p->ranges[i].last;
    return last;
}

/* Read a decimal number ("-12.5", "300") without strtod, so the locale's
 * decimal point never matters. Returns 0 if there is no number at *s. */
static int read_num(const char **s, double *v)
{
    const char *p = *s;
    double acc = 0, scale = 1;
    int neg = 0, digits = 0;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    while (*p >= '0' && *p <= '9') {
        acc = acc * 10 + (*p++ - '0');
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            scale /= 10;
            acc += (*p++ - '0') * scale;
            digits++;
        }
    }
    if (!digits || !isfinite(acc))
        return 0;
    *v = neg ? -acc : acc;
    *s = p;
    return 1;
}

ft_err ext_area_parse(const char *spec, ft_box *out, char *msg, size_t msg_len)
{
    double v[4];
    const char *s = spec;
    for (int i = 0; i < 4; i++) {
        while (*s == ' ')
            s++;
        if (!read_num(&s, &v[i])) {
            snprintf(msg, msg_len,
                     "bad area '%s': expected top,left,bottom,right in points",
                     spec);
            return FT_USAGE;
        }
        while (*s == ' ')
            s++;
        if (i < 3 && *s++ != ',') {
            snprintf(msg, msg_len,
                     "bad area '%s': expected top,left,bottom,right in points",
                     spec);
            return FT_USAGE;
        }
    }
    if (*s != '\0') {
        snprintf(msg, msg_len, "bad area '%s': trailing characters", spec);
        return FT_USAGE;
    }
    if (!(v[0] < v[2]) || !(v[1] < v[3])) {
        snprintf(msg, msg_len,
                 "bad area '%s': top must be above bottom and left before right",
                 spec);
        return FT_USAGE;
    }
    out->y0 = v[0];
    out->x0 = v[1];
    out->y1 = v[2];
    out->x1 = v[3];
    return FT_OK;
}

ft_err ext_ocr_mode_parse(const char *s, ext_ocr_mode *out)
{
    if (!strcmp(s, "auto"))
        *out = EXT_OCR_AUTO;
    else if (!strcmp(s, "always"))
        *out = EXT_OCR_ALWAYS;
    else if (!strcmp(s, "never"))
        *out = EXT_OCR_NEVER;
    else
        return FT_USAGE;
    return FT_OK;
}

ft_err ext_parse_uint(const char *s, unsigned max, unsigned *out)
{
    unsigned long long acc = 0;
    if (*s < '0' || *s > '9')
        return FT_USAGE;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return FT_USAGE;
        acc = acc * 10 + (unsigned)(*s - '0');
        if (acc > max)
            return FT_USAGE;
    }
    if (acc == 0)
        return FT_USAGE;
    *out = (unsigned)acc;
    return FT_OK;
}
