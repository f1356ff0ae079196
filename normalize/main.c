/* formtab-normalize: layout stream in, table stream out. Parses the command
 * line, loads the rules and runs the document driver (norm_doc.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_diag.h"
#include "ft_error.h"
#include "norm_doc.h"
#include "norm_rules.h"

#ifndef FORMTAB_VERSION
#define FORMTAB_VERSION "unknown"
#endif

static const char prog[] = "formtab-normalize";

static void usage(FILE *f)
{
    fprintf(f,
"Usage: %s [OPTION]... [FILE]\n"
"Read a formtab layout stream (from formtab-extract) from FILE, or standard\n"
"input when FILE is absent or '-', and write the table stream: ruled tables,\n"
"unruled tables, tables rebuilt from text dumps, notes between them and\n"
"warnings, with cell texts normalised by the rules (docs/rules.md).\n"
"\n"
"Options:\n"
"      --rules=FILE       add the rules of FILE after the default rules\n"
"      --rules-only=FILE  use the rules of FILE instead of the defaults\n"
"      --empty-ok         an empty input (zero bytes) gives no output and\n"
"                         exit status 0 (the formtab driver passes this when\n"
"                         extract has already failed)\n"
"  -q, --quiet            no warnings\n"
"  -v, --verbose          debug messages (how each page was read)\n"
"  -h, --help             show this help and exit\n"
"      --version          show the version and exit\n"
"\n"
"Exit status:\n"
"  0  ok (warnings allowed)\n"
"  1  input rejected: not a layout stream, a malformed line (named), or a\n"
"     stream cut short; the tables read so far are written, then `end`\n"
"  2  usage error\n"
"  3  input/output error\n"
"  4  resource limit hit (memory)\n"
"  5  internal error\n",
            prog);
}

enum { OPT_RULES = 256, OPT_RULES_ONLY, OPT_EMPTY_OK, OPT_VERSION };

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"rules", required_argument, NULL, OPT_RULES},
        {"rules-only", required_argument, NULL, OPT_RULES_ONLY},
        {"empty-ok", no_argument, NULL, OPT_EMPTY_OK},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0}};
    ft_diag d;
    norm_doc_options opts = {0};
    const char *rules_path = NULL;
    int rules_replace = 0;
    norm_rules *rules = NULL;
    FILE *in = stdin;
    const char *in_name = "standard input";
    int status = FT_EXIT_OK;
    int opt;

    ft_diag_init(&d, prog);
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":qvh", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_RULES:
        case OPT_RULES_ONLY:
            if (rules_path) {
                ft_diag_usage(&d, "only one of --rules and --rules-only may "
                              "be given, once");
                return FT_EXIT_USAGE;
            }
            rules_path = optarg;
            rules_replace = opt == OPT_RULES_ONLY;
            break;
        case OPT_EMPTY_OK:
            opts.empty_ok = 1;
            break;
        case 'q':
            d.quiet = 1;
            break;
        case 'v':
            d.verbose = 1;
            break;
        case 'h':
            usage(stdout);
            return ft_close_stdout(&d) ? FT_EXIT_IO : FT_EXIT_OK;
        case OPT_VERSION:
            printf("%s %s\n", prog, FORMTAB_VERSION);
            return ft_close_stdout(&d) ? FT_EXIT_IO : FT_EXIT_OK;
        case ':':
            ft_diag_usage(&d, "option '%s' requires an argument",
                          argv[optind - 1]);
            return FT_EXIT_USAGE;
        default:
            if (optopt)
                ft_diag_usage(&d, "invalid option -- '%c'", optopt);
            else
                ft_diag_usage(&d, "unrecognized option '%s'",
                              argv[optind - 1]);
            return FT_EXIT_USAGE;
        }
    }
    if (argc - optind > 1) {
        ft_diag_usage(&d, "extra operand '%s'", argv[optind + 1]);
        return FT_EXIT_USAGE;
    }

    char msg[512];
    msg[0] = '\0';
    ft_err rc = norm_rules_load(rules_path, rules_replace, &rules, msg,
                                sizeof msg);
    if (rc) {
        ft_diag_error(&d, NULL, 0, "%s", msg[0] ? msg : ft_strerror(rc));
        status = ft_exit_code(rc);
        goto out;
    }

    if (optind < argc && strcmp(argv[optind], "-") != 0) {
        in_name = argv[optind];
        struct stat st;
        if (stat(in_name, &st) == 0 && S_ISDIR(st.st_mode)) {
            ft_diag_error(&d, in_name, 0, "%s", ft_strerror(FT_ISDIR));
            status = ft_exit_code(FT_ISDIR);
            goto out;
        }
        FILE *f = fopen(in_name, "rb");
        if (!f) {
            int e = errno;
            ft_diag_error(&d, in_name, 0, "%s", strerror(e));
            status = e == ENOENT ? ft_exit_code(FT_NOENT) : FT_EXIT_IO;
            goto out;
        }
        in = f;
    }

    rc = norm_doc_run(in, in_name, stdout, rules, &opts, &d);
    status = ft_exit_code(rc);
    if (in != stdin && fclose(in) != 0 && status == FT_EXIT_OK)
        status = FT_EXIT_IO;
    in = stdin;
out:
    if (in != stdin)
        fclose(in);
    norm_rules_free(rules);
    if (ft_close_stdout(&d) && status == FT_EXIT_OK)
        status = FT_EXIT_IO;
    return status;
}
