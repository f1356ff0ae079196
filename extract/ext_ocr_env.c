/* Re-execute formtab-extract with OMP_THREAD_LIMIT=1 so Tesseract's OpenMP
 * threads do not slow OCR down on small machines. See ext_ocr_env.h. */
#include "ext_ocr_env.h"

#include <stdlib.h>
#include <unistd.h>

/* The thread limit we set: one OCR thread per process; parallelism comes from
 * running several formtab processes (the batch driver), not from OpenMP. */
#define OCR_THREAD_LIMIT "1"

int ext_ocr_ensure_env(int argc, char **argv)
{
    (void)argc;
    const char *v = getenv("OMP_THREAD_LIMIT");
    if (v && *v)
        return 0;
    if (setenv("OMP_THREAD_LIMIT", OCR_THREAD_LIMIT, 1) != 0)
        return -1;
    if (!argv || !argv[0])
        return -1;
    /* /proc/self/exe is this very binary, whatever argv[0] says */
    execv("/proc/self/exe", argv);
    return -1;
}
