/* Text normalisation rules: a placeholder that copies text through until the
 * PCRE2 rule engine lands (docs/rules.md). */
#include <stdlib.h>
#include "norm_rules.h"

struct norm_rules {
    int unused;
};

ft_err norm_rules_load(const char *path, int replace, norm_rules **out,
                       char *msg, size_t msg_len)
{
    (void)path;
    (void)replace;
    if (msg_len)
        msg[0] = '\0';
    *out = calloc(1, sizeof **out);
    return *out ? FT_OK : FT_NOMEM;
}

void norm_rules_free(norm_rules *rules)
{
    free(rules);
}

ft_err norm_rules_apply(const norm_rules *rules, const char *s, size_t len,
                        ft_buf *out, int *changed)
{
    (void)rules;
    *changed = 0;
    return ft_buf_append(out, s, len);
}

int norm_rules_is_furniture(const norm_rules *rules, const char *s, size_t len)
{
    (void)rules;
    (void)s;
    (void)len;
    return 0;
}

int norm_rules_is_artifact_line(const norm_rules *rules, const char *s,
                                size_t len)
{
    (void)rules;
    (void)s;
    (void)len;
    return 0;
}
