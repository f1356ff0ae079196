/* HTML escaping, the review page skeleton and its stylesheet (see
 * ext_inspect_html.h). Nothing here knows about pages or tables. */
#include "ext_inspect_html.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_atomic.h"
#include "ft_utf8.h"

/* The replacement character, written for bytes HTML must not carry. */
static const char REPLACEMENT[] = "\xEF\xBF\xBD";

/* The entity for a byte that must be escaped, or NULL. */
static const char *entity(unsigned char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

/* 1 if code point cp may not appear in HTML text: C0 controls but TAB and
 * LF, DEL and the C1 controls (HTML's "control" characters). CR is handled
 * before this is asked. */
static int forbidden(uint32_t cp)
{
    if (cp == '\t' || cp == '\n')
        return 0;
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* The escaper behind both entry points: calls emit(ctx, bytes, n) for each
 * piece; stops at the first piece emit refuses (returns nonzero). */
typedef int (*emit_fn)(void *ctx, const char *p, size_t n);

static int escape(const char *s, size_t len, unsigned flags, emit_fn emit,
                  void *ctx)
{
    size_t i = 0, start = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        size_t step = 1;
        if (c < 0x80) {
            rep = entity(c);
            if (!rep && c == '\n' && (flags & EXT_HTML_BR))
                rep = "<br>";
            else if (!rep && c == '\r')
                rep = " "; /* a CR of a CRLF-wrapped cell: keep the gap */
            else if (!rep && forbidden(c))
                rep = REPLACEMENT;
        } else {
            uint32_t cp;
            step = ft_utf8_decode(s + i, len - i, &cp);
            if (step == 0) {
                step = 1; /* one bad byte becomes one U+FFFD */
                rep = REPLACEMENT;
            } else if (forbidden(cp)) {
                rep = REPLACEMENT;
            }
        }
        if (rep) {
            if (i > start && emit(ctx, s + start, i - start))
                return -1;
            if (emit(ctx, rep, strlen(rep)))
                return -1;
            start = i + step;
        }
        i += step;
    }
    if (len > start && emit(ctx, s + start, len - start))
        return -1;
    return 0;
}

static int emit_file(void *ctx, const char *p, size_t n)
{
    return fwrite(p, 1, n, (FILE *)ctx) == n ? 0 : -1;
}

typedef struct {
    ft_buf *out;
    ft_err rc;
} buf_ctx;

static int emit_buf(void *ctx, const char *p, size_t n)
{
    buf_ctx *b = ctx;
    b->rc = ft_buf_append(b->out, p, n);
    return b->rc ? -1 : 0;
}

int ext_html_put(FILE *f, const char *s, size_t len, unsigned flags)
{
    return escape(s, len, flags, emit_file, f) ? EOF : 0;
}

int ext_html_puts(FILE *f, const char *s, unsigned flags)
{
    return ext_html_put(f, s, strlen(s), flags);
}

ft_err ext_html_escape(ft_buf *out, const char *s, size_t len,
                       unsigned flags)
{
    buf_ctx b = {out, FT_OK};
    escape(s, len, flags, emit_buf, &b);
    return b.rc;
}

void ext_html_begin(FILE *f, const char *title, const char *css_href)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"" EXT_HTML_CSP
          "\">\n"
          "<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n<title>",
          f);
    ext_html_puts(f, title, 0);
    fputs("</title>\n<link rel=\"stylesheet\" href=\"", f);
    ext_html_puts(f, css_href, 0);
    fputs("\">\n</head>\n<body>\n", f);
}

void ext_html_end(FILE *f)
{
    fputs("</body>\n</html>\n", f);
}

/* Colours match the PNG overlay (ext_inspect_draw.h): rules red, tables
 * blue, cells green, merged cells amber, low-confidence OCR magenta. Fonts
 * are local names only (no web fonts: the page must read offline). In
 * pieces, as C11 only promises string literals of 4095 bytes. */
static const char *const CSS[] = {
    "@charset \"UTF-8\";\n"
    "/* formtab review page (written by formtab-inspect and formtab-batch; "
    "do not edit) */\n"
    ":root{--rule:#d00000;--table:#0030ff;--cell:#00a000;"
    "--merged:rgba(255,170,0,.35);--low:#d000d0;--target:#ff00a8;"
    "--warn:#fff1c2}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:#111;background:#eef0f4;font:14px/1.45 "
    "system-ui,\"WenQuanYi Micro Hei\",\"Noto Sans CJK SC\",sans-serif}\n"
    "header.top{padding:.8rem 1.2rem;background:#fff;"
    "border-bottom:1px solid #c8cbd6}\n"
    "h1{font-size:1.3rem;margin:0 0 .3rem}\n"
    ".meta{color:#444;font-size:.9rem;overflow-wrap:anywhere;margin:.2rem 0}\n"
    ".meta code{font-size:.85rem}\n"
    "nav.pages{margin:.4rem 0}\n"
    "nav.pages a{display:inline-block;margin:.1rem .2rem;padding:0 .4rem;"
    "border:1px solid #c8cbd6;border-radius:3px;text-decoration:none}\n"
    "nav.pages a.has-warn{background:var(--warn)}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:.4rem 0 0;"
    "padding:0;list-style:none;font-size:.85rem;color:#333}\n"
    ".sw{display:inline-block;width:1.8em;height:.95em;"
    "vertical-align:middle;margin-right:.35em}\n"
    ".sw.rule{height:0;border-top:3px solid var(--rule)}\n"
    ".sw.table{border:2px solid var(--table)}\n"
    ".sw.cell{border:1px solid var(--cell)}\n"
    ".sw.merged{border:1px solid var(--cell);background:var(--merged)}\n"
    ".sw.low{border:2px dashed var(--low)}\n"
    ".sw.ocr{width:4em;background:linear-gradient(to right,"
    "rgba(220,0,0,.45),rgba(230,200,0,.45),rgba(0,170,0,.45))}\n"
    ".sw.target{border:2px solid var(--target);"
    "background:rgba(255,0,168,.25)}\n"
    ,
    "section.page{margin:1rem;background:#fff;border:1px solid #c8cbd6;"
    "border-radius:6px;padding:.6rem 1rem}\n"
    "section.page h2{font-size:1.1rem;margin:.2rem 0 .6rem}\n"
    "section.page h2 small{font-weight:400;color:#555;font-size:.85rem}\n"
    ".pagebody{display:grid;grid-template-columns:minmax(0,1fr) "
    "minmax(0,1fr);gap:1.2rem;align-items:start}\n"
    ".pagebody.noimage{grid-template-columns:minmax(0,1fr)}\n"
    "figure.sheet{margin:0;position:sticky;top:.5rem}\n"
    "figure.sheet svg{display:block;width:100%;height:auto;"
    "max-height:calc(100vh - 1rem);border:1px solid #aab;background:#fff}\n"
    "figure.sheet figcaption{font-size:.8rem;color:#555}\n"
    "svg .box{fill:transparent;stroke:none}\n"
    "svg a:hover .box{fill:rgba(255,0,168,.12);stroke:var(--target);"
    "stroke-width:1}\n"
    "svg .box:target{fill:rgba(255,0,168,.28);stroke:var(--target);"
    "stroke-width:2.5}\n"
    ".extract{min-width:0}\n"
    ".scroll{overflow-x:auto}\n"
    ,
    "table.ft{border-collapse:collapse;margin:.3rem 0 1rem;font-size:13px}\n"
    "table.ft caption{text-align:left;font-weight:600;padding:.2rem 0;"
    "color:var(--table);caption-side:top}\n"
    "table.ft caption a{color:inherit}\n"
    "table.ft td{border:1px solid #8fb08f;padding:.15rem .35rem;"
    "vertical-align:top;min-width:2.2em}\n"
    "table.ft th.rn{color:#667;font-weight:400;font-size:11px;"
    "padding:0 .3rem;text-align:right;vertical-align:top;"
    "background:#f3f3f8;border:1px solid #dde}\n"
    "table.ft td.hdr{background:#eef2ff;font-weight:600}\n"
    "table.ft td.merged{background:rgba(255,170,0,.2)}\n"
    "table.ft td.low{background:#ffe3f8;outline:2px dashed var(--low);"
    "outline-offset:-2px}\n"
    "table.ft td.repaired{box-shadow:inset 3px 0 0 #7a5cff}\n"
    "table.ft td:target{outline:3px solid var(--target);outline-offset:-3px;"
    "background:#ffd6f1}\n"
    "table.ft td a{color:inherit;text-decoration:none;display:block}\n"
    "table.ft td a:hover{text-decoration:underline}\n"
    ".empty{color:#bbb}\n"
    ".conf{font-size:10px;color:#a00090;margin-left:.3em}\n"
    ,
    "ul.warnings{background:var(--warn);border-left:4px solid #e0a000;"
    "padding:.4rem .8rem;margin:.4rem 0;list-style:none}\n"
    "ul.warnings li::before{content:\"\\26A0  \"}\n"
    ".failed{background:#ffe0e0;border-left:4px solid var(--rule);"
    "padding:.4rem .8rem}\n"
    "p.note{margin:.15rem 0;color:#333;font-size:.92rem}\n"
    "p.note a{color:inherit;text-decoration:none}\n"
    "p.note a:hover{text-decoration:underline}\n"
    "p.cont{color:#446;font-style:italic}\n"
    "table.rec{border-collapse:collapse;font-size:12px;margin:.2rem 0 1rem}\n"
    "table.rec caption{text-align:left;font-weight:600;color:#333}\n"
    "table.rec th,table.rec td{border:1px solid #ddd;padding:.1rem .35rem;"
    "text-align:left;vertical-align:top}\n"
    "table.rec tr.bad td{background:var(--warn)}\n"
    "table.rec .k{color:#667}\n"
    "table.rec td.w{white-space:nowrap}\n"
    "table.rec mark{background:#ffcf40;padding:0 .15em}\n"
    "footer{margin:1rem;color:#555;font-size:.85rem}\n"
    "@media (max-width:900px){.pagebody{grid-template-columns:"
    "minmax(0,1fr)}figure.sheet{position:static}}\n"
    "@media print{figure.sheet{position:static}body{background:#fff}}\n",
    /* The run page of formtab batch (batch/batch_html.h): one row per
     * input, coloured by status; words of the status are the classes. */
    "table.runs{border-collapse:collapse;font-size:13px;margin:.3rem 0 1rem;"
    "background:#fff}\n"
    "table.runs caption{text-align:left;font-weight:600;color:#333;"
    "padding:.2rem 0}\n"
    "table.runs th,table.runs td{border:1px solid #ccd;padding:.15rem .4rem;"
    "text-align:left;vertical-align:top}\n"
    "table.runs thead th{background:#f3f3f8}\n"
    "table.runs td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "table.runs td.path{overflow-wrap:anywhere;max-width:32em}\n"
    "table.runs td.msg{overflow-wrap:anywhere;max-width:40em;color:#600}\n"
    "table.runs tr.r-failed td,table.runs tr.r-timeout td{"
    "background:#ffe0e0}\n"
    "table.runs tr.r-partial td,table.runs tr.r-interrupted td{"
    "background:var(--warn)}\n"
    ".st{font-weight:600;white-space:nowrap}\n"
    ".st.ok{color:#006400}\n"
    ".st.partial,.st.interrupted{color:#8a5a00}\n"
    ".st.failed,.st.timeout,.st.io-error,.st.some-failed{color:var(--rule)}\n"
    "p.runstatus{font-size:1.1rem;margin:.3rem 0}\n",
    NULL};

int ext_html_put_css(FILE *f)
{
    for (size_t i = 0; CSS[i]; i++)
        if (fputs(CSS[i], f) == EOF)
            return EOF;
    return 0;
}

ft_err ext_html_path(ft_buf *out, const char *dir, const char *name)
{
    size_t n = strlen(dir);
    ft_err rc = ft_buf_append(out, dir, n);
    if (!rc && (n == 0 || dir[n - 1] != '/'))
        rc = ft_buf_putc(out, '/');
    if (!rc)
        rc = ft_buf_puts(out, name);
    return rc;
}

ft_err ext_html_atomic_open(ft_atomic *a, const char *path, mode_t mode)
{
    ft_err rc = ft_atomic_open(a, path);
    if (rc)
        return rc;
    if (fchmod(fileno(a->f), mode) != 0) {
        int saved = errno;
        ft_atomic_abort(a);
        errno = saved;
        return FT_IO;
    }
    return FT_OK;
}

ft_err ext_html_write_css(const char *dir, mode_t mode)
{
    ft_buf path;
    ft_atomic a;
    int open = 0;
    ft_buf_init(&path, 4096 + sizeof EXT_HTML_CSS_NAME);
    ft_err rc = ext_html_path(&path, dir, EXT_HTML_CSS_NAME);
    if (rc)
        goto out;
    rc = ext_html_atomic_open(&a, ft_buf_str(&path), mode);
    if (rc)
        goto out;
    open = 1;
    if (ext_html_put_css(a.f) == EOF) {
        rc = FT_IO;
        goto out;
    }
    open = 0;
    rc = ft_atomic_commit(&a);
out:
    if (open)
        ft_atomic_abort(&a);
    ft_buf_cleanup(&path);
    return rc;
}
