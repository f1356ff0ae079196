/* Fuzz the table stream reader (common/ft_table.h) item by item, as
 * formtab-emit reads its stdin. Checks that a table handed out satisfies
 * the stream's contract: cells inside the grid, every slot covered exactly
 * once (the slot map builds), texts valid UTF-8 and NUL-terminated. */
#include <stdlib.h>
#include <string.h>

#include "ft_table.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fz_memfile(data, size);
    if (!f)
        return 0;
    ft_tables_reader r;
    ft_table t;
    ft_tables_item item;
    ft_table_init(&t);
    ft_err rc = ft_tables_reader_init(&r, f, "fuzz");
    if (rc) {
        FZ_CHECK(r.rr.msg[0] != '\0' || rc == FT_NOMEM);
        goto out;
    }
    while ((rc = ft_tables_read_next(&r, &item, &t)) == FT_OK) {
        if (item.kind != FT_ITEM_TABLE) {
            FZ_CHECK(item.text != NULL);
            FZ_CHECK(fz_utf8_ok(item.text, item.len));
            continue;
        }
        FZ_CHECK(t.nrows >= 1 && t.ncols >= 1);
        size_t covered = 0;
        for (size_t i = 0; i < t.ncells; i++) {
            const ft_cell *cl = &t.cells[i];
            FZ_CHECK(cl->row >= 1 && cl->col >= 1);
            FZ_CHECK(cl->rowspan >= 1 && cl->colspan >= 1);
            FZ_CHECK(cl->row - 1 + cl->rowspan <= t.nrows);
            FZ_CHECK(cl->col - 1 + cl->colspan <= t.ncols);
            FZ_CHECK(cl->text[cl->len] == '\0');
            FZ_CHECK(fz_utf8_ok(cl->text, cl->len));
            covered += (size_t)cl->rowspan * cl->colspan;
        }
        FZ_CHECK(covered == (size_t)t.nrows * t.ncols);
        size_t *map = NULL;
        char msg[128];
        FZ_CHECK(ft_table_slot_map(&t, &map, msg, sizeof msg) == FT_OK);
        free(map);
    }
    if (rc == FT_EOF)
        FZ_CHECK(r.ended);
    else
        FZ_CHECK(r.rr.msg[0] != '\0' || rc == FT_NOMEM);
out:
    ft_tables_reader_cleanup(&r);
    ft_table_cleanup(&t);
    fclose(f);
    return 0;
}
