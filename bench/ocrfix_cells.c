/* ocrfix-cells: apply normalize's post-OCR repairs (norm_ocrfix_cell) to cell
 * texts, one per line on stdin as "RELOPS<TAB>CONF<TAB>TEXT" (RELOPS 0/1: the
 * table's targets use ≥/≤; TEXT with \\, \t, \n escaped as in the streams),
 * writing the repaired text, escaped the same way, one per line. Numeric
 * context is decided by norm_ocrfix_looks_numeric(), as the driver may. A
 * harness for bench/ocr-bench, to score the pipeline after the repairs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "norm_ocrfix.h"

#define MAX_LINE (1024 * 1024)

static void put_escaped(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '\\': fputs("\\\\", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        default: putchar(s[i]);
        }
    }
    putchar('\n');
}

static size_t unescape(char *s)
{
    size_t o = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1]) {
            i++;
            s[o++] = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i];
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = '\0';
    return o;
}

int main(void)
{
    char *line = malloc(MAX_LINE);
    ft_buf out;
    int status = 0;

    if (!line)
        return 4;
    ft_buf_init(&out, MAX_LINE);
    while (fgets(line, MAX_LINE, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2) {
            fprintf(stderr, "ocrfix-cells: malformed line\n");
            status = 1;
            break;
        }
        *t1 = *t2 = '\0';
        char *text = t2 + 1;
        size_t len = unescape(text);
        norm_ocrfix_ctx ctx = { norm_ocrfix_looks_numeric(text, len),
                                atoi(line) };
        unsigned fixes = 0;
        ft_buf_reset(&out);
        if (norm_ocrfix_cell(text, len, atof(t1 + 1), &ctx, &out, &fixes)) {
            put_escaped(text, len);
            continue;
        }
        put_escaped(out.data ? out.data : "", out.len);
    }
    ft_buf_cleanup(&out);
    free(line);
    return status;
}
