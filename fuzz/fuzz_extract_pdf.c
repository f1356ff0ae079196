/* Fuzz formtab-extract's PDF path (extract/ext_pdf.h) on PDF bytes held in
 * memory, as it reads a PDF from stdin: Poppler opens them, every page goes
 * through the text layer, the ruling-line render and run building (OCR off:
 * too slow to fuzz; at most EXTRACT_FUZZ_PAGES pages). Seeded with
 * the PDFs under fixtures/ by scripts/fuzz. Poppler itself is not instrumented, so
 * coverage guides through formtab's own code; crashes anywhere are caught.
 * Whatever is written must read back whole with the common layout reader. */
#include <stdlib.h>
#include <string.h>

#include "ext_opts.h"
#include "ext_pdf.h"
#include "fuzz_util.h"

/* Pages read per input: enough for page-to-page state, few enough to keep
 * thousands of executions a minute. */
#define EXTRACT_FUZZ_PAGES 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ext_options o;
    ext_pdf_input in;
    char *buf = NULL;
    size_t blen = 0;
    char msg[512] = "";
    FILE *out = open_memstream(&buf, &blen);
    if (!out)
        return 0;
    ext_options_init(&o);
    o.ocr = EXT_OCR_NEVER;
    o.max_pages = EXTRACT_FUZZ_PAGES;
    memset(&in, 0, sizeof in);
    in.bytes = data;
    in.nbytes = size;
    in.name = "fuzz.pdf";
    strcpy(in.sha256, "0");
    ft_diag d;
    ft_diag_init(&d, "formtab-extract");
    d.out = fz_devnull();
    ft_err rc = ext_pdf_extract(&in, &o, out, &d, msg, sizeof msg);
    fclose(out);
    if (blen) {
        char why[512];
        if (!fz_layout_ok(buf, blen, why, sizeof why)) {
            fprintf(stderr, "PDF path (%s) wrote a bad layout stream: %s\n",
                    ft_strerror(rc), why);
            FZ_CHECK(!"layout stream reads back");
        }
    } else {
        FZ_CHECK(rc != FT_OK);
    }
    ext_options_cleanup(&o);
    free(buf);
    return 0;
}
