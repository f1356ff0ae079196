/* Text normalisation rules (docs/rules.md): PCRE2 patterns and their
 * replacements, loaded from a rules file (the shipped default or --rules
 * FILE), compiled once with the JIT, matched with limits so that no pattern
 * can take unbounded time. Applied to every cell's text and note.
 *
 * Ownership: norm_rules_load() returns a rule set the caller frees with
 * norm_rules_free() (NULL is a no-op). norm_rules_apply() appends to a
 * caller-owned ft_buf. */
#ifndef NORM_RULES_H
#define NORM_RULES_H

#include <stddef.h>
#include "ft_buf.h"
#include "ft_error.h"

typedef struct norm_rules norm_rules;

/* Load rules. path NULL: only the built-in default rules. With a path and
 * replace = 0 the file's rules are added after the defaults; replace = 1
 * uses the file's rules alone. On a bad file: FT_CONFIG or FT_PATTERN and a
 * one-line message in msg naming the file, line, and (for a pattern) PCRE2's
 * message and offset. */
FT_WUR ft_err norm_rules_load(const char *path, int replace, norm_rules **out,
                              char *msg, size_t msg_len);
void norm_rules_free(norm_rules *rules);

/* Normalise one cell's text s[0..len) (valid UTF-8) and append the result to
 * out. *changed is set to 1 if any rule changed the text (the caller sets
 * FT_CELL_REPAIRED), else 0. FT_LIMIT if a match limit was hit (the text is
 * then appended unchanged and the caller warns), FT_NOMEM. */
FT_WUR ft_err norm_rules_apply(const norm_rules *rules, const char *s,
                               size_t len, ft_buf *out, int *changed);

/* 1 if the text is page furniture by pattern (`第 1 页 共 3 页`, `- 2 -`,
 * `1/3`, `Page 2 of 9`), 0 otherwise. */
int norm_rules_is_furniture(const norm_rules *rules, const char *s, size_t len);

/* 1 if a text line is a table-rule artefact of a markdown converter
 * (`------\t---`, `|---|---|`) and should be dropped. */
int norm_rules_is_artifact_line(const norm_rules *rules, const char *s,
                                size_t len);

#endif
