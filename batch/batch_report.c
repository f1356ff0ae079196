/* The streamed JSON run report. */
#include "batch_report.h"

#include <string.h>

#include "ft_utf8.h"

void batch_json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    size_t len = strlen(s);
    putc('"', f);
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            putc('\\', f);
            putc(ch, f);
            i++;
        } else if (ch < 0x20) {
            fprintf(f, "\\u%04x", ch);
            i++;
        } else if (ch < 0x80) {
            putc(ch, f);
            i++;
        } else {
            uint32_t cp;
            size_t n = ft_utf8_decode(s + i, len - i, &cp);
            if (n == 0) {
                fputs("\xef\xbf\xbd", f); /* U+FFFD */
                i++;
            } else {
                fwrite(s + i, 1, n, f);
                i += n;
            }
        }
    }
    putc('"', f);
}

/* A number of seconds with millisecond resolution ('.' always: formtab
 * never calls setlocale). */
static void put_seconds(FILE *f, double s)
{
    fprintf(f, "%.3f", s < 0 ? 0 : s);
}

static void key(FILE *f, const char *k)
{
    batch_json_string(f, k);
    putc(':', f);
}

static void kv_str(FILE *f, const char *k, const char *v)
{
    putc(',', f);
    key(f, k);
    batch_json_string(f, v);
}

static void kv_ulong(FILE *f, const char *k, unsigned long v)
{
    fprintf(f, ",\"%s\":%lu", k, v);
}

ft_err batch_report_open(batch_report *r, const char *path,
                         const batch_report_head *h)
{
    ft_err rc;
    memset(r, 0, sizeof *r);
    rc = ft_atomic_open(&r->a, path);
    if (rc)
        return rc;
    FILE *f = r->a.f;
    const batch_opts *o = h->opts;
    fputs("{\"report\":\"formtab-batch\",\"version\":1", f);
    kv_str(f, "started", h->started);
    kv_str(f, "in_dir", h->in_dir);
    kv_str(f, "out_dir", h->out_dir);
    fputs(",\"options\":{", f);
    key(f, "format");
    batch_json_string(f, batch_format_name(o->format));
    kv_str(f, "records", batch_records_name(o->records));
    fprintf(f, ",\"jobs\":%u,\"timeout\":", h->jobs);
    put_seconds(f, o->timeout);
    fprintf(f, ",\"shard\":\"%u/%u\"", o->shard_k, o->shard_n);
    fprintf(f, ",\"prune\":%s,\"retry_failed\":%s,\"force\":%s",
            o->prune ? "true" : "false", o->retry_failed ? "true" : "false",
            o->force ? "true" : "false");
    kv_str(f, "load", o->load);
    fprintf(f, ",\"review\":%s", o->review ? "true" : "false");
    fputs("},\"removed\":[", f);
    r->section = 1;
    return FT_OK;
}

void batch_report_removed(batch_report *r, const char *path,
                          const char *output, int pruned)
{
    FILE *f = r->a.f;
    if (r->section != 1)
        return;
    fputs(r->nitems++ ? ",\n{" : "\n{", f);
    key(f, "path");
    batch_json_string(f, path);
    kv_str(f, "output", output);
    fprintf(f, ",\"pruned\":%s}", pruned ? "true" : "false");
}

static void to_files(batch_report *r)
{
    if (r->section == 1) {
        fputs("],\"files\":[", r->a.f);
        r->section = 2;
        r->nitems = 0;
    }
}

void batch_report_file_entry(batch_report *r, const batch_report_file *e)
{
    FILE *f = r->a.f;
    to_files(r);
    fputs(r->nitems++ ? ",\n{" : "\n{", f);
    key(f, "path");
    batch_json_string(f, e->path);
    kv_str(f, "sha256", e->sha256);
    kv_str(f, "kind", e->kind);
    kv_str(f, "action", e->action);
    kv_str(f, "status", e->status);
    kv_ulong(f, "pages", e->pages);
    kv_ulong(f, "failed_pages", e->failed_pages);
    kv_ulong(f, "tables", e->tables);
    kv_ulong(f, "records", e->records);
    kv_ulong(f, "warnings", e->warnings);
    fputs(",\"seconds\":", f);
    put_seconds(f, e->seconds);
    fputs(",\"cpu_seconds\":", f);
    put_seconds(f, e->cpu_seconds);
    fprintf(f, ",\"max_rss_kb\":%ld", e->max_rss_kb);
    if (e->exit_code >= 0)
        fprintf(f, ",\"exit_code\":%d", e->exit_code);
    else
        fputs(",\"exit_code\":null", f);
    kv_str(f, "error", e->error);
    kv_str(f, "output", e->output);
    kv_str(f, "load", e->load);
    kv_str(f, "load_error", e->load_error);
    kv_str(f, "review", e->review);
    kv_str(f, "review_error", e->review_error);
    putc('}', f);
}

ft_err batch_report_close(batch_report *r, const char *finished,
                          const batch_counts *c, int exit_code,
                          const char *status)
{
    FILE *f = r->a.f;
    to_files(r);
    fputs("\n]", f);
    kv_str(f, "finished", finished);
    fputs(",\"summary\":{", f);
    fprintf(f, "\"inputs\":%lu", c->inputs);
    kv_ulong(f, "other_shard", c->other_shard);
    kv_ulong(f, "ignored", c->ignored);
    kv_ulong(f, "hidden", c->hidden);
    kv_ulong(f, "unchanged", c->unchanged);
    kv_ulong(f, "known_failed", c->known_failed);
    kv_ulong(f, "processed", c->processed);
    kv_ulong(f, "ok", c->ok);
    kv_ulong(f, "partial", c->partial);
    kv_ulong(f, "failed", c->failed);
    kv_ulong(f, "timeout", c->timeout);
    kv_ulong(f, "interrupted", c->interrupted);
    kv_ulong(f, "unreadable", c->unreadable);
    kv_ulong(f, "loaded", c->loaded);
    kv_ulong(f, "load_failed", c->load_failed);
    kv_ulong(f, "removed", c->removed);
    kv_ulong(f, "pruned", c->pruned);
    kv_ulong(f, "pages", c->pages);
    kv_ulong(f, "tables", c->tables);
    kv_ulong(f, "records", c->records);
    kv_ulong(f, "warnings", c->warnings);
    fprintf(f, ",\"max_rss_kb\":%ld,\"seconds\":", c->max_rss_kb);
    put_seconds(f, c->seconds);
    fputs(",\"convert_seconds\":", f);
    put_seconds(f, c->convert_seconds);
    fprintf(f, "},\"exit_code\":%d", exit_code);
    kv_str(f, "status", status);
    fputs("}\n", f);
    return ft_atomic_commit(&r->a);
}

void batch_report_abort(batch_report *r)
{
    ft_atomic_abort(&r->a);
}
