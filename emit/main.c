/* formtab-emit: the command line around emit_run() (emit.h). Parses options,
 * opens the input, prints the one error line and picks the exit code. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "ft_diag.h"
#include "ft_error.h"

#define PROG "formtab-emit"
#ifndef FORMTAB_VERSION
#define FORMTAB_VERSION "unknown"
#endif

static void usage(FILE *f)
{
    fputs(
        "Usage: " PROG " [OPTION]... [FILE]\n"
        "Read a formtab table stream (formtab-normalize's output) from FILE or\n"
        "standard input ('-' or none) and write its tables as records.\n"
        "\n"
        "Output:\n"
        "      --format=FMT      csv (default): RFC 4180, UTF-8, quoted only where\n"
        "                        needed; json: one array of records; jsonl: one\n"
        "                        JSON object per line\n"
        "      --records=MODE    rows (default): one record per table row, merged\n"
        "                        cells repeated in every slot they cover (CSV) or\n"
        "                        written once with their spans (JSON);\n"
        "                        cells: one record per cell (long format);\n"
        "                        form: typed field, indicator and budget_item\n"
        "                        records read through a mapping file\n"
        "      --kind=KIND       form mode: field (CSV default), indicator,\n"
        "                        budget_item or cell; CSV holds one kind, JSON\n"
        "                        and JSON Lines hold all kinds unless this is given\n"
        "      --map=FILE        form mode mapping file (default: the built-in map\n"
        "                        of formtab's budget forms; see docs/records.md)\n"
        "      --split=DIR       write CSV files into DIR instead of stdout and\n"
        "                        print their paths: rows and cells mode one file\n"
        "                        per table (SOURCE-pPAGE-tTABLE.csv; rows files\n"
        "                        hold the filled table alone), form mode one file\n"
        "                        per record kind (SOURCE-KIND.csv)\n"
        "      --header          rows mode: start with a header line\n"
        "                        (source,sha256,page,table,row,c1,...)\n"
        "      --no-header       cells and form mode: no header line\n"
        "      --bom             start CSV with a UTF-8 byte order mark (Excel)\n"
        "      --crlf            end CSV lines with CRLF (default LF)\n"
        "Input:\n"
        "      --empty-ok        empty input (zero bytes: an earlier stage failed\n"
        "                        and said so) is no error; nothing is written\n"
        "  -q, --quiet           no warnings\n"
        "  -v, --verbose         debug messages\n"
        "  -h, --help            show this help and exit\n"
        "      --version         show the version and exit\n"
        "\n"
        "Exit status:\n"
        "  0  ok (warnings allowed)\n"
        "  1  input rejected: not a table stream, unsupported version, malformed\n"
        "     or truncated stream (the message names the line; the records of\n"
        "     every complete table before it are still written), bad mapping\n"
        "     file (the message names its line)\n"
        "  2  usage error\n"
        "  3  input/output error\n"
        "  4  resource limit hit\n"
        "  5  internal error\n",
        f);
}

enum {
    OPT_FORMAT = 256,
    OPT_RECORDS,
    OPT_KIND,
    OPT_MAP,
    OPT_SPLIT,
    OPT_HEADER,
    OPT_NO_HEADER,
    OPT_BOM,
    OPT_CRLF,
    OPT_EMPTY_OK,
    OPT_VERSION
};

static const struct option long_opts[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"records", required_argument, NULL, OPT_RECORDS},
    {"kind", required_argument, NULL, OPT_KIND},
    {"map", required_argument, NULL, OPT_MAP},
    {"split", required_argument, NULL, OPT_SPLIT},
    {"header", no_argument, NULL, OPT_HEADER},
    {"no-header", no_argument, NULL, OPT_NO_HEADER},
    {"bom", no_argument, NULL, OPT_BOM},
    {"crlf", no_argument, NULL, OPT_CRLF},
    {"empty-ok", no_argument, NULL, OPT_EMPTY_OK},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}};

int main(int argc, char **argv)
{
    ft_diag d;
    emit_options o;
    FILE *in = stdin;
    const char *name = "stdin";
    int kind_given = 0;
    char msg[512];
    ft_diag_init(&d, PROG);
    emit_options_init(&o);

    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":qvh", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if (!strcmp(optarg, "csv"))
                o.fmt = EMIT_CSV;
            else if (!strcmp(optarg, "json"))
                o.fmt = EMIT_JSON;
            else if (!strcmp(optarg, "jsonl"))
                o.fmt = EMIT_JSONL;
            else {
                ft_diag_usage(&d, "invalid --format '%s' (csv, json, jsonl)",
                              optarg);
                return FT_EXIT_USAGE;
            }
            break;
        case OPT_RECORDS:
            if (!strcmp(optarg, "rows"))
                o.mode = EMIT_MODE_ROWS;
            else if (!strcmp(optarg, "cells"))
                o.mode = EMIT_MODE_CELLS;
            else if (!strcmp(optarg, "form"))
                o.mode = EMIT_MODE_FORM;
            else {
                ft_diag_usage(&d, "invalid --records '%s' (rows, cells, form)",
                              optarg);
                return FT_EXIT_USAGE;
            }
            break;
        case OPT_KIND:
            if (!strcmp(optarg, "field"))
                o.kinds = EMIT_KIND_FIELD;
            else if (!strcmp(optarg, "indicator"))
                o.kinds = EMIT_KIND_INDICATOR;
            else if (!strcmp(optarg, "budget_item") || !strcmp(optarg, "budget"))
                o.kinds = EMIT_KIND_BUDGET;
            else if (!strcmp(optarg, "cell"))
                o.kinds = EMIT_KIND_CELL;
            else {
                ft_diag_usage(&d,
                              "invalid --kind '%s' (field, indicator, "
                              "budget_item, cell)",
                              optarg);
                return FT_EXIT_USAGE;
            }
            kind_given = 1;
            break;
        case OPT_MAP:
            o.map_path = optarg;
            break;
        case OPT_SPLIT:
            o.split_dir = optarg;
            break;
        case OPT_HEADER:
            o.header = 1;
            break;
        case OPT_NO_HEADER:
            o.header = 0;
            break;
        case OPT_BOM:
            o.bom = 1;
            break;
        case OPT_CRLF:
            o.crlf = 1;
            break;
        case OPT_EMPTY_OK:
            o.empty_ok = 1;
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
            printf(PROG " " FORMTAB_VERSION "\n");
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
    if ((o.map_path || kind_given) && o.mode != EMIT_MODE_FORM) {
        ft_diag_usage(&d, "--%s only applies to --records=form",
                      o.map_path ? "map" : "kind");
        return FT_EXIT_USAGE;
    }
    if (o.split_dir && o.fmt != EMIT_CSV) {
        ft_diag_usage(&d, "--split writes CSV files; it takes no --format");
        return FT_EXIT_USAGE;
    }
    if (o.mode == EMIT_MODE_FORM && o.fmt == EMIT_CSV && !o.split_dir &&
        !kind_given)
        o.kinds = EMIT_KIND_FIELD; /* one kind per CSV stream */
    if (o.split_dir && kind_given) {
        ft_diag_usage(&d, "--split writes every kind; it takes no --kind");
        return FT_EXIT_USAGE;
    }
    if (optind < argc && strcmp(argv[optind], "-") != 0) {
        name = argv[optind];
        in = fopen(name, "rb");
        if (!in) {
            ft_diag_error(&d, name, 0, "cannot open: %s", strerror(errno));
            return FT_EXIT_INPUT;
        }
    }

    ft_err rc = emit_run(&o, in, name, stdout, &d, msg, sizeof msg);
    if (rc)
        ft_diag_error(&d, NULL, 0, "%s", msg[0] ? msg : ft_strerror(rc));
    if (in != stdin)
        fclose(in);
    ft_err crc = ft_close_stdout(&d);
    if (rc)
        return ft_exit_code(rc);
    return crc ? FT_EXIT_IO : FT_EXIT_OK;
}
