/* SHA-256 (FIPS 180-4), for the provenance hash of every input file.
 * Ownership: the context is caller-owned storage; nothing is allocated. */
#ifndef FT_SHA256_H
#define FT_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "ft_error.h"

typedef struct {
    uint32_t h[8];
    uint64_t nbytes;
    unsigned char block[64];
    size_t fill;
} ft_sha256;

void ft_sha256_init(ft_sha256 *c);
void ft_sha256_update(ft_sha256 *c, const void *p, size_t len);
/* Finish and write the digest as 64 lower-case hex digits plus NUL. */
void ft_sha256_hex(ft_sha256 *c, char hex[65]);

/* Hash a whole file by path. FT_NOENT, FT_ISDIR or FT_IO on failure. */
FT_WUR ft_err ft_sha256_file(const char *path, char hex[65]);

#endif
