/* Helpers shared by the extract test suites: a scratch directory, files
 * written from bytes, the built formtab-extract run as a child process with
 * its stdout, stderr and exit status captured.
 *
 * Ownership: strings returned are heap-allocated; the caller frees them with
 * free(). ext_run results are released with ext_run_cleanup(). */
#ifndef EXT_TESTLIB_H
#define EXT_TESTLIB_H

#include <stddef.h>

/* A fresh scratch directory under $TMPDIR (or /tmp); removed at exit. */
const char *t_tmpdir(void);

/* tmpdir/name, heap string. */
char *t_path(const char *name);

/* Write len bytes to tmpdir/name; returns the path (heap). */
char *t_write(const char *name, const void *bytes, size_t len);

/* Read a whole file (NUL-terminated, heap); *len its size. NULL if missing. */
char *t_read(const char *path, size_t *len);

typedef struct {
    char *out;      /* stdout, NUL-terminated */
    size_t out_len;
    char *err;      /* stderr, NUL-terminated */
    size_t err_len;
    int status;     /* exit status, or 128 + signal */
    double ms;      /* wall time */
} ext_run;

/* Run FORMTAB_BINARY_DIR/formtab-extract with argv (NULL-terminated, not
 * counting argv[0]); stdin_path (may be NULL) is fed to its stdin. */
void t_extract(ext_run *r, const char *const *argv, const char *stdin_path);
void ext_run_cleanup(ext_run *r);

/* Number of lines of s starting with prefix (a record type and a tab). */
int t_count_records(const char *s, const char *type);

/* Number of '\n'-terminated lines in s. */
int t_count_lines(const char *s);

/* Bytes of s converted from UTF-8 to encoding with the C library's iconv
 * (heap; *len its length). */
char *t_iconv(const char *s, const char *encoding, size_t *len);

/* First occurrence of needle in hay[0..len) (binary safe), or NULL. */
char *t_find(char *hay, size_t len, const char *needle);

/* Run a shell command (for qpdf); returns its exit status. */
int t_sh(const char *cmd);

#endif
