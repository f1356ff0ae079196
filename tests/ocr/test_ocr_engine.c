#include <check.h>
#include <stdlib.h>
#include "ext_ocr.h"
START_TEST(avail) { ck_assert_int_eq(ext_ocr_available(), 1); }
END_TEST
int main(void)
{
    Suite *s = suite_create("ocr_engine");
    TCase *tc = tcase_create("engine");
    tcase_add_test(tc, avail);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
