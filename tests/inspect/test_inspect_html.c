/* The review page of formtab-inspect in a real browser: headless Chromium
 * loads DIR/index.html from disk and dumps the DOM after load, and takes a
 * screenshot. A ruled table with row and column merges is drawn into a PDF
 * with cairo (geometry and texts chosen by hand below); two of its cells
 * hold markup that would change the page's <title> if it ever ran. From the
 * DOM: the table has the merges as real rowspan/colspan, every cell's text,
 * the markup as text, no <script> or <img> element and the title untouched.
 * A control page with the same markup unescaped shows the check can fail.
 * From the screenshot: the page image and the stylesheet were loaded
 * (offline, under the page's Content-Security-Policy).
 *
 * Run twice: from hand-written streams and records, and through the real
 * formtab-extract | formtab-normalize | formtab-emit. Exit 77 (skipped) only
 * when no chromium is installed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ft_sha256.h"
#include "inspect_testlib.h"

#define INSPECT FORMTAB_BINARY_DIR "/formtab-inspect"

/* Markup that changes the document's title if it runs. */
#define SCRIPT "<script>document.title='pwned'</script>"
#define IMG "<img src=x onerror=\"document.title='pwned'\">"

static const double COLW[] = {100, 80, 80, 280};
static const double ROWH[] = {24, 24, 24, 24};
static const tl_cell CELLS[] = {
    {1, 1, 2, 1, "Region"}, {1, 2, 1, 2, "2023"}, {1, 4, 2, 1, "Note"},
    {2, 2, 1, 1, "H1"},     {2, 3, 1, 1, "H2"},
    {3, 1, 2, 1, "Europe"}, {3, 2, 1, 1, "12.5"}, {3, 3, 1, 1, "13.1"},
    {3, 4, 1, 1, SCRIPT},
    {4, 2, 1, 1, "20.2"},   {4, 3, 1, 1, "19.8"}, {4, 4, 1, 1, IMG},
};
#define NCELLS (sizeof CELLS / sizeof CELLS[0])
static const tl_grid GRID = {595, 842, 42, 42, COLW, 4, ROWH, 4,
                             CELLS, NCELLS, 7};

/* The streams of that page, written by hand (columns at x = 42, 142, 222,
 * 302, 582; rows at y = 42, 66, 90, 114, 138), after the header and doc
 * record (tl_stream()). */
static const char LAYOUT[] =
    "page\t1\t595.00\t842.00\t0\ttext\n"
    "rule\t42.00\t42.00\t582.00\t42.00\n"
    "rule\t142.00\t66.00\t302.00\t66.00\n"
    "rule\t42.00\t90.00\t582.00\t90.00\n"
    "rule\t142.00\t114.00\t582.00\t114.00\n"
    "rule\t42.00\t138.00\t582.00\t138.00\n"
    "rule\t42.00\t42.00\t42.00\t138.00\n"
    "rule\t142.00\t42.00\t142.00\t138.00\n"
    "rule\t222.00\t66.00\t222.00\t138.00\n"
    "rule\t302.00\t42.00\t302.00\t138.00\n"
    "rule\t582.00\t42.00\t582.00\t138.00\n"
    "endpage\t1\tok\n"
    "end\t1\t0\n";

static const char TABLES[] =
    "note\t1\t42.00\t20.00\t200.00\t32.00\tA note <b>above</b>\n"
    "table\t1\t1\t1\tlattice\t4\t4\t42.00\t42.00\t582.00\t138.00\n"
    "cell\t1\t1\t2\t1\t1\t42.00\t42.00\t142.00\t90.00\t\t1\tRegion\n"
    "cell\t1\t2\t1\t2\t1\t142.00\t42.00\t302.00\t66.00\t\t1\t2023\n"
    "cell\t1\t4\t2\t1\t1\t302.00\t42.00\t582.00\t90.00\t\t1\tNote\n"
    "cell\t2\t2\t1\t1\t1\t142.00\t66.00\t222.00\t90.00\t\t1\tH1\n"
    "cell\t2\t3\t1\t1\t1\t222.00\t66.00\t302.00\t90.00\t\t1\tH2\n"
    "cell\t3\t1\t2\t1\t1\t42.00\t90.00\t142.00\t138.00\t\t0\tEurope\n"
    "cell\t3\t2\t1\t1\t1\t142.00\t90.00\t222.00\t114.00\t\t0\t12.5\n"
    "cell\t3\t3\t1\t1\t1\t222.00\t90.00\t302.00\t114.00\t\t0\t13.1\n"
    "cell\t3\t4\t1\t1\t1\t302.00\t90.00\t582.00\t114.00\t\t0\t" SCRIPT "\n"
    "cell\t4\t2\t1\t1\t1\t142.00\t114.00\t222.00\t138.00\t\t0\t20.2\n"
    "cell\t4\t3\t1\t1\t1\t222.00\t114.00\t302.00\t138.00\t31\t8\t19.8\n"
    "cell\t4\t4\t1\t1\t1\t302.00\t114.00\t582.00\t138.00\t\t0\t" IMG "\n"
    "endtable\t1\n"
    "warn\t1\ttotals <do not> add up\n"
    "end\t1\t0\n";

/* Form records as formtab-emit writes them; one amount it could not read. */
static const char RECORDS[] =
    "{\"kind\":\"field\",\"source\":\"x\",\"sha256\":\"y\",\"page\":1,"
    "\"table\":1,\"row\":3,\"col\":2,\"name\":\"amount\",\"value_text\":"
    "\"12.5\",\"value_type\":\"amount\",\"value_number\":12.5}\n"
    "{\"kind\":\"field\",\"source\":\"x\",\"sha256\":\"y\",\"page\":1,"
    "\"table\":1,\"row\":4,\"col\":4,\"name\":\"note\",\"value_text\":"
    "\"1,2,3 <i>\",\"value_type\":\"amount\",\"value_number\":null}\n";

/* What each cell must read, by its anchor. */
static const struct {
    const char *id;
    unsigned rowspan, colspan;
    const char *text;
} EXPECT[] = {
    {"td-t1-r1-c1", 2, 1, "Region"}, {"td-t1-r1-c2", 1, 2, "2023"},
    {"td-t1-r1-c4", 2, 1, "Note"},   {"td-t1-r2-c2", 1, 1, "H1"},
    {"td-t1-r2-c3", 1, 1, "H2"},     {"td-t1-r3-c1", 2, 1, "Europe"},
    {"td-t1-r3-c2", 1, 1, "12.5"},   {"td-t1-r3-c3", 1, 1, "13.1"},
    {"td-t1-r3-c4", 1, 1, SCRIPT},   {"td-t1-r4-c2", 1, 1, "20.2"},
    {"td-t1-r4-c3", 1, 1, "19.8"},   {"td-t1-r4-c4", 1, 1, IMG},
};
#define NEXPECT (sizeof EXPECT / sizeof EXPECT[0])

static char *chromium; /* path, found by main() */

/* Run chromium on url: DOM to dom_path (if set), screenshot to shot_path
 * (if set). Returns its exit status. */
static int browse(const char *dir, const char *url, const char *dom_path,
                  const char *shot_path)
{
    char profile[4200], shot_arg[4300], err[4200];
    snprintf(profile, sizeof profile, "--user-data-dir=%s/profile", dir);
    snprintf(err, sizeof err, "%s/chromium.err", dir);
    char *argv[20];
    size_t n = 0;
    argv[n++] = chromium;
    argv[n++] = "--headless";
    argv[n++] = "--no-sandbox";
    argv[n++] = "--disable-gpu";
    argv[n++] = "--no-first-run";
    argv[n++] = "--disable-background-networking";
    argv[n++] = "--disable-component-update";
    argv[n++] = "--disable-sync";
    argv[n++] = "--disable-quic";
    argv[n++] = "--hide-scrollbars";
    argv[n++] = "--window-size=1400,1000";
    argv[n++] = profile;
    if (shot_path) {
        snprintf(shot_arg, sizeof shot_arg, "--screenshot=%s", shot_path);
        argv[n++] = shot_arg;
    } else {
        argv[n++] = "--dump-dom";
    }
    argv[n++] = (char *)url;
    argv[n] = NULL;
    return tl_run(argv, dom_path, err, 120);
}

/* Text of the element whose start tag has id, tags and the confidence
 * badge stripped, the entities the serializer writes decoded; its start tag
 * into tag. NULL if absent. */
static char *element_text(const char *dom, const char *id, char *tag,
                          size_t tag_len)
{
    char needle[64];
    snprintf(needle, sizeof needle, "id=\"%s\"", id);
    const char *at = strstr(dom, needle);
    if (!at)
        return NULL;
    const char *open = at;
    while (open > dom && *open != '<')
        open--;
    const char *gt = strchr(at, '>');
    const char *end = gt ? strstr(gt, "</td>") : NULL;
    if (!gt || !end)
        return NULL;
    snprintf(tag, tag_len, "%.*s", (int)(gt - open + 1), open);
    char *out = malloc((size_t)(end - gt) + 1);
    size_t n = 0;
    int in_tag = 0;
    for (const char *p = gt + 1; p < end; p++) {
        /* the OCR confidence badge of a low-confidence cell is not text */
        static const char badge[] = "<span class=\"conf\">";
        if (!strncmp(p, badge, sizeof badge - 1)) {
            const char *close = strstr(p, "</span>");
            if (close && close < end) {
                p = close + 6;
                continue;
            }
        }
        if (*p == '<') {
            in_tag = 1;
            continue;
        }
        if (in_tag) {
            in_tag = *p != '>';
            continue;
        }
        static const struct {
            const char *ent;
            char c;
        } ents[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'},
                    {"&quot;", '"'}, {"&#39;", '\''}};
        int done = 0;
        for (size_t k = 0; k < sizeof ents / sizeof ents[0] && !done; k++) {
            size_t el = strlen(ents[k].ent);
            if (!strncmp(p, ents[k].ent, el)) {
                out[n++] = ents[k].c;
                p += el - 1;
                done = 1;
            }
        }
        if (!done)
            out[n++] = *p;
    }
    out[n] = '\0';
    return out;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static int has_tag(const char *dom, const char *name)
{
    /* case-insensitive "<name" followed by a delimiter */
    size_t nl = strlen(name);
    for (const char *p = dom; (p = strchr(p, '<')) != NULL; p++)
        if (!strncasecmp(p + 1, name, nl) &&
            (p[1 + nl] == ' ' || p[1 + nl] == '>' || p[1 + nl] == '/'))
            return 1;
    return 0;
}

/* The <title> the page ended up with. */
static void title_of(const char *dom, char *out, size_t len)
{
    const char *t = strstr(dom, "<title>");
    const char *e = t ? strstr(t, "</title>") : NULL;
    if (!t || !e)
        snprintf(out, len, "(none)");
    else
        snprintf(out, len, "%.*s", (int)(e - t - 7), t + 7);
}

/* Some pixel of the screenshot within tol of rgb. */
static int has_colour(const tl_png *png, int r, int g, int b, int tol)
{
    for (int y = 0; y < tl_png_height(png); y += 2)
        for (int x = 0; x < tl_png_width(png); x += 2) {
            int p[3];
            if (!tl_png_rgb(png, x, y, p) && abs(p[0] - r) <= tol &&
                abs(p[1] - g) <= tol && abs(p[2] - b) <= tol)
                return 1;
        }
    return 0;
}

/* The detection works: the same markup unescaped in a page without a
 * policy does change the title. */
START_TEST(control_page_runs_script)
{
    char *dir = tl_tmpdir();
    ck_assert_ptr_nonnull(dir);
    char page[4200], url[4300], dom[4200], t[256];
    snprintf(page, sizeof page, "%s/control.html", dir);
    snprintf(url, sizeof url, "file://%s", page);
    snprintf(dom, sizeof dom, "%s/control.dom", dir);
    ck_assert_int_eq(tl_write_file(page, "<!DOCTYPE html><html><head><title>"
                                         "safe</title></head><body><table>"
                                         "<tr><td>" SCRIPT "</td></tr>"
                                         "</table></body></html>"),
                     0);
    ck_assert_int_eq(browse(dir, url, dom, NULL), 0);
    char *d = tl_read_file(dom, NULL);
    ck_assert_ptr_nonnull(d);
    title_of(d, t, sizeof t);
    ck_assert_str_eq(t, "pwned");
    free(d);
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "%s/profile", dir);
    /* the profile is a tree: leave it to rm */
    char *rm[] = {"rm", "-rf", cmd, NULL};
    tl_run(rm, NULL, NULL, 60);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

/* _i: 0 hand-written streams and records, 1 the real stages. */
START_TEST(review_page_in_chromium)
{
    char *dir = tl_tmpdir();
    ck_assert_ptr_nonnull(dir);
    char pdf[4200], out[4200], lpath[4200], tpath[4200], rpath[4200];
    char err[4200], url[4300], dom_path[4200], shot[4200], t[512];
    snprintf(pdf, sizeof pdf, "%s/merges.pdf", dir);
    snprintf(out, sizeof out, "%s/review", dir);
    snprintf(lpath, sizeof lpath, "%s/l", dir);
    snprintf(tpath, sizeof tpath, "%s/t", dir);
    snprintf(rpath, sizeof rpath, "%s/r", dir);
    snprintf(err, sizeof err, "%s/inspect.err", dir);
    snprintf(url, sizeof url, "file://%s/index.html", out);
    snprintf(dom_path, sizeof dom_path, "%s/dom.html", dir);
    snprintf(shot, sizeof shot, "%s/shot.png", dir);
    ck_assert_int_eq(tl_make_pdf(pdf, &GRID), 0);

    int st;
    if (_i == 0) {
        char sha[65];
        ck_assert_int_eq(ft_sha256_file(pdf, sha), 0);
        char *l = tl_stream("formtab-layout", pdf, sha, LAYOUT), *tb = tl_stream("formtab-tables", pdf, sha, TABLES);
        ck_assert_int_eq(tl_write_file(lpath, l), 0);
        ck_assert_int_eq(tl_write_file(tpath, tb), 0);
        ck_assert_int_eq(tl_write_file(rpath, RECORDS), 0);
        free(l);
        free(tb);
        char *argv[] = {INSPECT, "--layout", lpath, "--tables", tpath,
                        "--records", rpath, pdf, "--html", out, NULL};
        st = tl_run(argv, NULL, err, 60);
    } else {
        char *argv[] = {INSPECT, "-q", pdf, "--html", out, NULL};
        st = tl_run(argv, NULL, err, 120);
    }
    char *e = tl_read_file(err, NULL);
    ck_assert_msg(st == 0, "formtab-inspect exit %d: %s", st, e ? e : "");
    free(e);

    ck_assert_int_eq(browse(dir, url, dom_path, NULL), 0);
    char *dom = tl_read_file(dom_path, NULL);
    ck_assert_ptr_nonnull(dom);
    ck_assert_ptr_nonnull(strstr(dom, "<table class=\"ft\" id=\"t1\">"));

    /* the merges as the browser parsed them, and every cell's text */
    ck_assert_uint_eq(count(dom, "<td id=\"td-t1-"), NEXPECT);
    for (size_t k = 0; k < NEXPECT; k++) {
        char tag[1024];
        char *text = element_text(dom, EXPECT[k].id, tag, sizeof tag);
        ck_assert_msg(text != NULL, "no cell %s", EXPECT[k].id);
        ck_assert_msg(!strcmp(text, EXPECT[k].text), "%s reads '%s'",
                      EXPECT[k].id, text);
        char attr[32];
        snprintf(attr, sizeof attr, "rowspan=\"%u\"", EXPECT[k].rowspan);
        ck_assert_msg((strstr(tag, attr) != NULL) == (EXPECT[k].rowspan > 1),
                      "%s: %s", EXPECT[k].id, tag);
        snprintf(attr, sizeof attr, "colspan=\"%u\"", EXPECT[k].colspan);
        ck_assert_msg((strstr(tag, attr) != NULL) == (EXPECT[k].colspan > 1),
                      "%s: %s", EXPECT[k].id, tag);
        /* the cell links to its box on the page image, which exists */
        char link[64], box[64];
        snprintf(link, sizeof link, "href=\"#p1-%s\"", EXPECT[k].id + 3);
        snprintf(box, sizeof box, "id=\"p1-%s\"", EXPECT[k].id + 3);
        ck_assert_msg(strstr(dom, link) && strstr(dom, box), "%s: no box",
                      EXPECT[k].id);
        free(text);
    }

    /* the markup stayed text: no element made of it, nothing ran */
    ck_assert(!has_tag(dom, "script"));
    ck_assert(!has_tag(dom, "img"));
    ck_assert(!has_tag(dom, "b") && !has_tag(dom, "i"));
    ck_assert_ptr_nonnull(strstr(dom, "&lt;script&gt;document.title="));
    title_of(dom, t, sizeof t);
    ck_assert_msg(!strncmp(t, "formtab inspect: ", 17), "title: %s", t);
    ck_assert_ptr_null(strstr(t, "pwned"));

    if (_i == 0) {
        /* warnings, the low-confidence cell and the unread amount stand out */
        ck_assert_ptr_nonnull(strstr(dom, "totals &lt;do not&gt; add up"));
        ck_assert_ptr_nonnull(strstr(dom, "class=\"low\""));
        ck_assert_ptr_nonnull(strstr(dom, "<span class=\"conf\">31%</span>"));
        ck_assert_ptr_nonnull(strstr(dom, "<mark"));
        ck_assert_ptr_nonnull(strstr(dom, "1,2,3 &lt;i&gt;"));
        ck_assert_ptr_nonnull(strstr(dom, "href=\"#td-t1-r4-c4\""));
        ck_assert_ptr_nonnull(strstr(dom, "A note &lt;b&gt;above&lt;/b&gt;"));
    }
    free(dom);

    /* The screenshot shows the page image (the overlay's amber merged-cell
     * tint, 255 226 166) and the stylesheet's merged-cell background (amber
     * at 20 % over white, 255 238 204): both loaded from disk under the
     * policy. */
    ck_assert_int_eq(browse(dir, url, NULL, shot), 0);
    tl_png *png = tl_png_load(shot);
    ck_assert_ptr_nonnull(png);
    ck_assert_int_eq(tl_png_width(png), 1400);
    ck_assert(has_colour(png, 255, 226, 166, 8));
    ck_assert(has_colour(png, 255, 238, 204, 6));
    tl_png_free(png);

    char prof[4300];
    snprintf(prof, sizeof prof, "%s/profile", dir);
    char *rm[] = {"rm", "-rf", prof, out, NULL};
    tl_run(rm, NULL, NULL, 60);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

static Suite *html_suite(void)
{
    Suite *s = suite_create("inspect_html");
    TCase *tc = tcase_create("chromium");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, control_page_runs_script);
    tcase_add_loop_test(tc, review_page_in_chromium, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    chromium = tl_which("chromium");
    if (!chromium)
        chromium = tl_which("chromium-browser");
    if (!chromium) {
        printf("SKIP: no chromium in PATH (Debian package 'chromium')\n");
        return 77;
    }
    SRunner *sr = srunner_create(html_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    free(chromium);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
