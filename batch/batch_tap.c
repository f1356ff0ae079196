/* Stream taps and output record counters (see batch_tap.h). */
#include "batch_tap.h"

#include <string.h>

void batch_tap_init(batch_tap *t)
{
    memset(t, 0, sizeof *t);
}

static int starts(const char *p, size_t len, const char *word)
{
    size_t n = strlen(word);
    return len >= n && !memcmp(p, word, n);
}

/* Parse an unsigned decimal at p[*i..len), advancing *i. */
static unsigned long number(const char *p, size_t len, size_t *i)
{
    unsigned long v = 0;
    while (*i < len && p[*i] >= '0' && p[*i] <= '9')
        v = v * 10 + (unsigned long)(p[(*i)++] - '0');
    return v;
}

/* A line start is complete (or the prefix is full): classify it. */
static void line_start(batch_tap *t)
{
    const char *p = t->prefix;
    size_t n = t->plen;
    if (starts(p, n, "page\t")) {
        t->pages++;
    } else if (starts(p, n, "endpage\t")) {
        /* endpage <TAB> number <TAB> status; status "ok" or "failed:..." */
        size_t i = 8;
        (void)number(p, n, &i);
        if (i < n && p[i] == '\t' && starts(p + i + 1, n - i - 1, "failed"))
            t->failed_pages++;
    } else if (starts(p, n, "table\t")) {
        t->tables++;
    } else if (starts(p, n, "warn\t")) {
        t->warns++;
    } else if (starts(p, n, "end\t")) {
        size_t i = 4;
        t->have_end = 1;
        t->end_a = number(p, n, &i);
        t->end_b = 0;
        if (i < n && p[i] == '\t') {
            i++;
            t->end_b = number(p, n, &i);
        }
    }
}

void batch_tap_feed(batch_tap *t, const char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (t->in_line) {
            const char *nl = memchr(p + i, '\n', len - i);
            if (!nl)
                return;
            i = (size_t)(nl - p) + 1;
            t->in_line = 0;
            t->plen = 0;
            continue;
        }
        /* Collecting a line start. */
        while (i < len && p[i] != '\n' && t->plen < BATCH_TAP_PREFIX)
            t->prefix[t->plen++] = p[i++];
        if (i < len && p[i] == '\n') {
            line_start(t);
            t->plen = 0;
            i++;
        } else if (t->plen == BATCH_TAP_PREFIX) {
            line_start(t);
            t->in_line = 1;
        }
    }
}

void batch_tap_finish(batch_tap *t)
{
    if (!t->in_line && t->plen)
        line_start(t);
    t->plen = 0;
    t->in_line = 0;
}

void batch_counter_init(batch_counter *c, batch_format fmt, int skip_header)
{
    memset(c, 0, sizeof *c);
    c->fmt = fmt;
    c->skip_header = fmt == BATCH_FMT_CSV && skip_header;
}

void batch_counter_feed(batch_counter *c, const char *p, size_t len)
{
    switch (c->fmt) {
    case BATCH_FMT_CSV:
        /* RFC 4180: a record ends at a line break outside double quotes;
         * "" inside quotes toggles twice, which leaves the state right. */
        for (size_t i = 0; i < len; i++) {
            char ch = p[i];
            if (ch == '"') {
                c->in_quotes = !c->in_quotes;
                c->line_has_data = 1;
            } else if (ch == '\n' && !c->in_quotes) {
                if (c->line_has_data)
                    c->records++;
                c->line_has_data = 0;
            } else if (ch != '\r') {
                c->line_has_data = 1;
            }
        }
        break;
    case BATCH_FMT_JSONL:
        for (size_t i = 0; i < len; i++) {
            char ch = p[i];
            if (ch == '\n') {
                if (c->line_has_data)
                    c->records++;
                c->line_has_data = 0;
            } else if (ch != ' ' && ch != '\t' && ch != '\r') {
                c->line_has_data = 1;
            }
        }
        break;
    case BATCH_FMT_JSON:
        /* One array of records: count the values that open at depth 1. */
        for (size_t i = 0; i < len; i++) {
            char ch = p[i];
            if (c->in_string) {
                if (c->escape)
                    c->escape = 0;
                else if (ch == '\\')
                    c->escape = 1;
                else if (ch == '"')
                    c->in_string = 0;
                continue;
            }
            if (ch == '"') {
                c->in_string = 1;
            } else if (ch == '{' || ch == '[') {
                if (ch == '{' && c->depth == 1)
                    c->records++;
                c->depth++;
            } else if (ch == '}' || ch == ']') {
                if (c->depth > 0)
                    c->depth--;
            }
        }
        break;
    }
}

unsigned long batch_counter_finish(batch_counter *c)
{
    if (c->fmt != BATCH_FMT_JSON && c->line_has_data) {
        c->records++;
        c->line_has_data = 0;
    }
    unsigned long n = c->records;
    if (c->skip_header && n > 0)
        n--;
    return n;
}
