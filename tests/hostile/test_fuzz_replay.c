/* Replay every committed fuzz input (fuzz/corpus/TARGET seeds and
 * fuzz/regress/TARGET findings) through the fuzz target's own entry point,
 * in the normal build (gcc, no libFuzzer) and under the sanitizer build.
 * A finding of scripts/fuzz is fixed and its input dropped in
 * fuzz/regress/TARGET/: from then on this suite fails if the bug returns.
 * A target's checks abort(); Check's fork mode turns that into a failure
 * naming the input file. FUZZ_TARGET names the target (set by CMake). */
#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the fuzz target"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Largest replayed input: the committed ones are a few KiB; a bigger file
 * here is a mistake (large hostile inputs are generated at test time). */
#define REPLAY_MAX_BYTES (4u * 1024u * 1024u)
#define REPLAY_MAX_FILES 4096u

static char *files[REPLAY_MAX_FILES];
static size_t nfiles;

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(const char *sub)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/fuzz/%s/%s", FORMTAB_SOURCE_DIR, sub,
             FUZZ_TARGET);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) && nfiles < REPLAY_MAX_FILES) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p)
            break; /* test_has_inputs or a missing replay reports it */
        snprintf(p, n, "%s/%s", dir, e->d_name);
        files[nfiles++] = p;
    }
    closedir(d);
}

START_TEST(test_has_inputs)
{
    /* Every target ships seeds; an empty list means a wrong path. */
    ck_assert_uint_gt(nfiles, 0);
}
END_TEST

START_TEST(test_replay)
{
    const char *path = files[_i];
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    uint8_t *buf = malloc(REPLAY_MAX_BYTES);
    ck_assert_ptr_nonnull(buf);
    size_t n = fread(buf, 1, REPLAY_MAX_BYTES, f);
    ck_assert_msg(!ferror(f) && feof(f), "%s: unreadable or too large", path);
    fclose(f);
    /* A copy of exactly n bytes, so ASan sees reads past the end. */
    uint8_t *exact = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(exact);
    memcpy(exact, buf, n);
    free(buf);
    fprintf(stderr, "replay %s\n", path);
    ck_assert_int_eq(LLVMFuzzerTestOneInput(exact, n), 0);
    free(exact);
}
END_TEST

int main(void)
{
    collect("corpus");
    collect("regress");
    qsort(files, nfiles, sizeof files[0], cmp);
    Suite *s = suite_create("fuzz_replay_" FUZZ_TARGET);
    TCase *tc = tcase_create("replay");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_has_inputs);
    tcase_add_loop_test(tc, test_replay, 0, (int)nfiles);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
