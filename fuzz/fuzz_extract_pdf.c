/* Fuzz formtab-extract's PDF path (extract/ext_pdf.h) on PDF bytes held in
 * memory, as it reads a PDF from stdin: Poppler opens them, every page goes
 * through the text layer, the ruling-line render and run building (OCR off:
 * too slow to fuzz; at most EXTRACT_FUZZ_PAGES pages). Seeded with
 * the PDFs under fixtures/ by scripts/fuzz. Poppler itself is not instrumented, so
 * coverage guides through formtab's own code; crashes anywhere are caught.
 * Whatever is written must read back whole with the common layout reader. */
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include "ext_opts.h"
#include "ext_pdf.h"
#include "fuzz_util.h"

/* Pages read per input: enough for page-to-page state, few enough to keep
 * thousands of executions a minute. */
#define EXTRACT_FUZZ_PAGES 3

/* Poppler's glib binding tears down its GlobalParams (font caches,
 * fontconfig state) when the last document is freed and builds them again
 * for the next: about a second per input under ASan. One document kept open
 * for the life of the fuzzer keeps them (formtab-extract reads one document
 * per process, so this only changes speed, not behaviour). */
static const char keepalive_pdf[] =
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
    "trailer<</Root 1 0 R>>\n%%EOF\n";

static void keep_poppler_alive(void)
{
    static PopplerDocument *doc;
    if (doc)
        return;
    GBytes *b = g_bytes_new_static(keepalive_pdf, sizeof keepalive_pdf - 1);
    doc = poppler_document_new_from_bytes(b, NULL, NULL);
    g_bytes_unref(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    keep_poppler_alive();
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
