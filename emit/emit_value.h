/* Typed values of form records: amounts, percentages, counts, dates and
 * indicator targets read from the text of a cell, as pure functions. The
 * original text always stays beside the typed value in the records; a text
 * these rules do not cover exactly is reported as unparsed (the record keeps
 * the text and a null), never guessed.
 *
 * Numbers come out as exact decimal literals built from the digits of the
 * text ("37,780,000.00" -> "37780000.00", "233, 875. 26" -> "233875.26"):
 * no binary floating point anywhere, so nothing is rounded.
 *
 * Before parsing, a text is compacted: full-width ASCII forms become ASCII
 * (ft_fullwidth_to_ascii), all white space is removed (the seeds print
 * "> 95%", ">=8 次", "1 万人次"), and the LaTeX some converters leave behind
 * (seed 003: "$\geq 90.00\%$") is read as the symbols it stands for.
 *
 * Ownership: results are written into caller-owned fixed-size structs and
 * buffers; nothing is allocated. */
#ifndef EMIT_VALUE_H
#define EMIT_VALUE_H

#include <stddef.h>

/* Longest number (digits, sign and point) and unit kept; longer is unparsed.
 * The largest amount in the seeds has 11 characters; a unit is a word or two
 * ("万人次", "元/人", "次(篇)"). */
#define EMIT_MAX_NUMBER_LEN 40u
#define EMIT_MAX_UNIT_LEN 40u
/* A unit longer than this many characters is prose, not a unit: "采购率大于
 * 80%即达标" has text after the number that is a sentence. The longest real
 * unit in the seeds is 4 characters ("万平方", "次(篇)"). */
#define EMIT_MAX_UNIT_NCHARS 4u

/* A number with its unit and, for targets, a comparison. */
typedef struct {
    const char *op;                  /* ">=", "<=", ">", "<", "=", or NULL */
    char number[EMIT_MAX_NUMBER_LEN + 1]; /* exact decimal literal */
    char unit[EMIT_MAX_UNIT_LEN + 1];     /* as printed, "" for none; a unit
                                             wholly in brackets loses them:
                                             "(%)" -> "%", "(万元)" -> "万元" */
} emit_quantity;

/* Compact s[0..len) into out (cap bytes, NUL-terminated) as described above.
 * Returns the length, or (size_t)-1 if it does not fit or s is not UTF-8. */
size_t emit_compact(const char *s, size_t len, char *out, size_t cap);

/* Parse a number with an optional unit and no comparison: "37,780,000.00",
 * "233, 875. 26", "1260万元", "150 元/人", "94.57%", "-12.5". A calculation
 * "800×50=40000" gives the result after the last '=' (the budget tables of
 * seed 003 print how they got an amount). Returns 1 and fills q (op NULL), or
 * 0: no number, text around it, bad digit grouping ("1,00"), too long. */
int emit_parse_quantity(const char *s, size_t len, emit_quantity *q);

/* Parse an indicator target: an optional comparison, a number, an optional
 * unit, e.g. "≥90.00(%)", "> 95%", "=100%", "≤25.00(万元)", ">=8 次",
 * "不少于10个", "低于10%", "大于6次", "≧6%", "5次(篇)以上". Comparisons are
 * written as ">=", "<=", ">", "<", "=": ≥ ≧ >= 不少于 不低于 不小于 大于等于
 * and a trailing 以上 are ">="; ≤ ≦ <= 不超过 不高于 不大于 不多于 小于等于
 * and a trailing 以下/以内 are "<="; 大于 高于 超过 多于 are ">"; 小于 低于
 * 少于 are "<"; = 等于 are "=". A bare number ("100%", "10 次") has op NULL.
 * Words alone ("合理", "提升") and sentences are unparsed: returns 0. */
int emit_parse_target(const char *s, size_t len, emit_quantity *q);

/* Parse a date: "2024-01-01", "2024/1/1", "2024.1.1", "2020年1月1日" give
 * "YYYY-MM-DD"; "2024年1月", "2024-01" give "YYYY-MM" (the printed
 * precision is kept, not padded to a day). Checks month and day ranges
 * (leap years included). Returns 1 and writes iso (11 bytes), or 0. */
int emit_parse_date(const char *s, size_t len, char iso[11]);

/* The currency unit a label states in brackets: "项目资金 (万元)",
 * "项目总预算（元）：", "单次审核费用（元）" give "万元" / "元". Recognised:
 * 元, 万元, 亿元, 千元. Returns 1 and writes unit (16 bytes), or 0. */
int emit_label_unit(const char *s, size_t len, char unit[16]);

/* 1 if a unit is a currency (元, 万元, 亿元, 千元). */
int emit_unit_is_currency(const char *unit);

#endif
