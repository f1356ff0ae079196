/* The shipped default rules, compiled in so formtab-normalize needs no data
 * file at run time. normalize/rules.default is the same text as a file; a unit
 * test (tests/normalize_rules) fails when the two differ.
 *
 * Ownership: static storage, never freed. */
#ifndef NORM_RULES_DEFAULT_H
#define NORM_RULES_DEFAULT_H

/* The text of normalize/rules.default, NUL-terminated. */
extern const char norm_rules_default_text[];

#endif
