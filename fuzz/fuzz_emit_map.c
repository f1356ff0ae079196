/* Fuzz emit's mapping-file parser (emit/emit_map.h, docs/records.md) on
 * arbitrary text: it either builds a map or says why with FT_CONFIG /
 * FT_PATTERN and a message naming the line; never a crash, leak or hang
 * (PCRE2 compiles with limits, rules are capped). */
#include <string.h>

#include "emit_map.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emit_map *map = NULL;
    char msg[512] = "";
    ft_err rc = emit_map_parse((const char *)data, size, "fuzz.map", &map,
                               msg, sizeof msg);
    if (rc) {
        FZ_CHECK(map == NULL);
        FZ_CHECK(rc == FT_CONFIG || rc == FT_PATTERN || rc == FT_NOMEM ||
                 rc == FT_LIMIT);
        FZ_CHECK(rc == FT_NOMEM || strncmp(msg, "fuzz.map", 8) == 0);
    } else {
        FZ_CHECK(map != NULL);
    }
    emit_map_free(map);
    return 0;
}
