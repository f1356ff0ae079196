/* Fuzz normalize's rules (normalize/norm_rules.h): a rules file from the
 * fuzz input is loaded (norm_rules_load on a temporary file, --rules alone)
 * and, if it loads, applied to the text after the first 0xFF byte. Without
 * that byte the default rules are applied to the whole input instead.
 * Checks: a bad file is refused with FT_CONFIG/FT_PATTERN and a message;
 * applying gives valid UTF-8; "unchanged" means byte-identical. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_buf.h"
#include "fuzz_util.h"
#include "norm_rules.h"

static norm_rules *defaults;

static void apply_check(const norm_rules *r, const char *s, size_t len)
{
    ft_buf out;
    int changed = 0;
    if (!fz_utf8_ok(s, len))
        return; /* the caller's contract: cells are valid UTF-8 */
    ft_buf_init(&out, 1u << 24);
    ft_err rc = norm_rules_apply(r, s, len, &out, &changed);
    FZ_CHECK(rc == FT_OK || rc == FT_LIMIT || rc == FT_NOMEM);
    FZ_CHECK(fz_utf8_ok(out.data ? out.data : "", out.len));
    if (rc == FT_OK && !changed)
        FZ_CHECK(out.len == len && (len == 0 || !memcmp(out.data, s, len)));
    if (rc == FT_LIMIT)
        FZ_CHECK(out.len == len && (len == 0 || !memcmp(out.data, s, len)));
    (void)norm_rules_is_furniture(r, s, len);
    (void)norm_rules_is_artifact_line(r, s, len);
    ft_buf_cleanup(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    char msg[512];
    if (!defaults && norm_rules_load(NULL, 0, &defaults, msg, sizeof msg))
        fz_fail(__FILE__, __LINE__, msg);
    const uint8_t *sep = memchr(data, 0xFF, size);
    if (!sep) {
        apply_check(defaults, (const char *)data, size);
        return 0;
    }
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/fuzz-rules-%ld", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, (size_t)(sep - data), f);
    fclose(f);
    norm_rules *r = NULL;
    ft_err rc = norm_rules_load(path, 1, &r, msg, sizeof msg);
    if (rc) {
        FZ_CHECK(r == NULL);
        FZ_CHECK(rc == FT_CONFIG || rc == FT_PATTERN || rc == FT_LIMIT ||
                 rc == FT_NOMEM);
        FZ_CHECK(rc == FT_NOMEM || msg[0] != '\0');
        return 0;
    }
    apply_check(r, (const char *)sep + 1, size - (size_t)(sep - data) - 1);
    norm_rules_free(r);
    return 0;
}
