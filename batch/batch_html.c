/* The streamed HTML run page (see batch_html.h). */
#include "batch_html.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ext_inspect_html.h"

#ifndef FORMTAB_VERSION
#define FORMTAB_VERSION "unknown"
#endif

/* Bytes copied at a time from a row file into the page. */
#define COPY_CHUNK 65536u

/* ---- small writers ----------------------------------------------------------- */

static void text(FILE *f, const char *s)
{
    ext_html_puts(f, s ? s : "", 0);
}

int batch_html_put_url(FILE *f, unsigned depth, const char *rel)
{
    static const char hex[] = "0123456789ABCDEF";
    for (unsigned i = 0; i < depth; i++)
        if (fputs("../", f) == EOF)
            return EOF;
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
        unsigned char c = *p;
        int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                    c == '_' || c == '~' || c == '/';
        if (plain ? putc(c, f) == EOF
                  : fprintf(f, "%%%c%c", hex[c >> 4], hex[c & 15]) < 0)
            return EOF;
    }
    return 0;
}

/* <a href="URL">label</a>, label escaped. */
static void put_link(FILE *f, unsigned depth, const char *rel, const char *label)
{
    fputs("<a href=\"", f);
    batch_html_put_url(f, depth, rel);
    fputs("\">", f);
    text(f, label);
    fputs("</a>", f);
}

/* The status as a CSS class: only the words formtab writes (batch.h and
 * the run statuses), so nothing from outside reaches a class attribute. */
static const char *status_class(const char *s)
{
    static const char *const known[] = {
        "ok", "partial", "failed", "timeout", "interrupted", "pending",
        "removed", "some-failed", "io-error", NULL};
    for (size_t i = 0; s && known[i]; i++)
        if (!strcmp(s, known[i]))
            return known[i];
    return "other";
}

/* An unlinked temporary file in dir: the rows of one list. */
static FILE *row_file(const char *dir)
{
    size_t n = strlen(dir) + sizeof "/.batch-html.XXXXXX";
    char *p = malloc(n);
    FILE *f = NULL;
    if (!p) {
        errno = ENOMEM;
        return NULL;
    }
    snprintf(p, n, "%s/.batch-html.XXXXXX", dir);
    int fd = mkstemp(p);
    if (fd >= 0) {
        unlink(p);
        f = fdopen(fd, "w+");
        if (!f) {
            int e = errno;
            close(fd);
            errno = e;
        }
    }
    free(p);
    return f;
}

static void close_rows(batch_html *h)
{
    FILE **fs[] = {&h->attention, &h->files, &h->removed};
    for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++) {
        if (*fs[i])
            fclose(*fs[i]);
        *fs[i] = NULL;
    }
}

/* ---- the head ---------------------------------------------------------------- */

static void put_options(FILE *f, const batch_report_head *h)
{
    const batch_opts *o = h->opts;
    fprintf(f, "<p class=\"meta\">Options: format %s, records %s, %u job%s, ",
            batch_format_name(o->format), batch_records_name(o->records),
            h->jobs, h->jobs == 1 ? "" : "s");
    if (o->timeout > 0)
        fprintf(f, "timeout %.1f s", o->timeout);
    else
        fputs("no timeout", f);
    if (o->shard_n > 1)
        fprintf(f, ", shard %u/%u", o->shard_k, o->shard_n);
    if (o->prune)
        fputs(", --prune", f);
    if (o->retry_failed)
        fputs(", --retry-failed", f);
    if (o->force)
        fputs(", --force", f);
    if (o->load) {
        fputs(", load ", f);
        text(f, o->load);
    }
    if (o->review)
        fputs(", review pages", f);
    fputs("</p>\n", f);
}

ft_err batch_html_open(batch_html *h, const char *path,
                       const batch_html_where *w, mode_t mode)
{
    const batch_report_head *hd = w->head;
    char *dir = NULL;
    ft_err rc;

    memset(h, 0, sizeof *h);
    h->depth = w->depth;
    h->with_load = hd->opts->load != NULL;
    dir = strdup(path);
    if (!dir)
        return FT_NOMEM;
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    if (!(h->attention = row_file(dir)) || !(h->files = row_file(dir)) ||
        !(h->removed = row_file(dir))) {
        rc = errno == ENOMEM ? FT_NOMEM : FT_IO;
        int e = errno;
        close_rows(h);
        free(dir);
        errno = e;
        return rc;
    }
    free(dir);
    if ((rc = ext_html_atomic_open(&h->a, path, mode))) {
        int e = errno;
        close_rows(h);
        errno = e;
        return rc;
    }

    FILE *f = h->a.f;
    char title[128];
    snprintf(title, sizeof title, "formtab batch: run of %s", hd->started);
    ext_html_begin(f, title, EXT_HTML_CSS_NAME);
    fputs("<header class=\"top\">\n<h1>formtab batch: run of ", f);
    text(f, hd->started);
    fputs("</h1>\n<p class=\"meta\">From <code>", f);
    text(f, hd->in_dir);
    fputs("</code> to <code>", f);
    text(f, hd->out_dir);
    fputs("</code></p>\n", f);
    put_options(f, hd);
    fputs("<nav class=\"pages\"><a href=\"#summary\">summary</a>"
          "<a href=\"#attention\">needs attention</a>"
          "<a href=\"#files\">files</a><a href=\"#removed\">removed</a>",
          f);
    if (w->page_rel)
        put_link(f, h->depth, w->page_rel, "this run's own page");
    if (w->json_rel)
        put_link(f, h->depth, w->json_rel, "JSON report");
    fputs("</nav>\n</header>\n", f);
    return FT_OK;
}

/* ---- rows ------------------------------------------------------------------- */

void batch_html_removed(batch_html *h, const char *path, const char *output,
                        int pruned)
{
    FILE *f = h->removed;
    fputs("<tr><td class=\"path\">", f);
    text(f, path);
    fputs("</td><td class=\"path\">", f);
    if (output && !pruned)
        put_link(f, h->depth, output, output);
    else
        text(f, output);
    fprintf(f, "</td><td>%s</td></tr>\n", pruned ? "deleted" : "kept");
    h->nremoved++;
}

/* The input's path, linked to its review page, else to its output. */
static void path_cell(batch_html *h, FILE *f, const batch_report_file *e)
{
    fputs("<td class=\"path\">", f);
    if (e->review)
        put_link(f, h->depth, e->review, e->path);
    else if (e->output)
        put_link(f, h->depth, e->output, e->path);
    else
        text(f, e->path);
    fputs("</td>", f);
}

/* The error line, then a failed load's and a missing review's reasons. */
static void message_cell(FILE *f, const batch_report_file *e)
{
    int n = 0;
    fputs("<td class=\"msg\">", f);
    if (e->error) {
        text(f, e->error);
        n++;
    }
    if (e->load_error) {
        fputs(n++ ? "<br>load: " : "load: ", f);
        text(f, e->load_error);
    }
    if (e->review_error) {
        fputs(n++ ? "<br>no review page: " : "no review page: ", f);
        text(f, e->review_error);
    }
    fputs("</td>", f);
}

static int needs_attention(const batch_report_file *e)
{
    return strcmp(status_class(e->status), "ok") ||
           (e->load && strcmp(e->load, "ok"));
}

void batch_html_file(batch_html *h, const batch_report_file *e)
{
    FILE *f = h->files;
    const char *cls = status_class(e->status);
    unsigned long n = ++h->nfiles;

    fprintf(f, "<tr class=\"r-%s\" id=\"f%lu\"><td class=\"num\">%lu</td>",
            cls, n, n);
    path_cell(h, f, e);
    fputs("<td>", f);
    text(f, e->kind);
    fputs("</td><td>", f);
    text(f, e->action);
    fprintf(f, "</td><td class=\"st %s\">", cls);
    text(f, e->status);
    fprintf(f, "</td><td class=\"num\">%lu</td><td class=\"num\">%lu</td>"
            "<td class=\"num\">%lu</td><td class=\"num\">%lu</td>"
            "<td class=\"num\">%lu</td><td class=\"num\">%.2f</td><td>",
            e->pages, e->failed_pages, e->tables, e->records, e->warnings,
            e->seconds < 0 ? 0.0 : e->seconds);
    if (e->output)
        put_link(f, h->depth, e->output, e->output);
    fputs("</td><td>", f);
    if (e->review)
        put_link(f, h->depth, e->review, "review");
    fputs("</td>", f);
    if (h->with_load) {
        fputs("<td>", f);
        text(f, e->load);
        fputs("</td>", f);
    }
    message_cell(f, e);
    fputs("</tr>\n", f);

    if (needs_attention(e)) {
        FILE *a = h->attention;
        fprintf(a, "<tr class=\"r-%s\">", cls);
        path_cell(h, a, e);
        fprintf(a, "<td class=\"st %s\">", cls);
        text(a, e->status);
        if (e->load && strcmp(e->load, "ok")) {
            fputs("; load ", a);
            text(a, e->load);
        }
        fprintf(a, "</td><td><a href=\"#f%lu\">row %lu</a></td>", n, n);
        message_cell(a, e);
        fputs("</tr>\n", a);
        h->nattention++;
    }
}

/* ---- the end ------------------------------------------------------------------ */

/* Copy a row file into the page. 0, or -1 on a read or write error. */
static int copy_rows(FILE *from, FILE *to)
{
    char buf[COPY_CHUNK];
    size_t n;
    if (fflush(from) != 0 || ferror(from) || fseek(from, 0, SEEK_SET) != 0)
        return -1;
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, n, to) != n)
            return -1;
    return ferror(from) ? -1 : 0;
}

static void total(FILE *f, const char *key, const char *label,
                  unsigned long v)
{
    fprintf(f, "<tr><th>%s</th><td class=\"num\" id=\"sum-%s\">%lu</td></tr>\n",
            label, key, v);
}

static void put_summary(FILE *f, const char *finished, const batch_counts *c,
                        int exit_code, const char *status)
{
    const char *cls = status_class(status);
    fputs("<section class=\"page\" id=\"summary\">\n<h2>Summary</h2>\n"
          "<p class=\"runstatus\">Run status: ", f);
    fprintf(f, "<span class=\"st %s\" id=\"run-status\">", cls);
    text(f, status);
    fprintf(f, "</span> (exit %d), finished ", exit_code);
    text(f, finished);
    fprintf(f, " after %.1f s</p>\n", c->seconds < 0 ? 0.0 : c->seconds);
    fputs("<table class=\"runs\" id=\"totals\"><tbody>\n", f);
    total(f, "inputs", "inputs in the tree", c->inputs);
    total(f, "processed", "converted in this run", c->processed);
    total(f, "ok", "ok", c->ok);
    total(f, "partial", "partial (some pages unreadable)", c->partial);
    total(f, "failed", "failed", c->failed);
    total(f, "timeout", "timed out", c->timeout);
    total(f, "unreadable", "unreadable", c->unreadable);
    total(f, "interrupted", "interrupted", c->interrupted);
    total(f, "unchanged", "unchanged (skipped)", c->unchanged);
    total(f, "known_failed", "known failures (skipped)", c->known_failed);
    total(f, "removed", "removed from the tree", c->removed);
    total(f, "pruned", "pruned", c->pruned);
    total(f, "other_shard", "left to other shards", c->other_shard);
    total(f, "ignored", "not inputs", c->ignored);
    total(f, "hidden", "hidden names skipped", c->hidden);
    total(f, "loaded", "loaded", c->loaded);
    total(f, "load_failed", "load failed", c->load_failed);
    total(f, "pages", "pages", c->pages);
    total(f, "tables", "tables", c->tables);
    total(f, "records", "records", c->records);
    total(f, "warnings", "warnings", c->warnings);
    fprintf(f, "<tr><th>conversion time</th><td class=\"num\">%.1f s</td>"
            "</tr>\n</tbody></table>\n</section>\n",
            c->convert_seconds < 0 ? 0.0 : c->convert_seconds);
}

ft_err batch_html_close(batch_html *h, const char *finished,
                        const batch_counts *c, int exit_code,
                        const char *status)
{
    FILE *f = h->a.f;
    int bad = 0;

    put_summary(f, finished, c, exit_code, status);

    fprintf(f, "<section class=\"page\" id=\"attention\">\n"
            "<h2>Needs attention (%lu)</h2>\n", h->nattention);
    if (h->nattention) {
        fputs("<table class=\"runs\" id=\"attention-list\"><thead><tr>"
              "<th>file</th><th>status</th><th>in the list</th>"
              "<th>message</th></tr></thead><tbody>\n", f);
        bad |= copy_rows(h->attention, f);
        fputs("</tbody></table>\n", f);
    } else {
        fputs("<p>Nothing: every input the run acted on is ok.</p>\n", f);
    }
    fputs("</section>\n", f);

    fprintf(f, "<section class=\"page\" id=\"files\">\n"
            "<h2>Files (%lu)</h2>\n", h->nfiles);
    if (h->nfiles) {
        fputs("<table class=\"runs\" id=\"file-list\"><thead><tr><th>#</th>"
              "<th>file</th><th>kind</th><th>action</th><th>status</th>"
              "<th>pages</th><th>failed pages</th><th>tables</th>"
              "<th>records</th><th>warnings</th><th>seconds</th>"
              "<th>output</th><th>review</th>", f);
        if (h->with_load)
            fputs("<th>load</th>", f);
        fputs("<th>message</th></tr></thead><tbody>\n", f);
        bad |= copy_rows(h->files, f);
        fputs("</tbody></table>\n", f);
    } else {
        fputs("<p>The run converted nothing: every input was unchanged or "
              "a known failure.</p>\n", f);
    }
    fputs("</section>\n", f);

    if (h->nremoved) {
        fprintf(f, "<section class=\"page\" id=\"removed\">\n"
                "<h2>Removed from the input tree (%lu)</h2>\n"
                "<table class=\"runs\" id=\"removed-list\"><thead><tr>"
                "<th>input</th><th>output</th><th>output file</th></tr>"
                "</thead><tbody>\n", h->nremoved);
        bad |= copy_rows(h->removed, f);
        fputs("</tbody></table>\n</section>\n", f);
    } else {
        fputs("<section class=\"page\" id=\"removed\">\n<h2>Removed from "
              "the input tree (0)</h2>\n</section>\n", f);
    }
    fputs("<footer>Written by formtab-batch " FORMTAB_VERSION ".</footer>\n",
          f);
    ext_html_end(f);
    close_rows(h);
    if (bad) {
        int e = errno ? errno : EIO;
        ft_atomic_abort(&h->a);
        errno = e;
        return FT_IO;
    }
    return ft_atomic_commit(&h->a);
}

void batch_html_abort(batch_html *h)
{
    close_rows(h);
    ft_atomic_abort(&h->a);
}
