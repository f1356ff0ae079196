/* Fuzz formtab-normalize as a whole (normalize/norm_doc.h) on layout
 * streams, with the default rules. The contract between stages: whatever
 * normalize writes, even after a bad input line, reads back with the common
 * table-stream reader as a whole stream (header, tables whose cells cover
 * their grids, `end`). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "norm_doc.h"
#include "norm_rules.h"

static norm_rules *rules;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[512];
    if (!rules && norm_rules_load(NULL, 0, &rules, msg, sizeof msg))
        fz_fail(__FILE__, __LINE__, msg);
    FILE *in = fz_memfile(data, size);
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
    ft_diag_init(&d, "formtab-normalize");
    d.out = fz_devnull();
    norm_doc_options opts = { 0 };
    ft_err rc = norm_doc_run(in, "fuzz", out, rules, &opts, &d);
    fclose(out);
    fclose(in);
    if (blen && rc != FT_NOMEM && rc != FT_IO) {
        if (!fz_tables_ok(buf, blen, msg, sizeof msg)) {
            fprintf(stderr, "normalize (%s) wrote a bad table stream: %s\n",
                    ft_strerror(rc), msg);
            FZ_CHECK(!"table stream reads back");
        }
    }
    free(buf);
    return 0;
}
