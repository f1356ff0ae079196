/* Fuzz the text-input decoder (common/ft_decode.h) with random chunking.
 *
 * Input layout: byte 0 picks the encoding (detect, or one named), bytes 1..4
 * give a cycle of chunk sizes, the rest is the text. Checks:
 *   - whatever was appended to the output is valid UTF-8, even on error;
 *   - with a named encoding, the result does not depend on the chunking:
 *     the same status, the same output and the same bad offset as decoding
 *     the text in one call (detection legitimately looks at the first chunk
 *     only, so for detection we compare against one-shot only when the first
 *     chunk is the whole text). */
#include <stdlib.h>
#include <string.h>

#include "ft_buf.h"
#include "ft_decode.h"
#include "fuzz_util.h"

/* Encodings a nightly run meets: detection, and the names users pass. */
static const char *const encodings[] = {
    NULL, "UTF-8", "GB18030", "GBK", "UTF-16LE", "UTF-16BE", "UTF-32LE",
    "BIG5", "SHIFT_JIS", "ISO-8859-1",
};
#define NENC (sizeof encodings / sizeof encodings[0])

/* Output cap: generous for a fuzz input of a few KiB (4 bytes of UTF-8 per
 * input byte at most), so FT_LIMIT never hides a real difference. */
#define OUT_MAX (1u << 24)

typedef struct {
    ft_err rc;
    unsigned long long bad_off;
} result;

static result decode(const char *enc, const uint8_t *text, size_t len,
                     const uint8_t *sizes, size_t nsizes, ft_buf *out)
{
    result res = { FT_OK, 0 };
    ft_decoder *d = NULL;
    res.rc = ft_decoder_new(enc, &d);
    if (res.rc)
        return res;
    size_t pos = 0, k = 0, prev = 1;
    for (;;) {
        size_t n = len - pos;
        if (nsizes) {
            /* Chunks of 0..63 bytes; an empty chunk is a legal call but
             * two in a row would never finish. */
            size_t want = sizes[k++ % nsizes] % 64u;
            if (want == 0 && prev == 0)
                want = 1;
            if (want < n)
                n = want;
            prev = n;
        }
        int final = pos + n == len;
        res.rc = ft_decoder_feed(d, (const char *)text + pos, n, final, out,
                                 &res.bad_off);
        FZ_CHECK(fz_utf8_ok(out->data ? out->data : "", out->len));
        pos += n;
        if (res.rc || final)
            break;
    }
    ft_decoder_free(d);
    return res;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_consumer c = { data, size };
    const char *enc = encodings[fz_pick(&c, NENC)];
    size_t nsizes;
    const uint8_t *sizes = fz_take(&c, 4, &nsizes);
    const uint8_t *text = c.p;
    size_t len = c.len;

    ft_buf whole, chunked;
    ft_buf_init(&whole, OUT_MAX);
    ft_buf_init(&chunked, OUT_MAX);
    result a = decode(enc, text, len, NULL, 0, &whole);
    result b = decode(enc, text, len, sizes, nsizes, &chunked);
    int comparable = enc != NULL || (nsizes && sizes[0] % 64u >= len);
    if (comparable) {
        FZ_CHECK(a.rc == b.rc);
        if (a.rc == FT_ENCODING)
            FZ_CHECK(a.bad_off == b.bad_off);
        if (a.rc == FT_OK) {
            FZ_CHECK(whole.len == chunked.len);
            FZ_CHECK(whole.len == 0 ||
                     memcmp(whole.data, chunked.data, whole.len) == 0);
        }
    }
    ft_buf_cleanup(&whole);
    ft_buf_cleanup(&chunked);
    return 0;
}
