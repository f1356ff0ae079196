/* The OCR interface of a build without Tesseract: no engine, and a message
 * saying how to get one. Named so the ext_ocr_*.c glob does not pick it up. */
#include <stdio.h>

#include "ext_ocr.h"

int ext_ocr_available(void)
{
    return 0;
}

ft_err ext_ocr_new(const ext_ocr_options *opt, ext_ocr **out, char *msg,
                   size_t msg_len)
{
    (void)opt;
    *out = NULL;
    snprintf(msg, msg_len,
             "formtab was built without OCR (install libtesseract-dev)");
    return FT_OCR;
}

void ext_ocr_free(ext_ocr *ocr)
{
    (void)ocr;
}

ft_err ext_ocr_page(ext_ocr *ocr, const ext_image *img, const ft_box *rules,
                    size_t nrules, ft_page *page, char *msg, size_t msg_len)
{
    (void)ocr;
    (void)img;
    (void)rules;
    (void)nrules;
    (void)page;
    snprintf(msg, msg_len,
             "formtab was built without OCR (install libtesseract-dev)");
    return FT_OCR;
}
