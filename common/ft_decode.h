/* The encoding edge for plain-text inputs: bytes in any encoding in, UTF-8
 * out, chunk by chunk, never splitting a character across chunks and never
 * passing an undecodable byte through as mojibake.
 *
 * Detection (when no encoding is named): a BOM decides (UTF-8, UTF-16LE/BE,
 * UTF-32LE/BE); else NUL bytes at even or odd offsets mean UTF-16BE/LE;
 * else valid UTF-8 in the first chunk means UTF-8; else GB18030 (a superset
 * of GBK and GB2312, the encodings of Chinese government text files).
 *
 * Ownership: ft_decoder_new() returns a decoder the caller frees with
 * ft_decoder_free(); ft_decoder_free(NULL) is a no-op. Output is appended to
 * a caller-owned ft_buf. */
#ifndef FT_DECODE_H
#define FT_DECODE_H

#include <stddef.h>
#include "ft_buf.h"
#include "ft_error.h"

typedef struct ft_decoder ft_decoder;

/* Create a decoder. from is an iconv encoding name ("GB18030", "UTF-16LE",
 * ...) or NULL to detect from the first chunk. FT_USAGE if iconv does not know
 * the name, FT_NOMEM. */
FT_WUR ft_err ft_decoder_new(const char *from, ft_decoder **out);

void ft_decoder_free(ft_decoder *d);

/* Decode len bytes (the next chunk of the input) and append the UTF-8 to out.
 * Bytes that end in the middle of a character are kept for the next call;
 * final = 1 marks the last chunk (then an incomplete tail is an error). A
 * leading BOM is dropped. On FT_ENCODING, *bad_off is the byte offset of the
 * bad sequence in the whole input. Other errors: FT_LIMIT (out's cap), FT_NOMEM. */
FT_WUR ft_err ft_decoder_feed(ft_decoder *d, const char *in, size_t len,
                              int final, ft_buf *out,
                              unsigned long long *bad_off);

/* The encoding in use: what was named or detected; NULL before the first
 * non-empty chunk when detecting. Owned by the decoder. */
const char *ft_decoder_encoding(const ft_decoder *d);

/* Detect the encoding of a first chunk (see above). Returns a static name and
 * the length of the BOM to skip in *bom_len. */
const char *ft_detect_encoding(const char *s, size_t len, size_t *bom_len);

#endif
