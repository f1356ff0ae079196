/* Fuzz the layout stream reader (common/ft_layout.h): the header, then the
 * page loop until the reader stops, as formtab-normalize reads its stdin.
 * Checks the contracts a consumer relies on: every string handed out is
 * valid UTF-8 and NUL-terminated at its length, counts stay under the caps
 * of ft_limits.h, and a failing read leaves a message naming the line. */
#include <string.h>

#include "ft_layout.h"
#include "ft_limits.h"
#include "fuzz_util.h"

static void check_str(const char *s, size_t len)
{
    FZ_CHECK(s != NULL);
    FZ_CHECK(s[len] == '\0');
    FZ_CHECK(fz_utf8_ok(s, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fz_memfile(data, size);
    if (!f)
        return 0;
    ft_layout_reader r;
    ft_page page;
    ft_page_init(&page);
    ft_err rc = ft_layout_reader_init(&r, f, "fuzz");
    if (rc) {
        FZ_CHECK(r.rr.msg[0] != '\0' || rc == FT_NOMEM);
        goto out;
    }
    check_str(r.doc.source, strlen(r.doc.source));
    FZ_CHECK(!strcmp(r.doc.kind, "pdf") || !strcmp(r.doc.kind, "text"));
    while ((rc = ft_layout_read_page(&r, &page)) == FT_OK) {
        FZ_CHECK(page.nruns <= FT_MAX_RUNS_PER_PAGE);
        FZ_CHECK(page.nrules <= FT_MAX_RULES_PER_PAGE);
        FZ_CHECK(page.nlines <= FT_MAX_TEXT_LINES_PER_PAGE);
        for (size_t i = 0; i < page.nruns; i++)
            check_str(page.runs[i].text, page.runs[i].len);
        for (size_t i = 0; i < page.nlines; i++)
            check_str(page.lines[i].text, page.lines[i].len);
        for (size_t i = 0; i < page.nwarnings; i++)
            check_str(page.warnings[i], strlen(page.warnings[i]));
        if (page.failed)
            check_str(page.fail_reason, strlen(page.fail_reason));
    }
    if (rc == FT_EOF)
        FZ_CHECK(r.ended);
    else
        FZ_CHECK(r.rr.msg[0] != '\0' || rc == FT_NOMEM);
out:
    ft_layout_reader_cleanup(&r);
    ft_page_cleanup(&page);
    fclose(f);
    return 0;
}
