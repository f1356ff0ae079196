/* Fuzz formtab-emit as a whole (emit/emit.h emit_run) on table streams, in
 * every record mode and format. Byte 0 picks the mode and format, the rest
 * is the stream. Checks on the output: valid UTF-8 always (cells are UTF-8,
 * emit must never cut a character); after FT_OK a JSON document parses, each
 * JSON Lines line parses, and CSV quotes balance. */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "fuzz_util.h"

/* Quotes balance and each quoted field closes before a separator or line
 * end: the file splits into records the RFC 4180 way. */
static int csv_balanced(const char *s, size_t n)
{
    int in_q = 0, at_start = 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_q) {
            if (c == '"') {
                if (i + 1 < n && s[i + 1] == '"') {
                    i++;
                    continue;
                }
                in_q = 0;
                if (i + 1 < n && s[i + 1] != ',' && s[i + 1] != '\n' &&
                    s[i + 1] != '\r')
                    return 0;
            }
            continue;
        }
        if (c == '"') {
            if (!at_start)
                return 0;
            in_q = 1;
        }
        at_start = c == ',' || c == '\n';
    }
    return !in_q;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_consumer c = { data, size };
    unsigned pick = fz_pick(&c, 9);
    emit_options o;
    emit_options_init(&o);
    o.fmt = (emit_format)(pick % 3);
    o.mode = (emit_mode)(pick / 3);
    FILE *in = fz_memfile(c.p, c.len);
    char *buf = NULL;
    size_t blen = 0;
    FILE *out = open_memstream(&buf, &blen);
    if (!in || !out) {
        if (in)
            fclose(in);
        if (out)
            fclose(out);
        free(buf);
        return 0;
    }
    ft_diag d;
    ft_diag_init(&d, "formtab-emit");
    d.out = fz_devnull();
    char msg[512];
    ft_err rc = emit_run(&o, in, "fuzz", out, &d, msg, sizeof msg);
    fclose(out);
    fclose(in);
    FZ_CHECK(fz_utf8_ok(buf, blen));
    if (rc == FT_OK) {
        if (o.fmt == EMIT_JSON) {
            FZ_CHECK(fz_json_valid(buf, blen));
        } else if (o.fmt == EMIT_JSONL) {
            const char *p = buf, *end = buf + blen;
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                FZ_CHECK(nl != NULL); /* every line ends */
                FZ_CHECK(fz_json_valid(p, (size_t)(nl - p)));
                p = nl + 1;
            }
        } else {
            FZ_CHECK(csv_balanced(buf, blen));
        }
    }
    free(buf);
    return 0;
}
