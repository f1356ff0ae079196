/* Fuzz formtab-extract's text path (extract/ext_text.h) on arbitrary bytes,
 * with encoding detection or a named encoding (byte 0). Whatever it writes
 * must read back whole with the common layout reader; when it refuses the
 * input it writes nothing and says why. */
#include <stdlib.h>
#include <string.h>

#include "ext_text.h"
#include "fuzz_util.h"

static const char *const encodings[] = { NULL, "UTF-8", "GB18030",
                                         "UTF-16LE", "BIG5" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_consumer c = { data, size };
    const char *enc = encodings[fz_pick(&c, 5)];
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
    ft_diag_init(&d, "formtab-extract");
    d.out = fz_devnull();
    ext_pages pages = { NULL, 0 };
    char msg[512] = "";
    ft_err rc = ext_text_extract(in, "fuzz.txt", enc, &pages, out, &d, msg,
                                 sizeof msg);
    fclose(out);
    fclose(in);
    if (rc == FT_OK) {
        char why[512];
        if (!fz_layout_ok(buf, blen, why, sizeof why)) {
            fprintf(stderr, "text path wrote a bad layout stream: %s\n", why);
            FZ_CHECK(!"layout stream reads back");
        }
    } else if (rc != FT_NOMEM && rc != FT_IO) {
        FZ_CHECK(blen == 0);     /* errors are found before writing */
        FZ_CHECK(msg[0] != '\0');
    }
    free(buf);
    return 0;
}
