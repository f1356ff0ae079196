/* UTF-8 helpers: validation, decoding and encoding of one code point, finding
 * a character boundary so a chunk is never cut inside a character, and the
 * explicit full-width to ASCII map formtab uses instead of blanket NFKC.
 *
 * Ownership: functions that take an ft_buf append to it; nothing here
 * allocates memory the caller must free by other means. */
#ifndef FT_UTF8_H
#define FT_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include "ft_buf.h"
#include "ft_error.h"

/* Check that s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, no
 * code point above U+10FFFF). Returns 1 if valid; else 0 and, if bad_off is
 * not NULL, the byte offset of the first bad sequence. */
int ft_utf8_valid(const char *s, size_t len, size_t *bad_off);

/* Decode the code point at s (at most len bytes). Returns the number of bytes
 * it takes (1-4) and stores it in *cp; returns 0 for an invalid or incomplete
 * sequence (then *cp is U+FFFD). */
size_t ft_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encode cp into out (4 bytes room). Returns bytes written (0 if cp is not a
 * Unicode scalar value). */
size_t ft_utf8_encode(uint32_t cp, char out[4]);

/* The length of the longest prefix of s[0..len) that does not end inside a
 * multibyte sequence: cutting there never splits a character. */
size_t ft_utf8_boundary(const char *s, size_t len);

/* Number of code points in valid UTF-8 s[0..len). */
size_t ft_utf8_nchars(const char *s, size_t len);

/* The ASCII character a full-width form stands for: U+FF01..U+FF5E map to
 * U+0021..U+007E and U+3000 (ideographic space) to U+0020. Returns 0 if cp is
 * not in the map. CJK punctuation (、。《》「」 ...) is deliberately absent. */
uint32_t ft_fullwidth_to_ascii(uint32_t cp);

/* 1 if cp is a CJK ideograph, kana, hangul or CJK/full-width punctuation, the
 * characters between which line breaks join without a space. */
int ft_is_cjk(uint32_t cp);

/* 1 for Unicode white space formtab folds (ASCII space/tab/CR/LF/VT/FF,
 * U+00A0, U+2000..U+200B, U+3000, U+FEFF). */
int ft_is_space(uint32_t cp);

/* Append s[0..len) to out with runs of white space folded to one ASCII space
 * and leading/trailing white space removed. s must be valid UTF-8. */
FT_WUR ft_err ft_utf8_fold_space(ft_buf *out, const char *s, size_t len);

#endif
