/* The shipped default rules, compiled in so formtab-normalize needs no data
 * file at run time. normalize/rules.default is the same text as a file; the
 * unit suite tests/normalize_rules fails when the two differ, and
 * tests/normalize_rules/gen-rules-default.py rewrites norm_rules_default.c
 * from the file. Kept as an array of lines because ISO C compilers need not
 * accept a string literal longer than 4095 bytes.
 *
 * Ownership: static storage, never freed. */
#ifndef NORM_RULES_DEFAULT_H
#define NORM_RULES_DEFAULT_H

#include <stddef.h>

/* The lines of normalize/rules.default, without their line feeds. */
extern const char *const norm_rules_default_lines[];
extern const size_t norm_rules_default_nlines;

#endif
