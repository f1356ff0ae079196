/* formtab error codes: one X-macro table generates the enum, the messages and
 * the process exit code each error maps to, so library code returns values and
 * only main() turns them into text and an exit status. */
#ifndef FT_ERROR_H
#define FT_ERROR_H

/* Exit codes shared by every formtab tool (documented in --help and README):
 *   0 ok (warnings allowed), 1 input rejected, 2 usage, 3 I/O,
 *   4 resource limit, 5 internal check failed. */
enum {
    FT_EXIT_OK = 0,
    FT_EXIT_INPUT = 1,
    FT_EXIT_USAGE = 2,
    FT_EXIT_IO = 3,
    FT_EXIT_LIMIT = 4,
    FT_EXIT_INTERNAL = 5
};

/*  X(name, exit code, message) */
#define FT_ERRNO_MAP(X)                                                     \
    X(OK, FT_EXIT_OK, "success")                                            \
    X(EOF, FT_EXIT_OK, "end of input")                                      \
    X(USAGE, FT_EXIT_USAGE, "invalid usage")                                \
    X(IO, FT_EXIT_IO, "input/output error")                                 \
    X(NOENT, FT_EXIT_INPUT, "no such file")                                 \
    X(ISDIR, FT_EXIT_INPUT, "is a directory")                               \
    X(EMPTY, FT_EXIT_INPUT, "empty input")                                  \
    X(ENCODING, FT_EXIT_INPUT, "undecodable byte sequence")                 \
    X(UTF8, FT_EXIT_INPUT, "invalid UTF-8")                                 \
    X(FORMAT, FT_EXIT_INPUT, "malformed stream line")                       \
    X(VERSION, FT_EXIT_INPUT, "unsupported stream format or version")       \
    X(TRUNCATED, FT_EXIT_INPUT, "stream ended early")                       \
    X(NOTPDF, FT_EXIT_INPUT, "not a PDF file")                              \
    X(PDF, FT_EXIT_INPUT, "damaged or unreadable PDF")                      \
    X(ENCRYPTED, FT_EXIT_INPUT, "encrypted PDF needs a password")           \
    X(PAGE, FT_EXIT_INPUT, "page could not be read")                        \
    X(PATTERN, FT_EXIT_INPUT, "invalid pattern")                            \
    X(CONFIG, FT_EXIT_INPUT, "invalid configuration file")                  \
    X(OCR, FT_EXIT_INPUT, "OCR failed")                                     \
    X(NOMEM, FT_EXIT_LIMIT, "out of memory")                                \
    X(LIMIT, FT_EXIT_LIMIT, "resource limit exceeded")                      \
    X(INTERNAL, FT_EXIT_INTERNAL, "internal check failed")

typedef enum {
#define FT__ENUM(name, code, msg) FT_##name,
    FT_ERRNO_MAP(FT__ENUM)
#undef FT__ENUM
    FT__ERR_COUNT
} ft_err;

#if defined(__GNUC__)
#define FT_WUR __attribute__((warn_unused_result))
#define FT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FT_WUR
#define FT_PRINTF(a, b)
#endif

/* The message for an error code. Returns a static string; never NULL. */
const char *ft_strerror(ft_err err);

/* The process exit code for an error code (FT_EXIT_*). */
int ft_exit_code(ft_err err);

#endif
