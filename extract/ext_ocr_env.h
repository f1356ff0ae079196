/* The process environment the OCR engine needs, set before Tesseract loads.
 *
 * Tesseract (Debian's build links libgomp) starts OpenMP threads inside
 * recognition; on the 2-core machines formtab runs on that makes it 4-6 times
 * slower, and OpenMP reads OMP_THREAD_LIMIT only once, when the library is
 * loaded. So formtab-extract calls ext_ocr_ensure_env() first thing in main():
 * when OMP_THREAD_LIMIT is unset it sets it to 1 and re-executes itself; the
 * `formtab` driver exports it already, so there it returns at once.
 *
 * Ownership: nothing is allocated. */
#ifndef EXT_OCR_ENV_H
#define EXT_OCR_ENV_H

/* Make sure OMP_THREAD_LIMIT is set, re-executing the program with the same
 * argv if it was not (argv must be main's, NULL-terminated). Returns 0 when
 * the environment was already right; on return after a failed re-exec
 * (/proc not mounted, ...) returns -1 and the caller simply goes on, slower.
 * On a successful re-exec it does not return. argc is unused but kept so the
 * call reads like main's signature. */
int ext_ocr_ensure_env(int argc, char **argv);

#endif
