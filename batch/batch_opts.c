/* formtab-batch's options: getopt_long parsing into batch_opts, --help, and
 * the fingerprint that says whether an old output was made the same way. */
#include "batch_opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "ft_buf.h"
#include "ft_sha256.h"

#ifndef FORMTAB_VERSION
#define FORMTAB_VERSION "unknown"
#endif

/* Default per-input time limit. The largest fixture, a 12-page scanned form
 * OCRed at 300 dpi, takes about a minute on one core of the 2-core build
 * machine; ten minutes leaves room for a slow night without letting one
 * broken file hold a worker until morning. */
#define BATCH_DEFAULT_TIMEOUT 600.0

/* Run reports kept in OUT/.formtab/runs: a hundred nights, then the oldest
 * go (each report is a few hundred bytes per processed input). */
#define BATCH_DEFAULT_KEEP_REPORTS 100u

void batch_opts_usage(FILE *f)
{
    fputs(
        "Usage: formtab batch IN_DIR OUT_DIR [OPTION]...\n"
        "  or:  formtab batch --merge-manifests OUT_DIR SHARD_OUT_DIR...\n"
        "Convert every PDF form and text dump under IN_DIR into records under\n"
        "OUT_DIR, mirroring the tree: IN_DIR/2020/a/form.pdf becomes\n"
        "OUT_DIR/2020/a/form.pdf.csv. PDFs are found by content (\"%PDF-\"),\n"
        "text dumps by the name *.txt; hidden files and directories are skipped.\n"
        "A manifest (OUT_DIR/.formtab/manifest.sqlite) keyed by each input's\n"
        "SHA-256 makes a rerun process only new and changed inputs; a lock\n"
        "(OUT_DIR/.formtab/lock) keeps two runs apart. A run may be killed at\n"
        "any moment: the next one ends with the outputs an uninterrupted run\n"
        "would have written. See docs/batch.md.\n"
        "\n"
        "Records (passed to the pipeline, see formtab --help):\n"
        "      --format=FMT         csv (default), json or jsonl\n"
        "      --records=MODE       rows (default), cells or form\n"
        "      --kind=KIND          form mode: the record kind to write\n"
        "      --map=FILE           form mode mapping file\n"
        "      --ocr=WHEN           auto (default), always or never\n"
        "      --ocr-lang=LANGS     Tesseract languages (default chi_sim+eng)\n"
        "      --rules=FILE         extra normalisation rules\n"
        "Scheduling:\n"
        "  -j, --jobs=N             inputs processed at once (default: the\n"
        "                           number of processors)\n"
        "      --timeout=SECONDS    give up on an input after this long and\n"
        "                           remember it as timed out (default 600;\n"
        "                           0: no limit; decimals allowed)\n"
        "      --shard=K/N          only inputs whose hash mod N is K, for\n"
        "                           spreading a tree over N hosts (0 <= K < N)\n"
        "Manifest:\n"
        "      --retry-failed       process again inputs that failed or timed\n"
        "                           out (otherwise skipped until they change)\n"
        "      --force              process every input again\n"
        "      --prune              delete the outputs of inputs that are gone\n"
        "                           (default: keep them; either way they are\n"
        "                           reported)\n"
        "  -n, --dry-run            print what would be done; change nothing\n"
        "      --merge-manifests    merge the output trees and manifests of\n"
        "                           shard runs into OUT_DIR\n"
        "Warehouse:\n"
        "      --load=postgres      after each output is in place, load it into\n"
        "                           PostgreSQL in one transaction, upserting by\n"
        "                           record id (connection from the libpq\n"
        "                           environment: PGHOST, PGDATABASE, PGUSER...)\n"
        "                           (needs --format=jsonl, or CSV with\n"
        "                           --records=cells or form)\n"
        "      --loader=PROGRAM     the loader, run as PROGRAM -q FILE (default:\n"
        "                           formtab-load-postgres beside formtab-batch,\n"
        "                           else in PATH)\n"
        "Reporting:\n",
        f);
    /* Two pieces: C11 only promises string literals of 4095 bytes. */
    fputs(
        "Reporting:\n"
        "      --progress=WHEN      auto (default: a line redrawn in place when\n"
        "                           stderr is a terminal, timestamped log lines\n"
        "                           otherwise), always or never\n"
        "      --keep-reports=N     run reports kept in OUT_DIR/.formtab/runs\n"
        "                           (default 100)\n"
        "      --review             write a review page of each input converted\n"
        "                           (formtab inspect --html, from the streams\n"
        "                           this run made) under OUT_DIR/.formtab/review/,\n"
        "                           linked from the run page; skipped with a\n"
        "                           warning when formtab-inspect is missing\n"
        "  -q, --quiet              only failures and errors on stderr\n"
        "  -v, --verbose            a line per input, and the stages' messages\n"
        "  -h, --help               show this help and exit\n"
        "      --version            show the version and exit\n"
        "\n"
        "Each run writes a JSON report OUT_DIR/.formtab/runs/TIME-PID.json and\n"
        "an HTML page beside it (TIME-PID.html; the latest run's also as\n"
        "OUT_DIR/.formtab/report.html): status, pages, tables, records and\n"
        "errors per input, with links to outputs and review pages.\n"
        "\n"
        "Exit status:\n"
        "  0  every input is converted (or was unchanged)\n"
        "  2  usage error\n"
        "  3  input/output error on the output tree, the manifest or IN_DIR\n"
        "  4  resource limit hit (too many inputs)\n"
        "  5  internal error\n"
        "  6  some inputs failed, timed out, had unreadable pages or could not\n"
        "     be loaded (listed on stderr and in the run report); the others\n"
        "     are done\n"
        "  7  another run holds the lock: nothing was done\n"
        "On SIGINT, SIGTERM or SIGHUP the workers are stopped, temporary files\n"
        "removed, and formtab-batch dies of that signal (status 130, 143, 129).\n",
        f);
}

enum {
    OPT_FORMAT = 256,
    OPT_RECORDS,
    OPT_KIND,
    OPT_MAP,
    OPT_OCR,
    OPT_OCR_LANG,
    OPT_RULES,
    OPT_TIMEOUT,
    OPT_SHARD,
    OPT_RETRY_FAILED,
    OPT_FORCE,
    OPT_PRUNE,
    OPT_MERGE,
    OPT_LOAD,
    OPT_LOADER,
    OPT_PROGRESS,
    OPT_KEEP_REPORTS,
    OPT_REVIEW,
    OPT_VERSION
};

static const struct option long_opts[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"records", required_argument, NULL, OPT_RECORDS},
    {"kind", required_argument, NULL, OPT_KIND},
    {"map", required_argument, NULL, OPT_MAP},
    {"ocr", required_argument, NULL, OPT_OCR},
    {"ocr-lang", required_argument, NULL, OPT_OCR_LANG},
    {"rules", required_argument, NULL, OPT_RULES},
    {"jobs", required_argument, NULL, 'j'},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"retry-failed", no_argument, NULL, OPT_RETRY_FAILED},
    {"force", no_argument, NULL, OPT_FORCE},
    {"prune", no_argument, NULL, OPT_PRUNE},
    {"dry-run", no_argument, NULL, 'n'},
    {"merge-manifests", no_argument, NULL, OPT_MERGE},
    {"load", required_argument, NULL, OPT_LOAD},
    {"loader", required_argument, NULL, OPT_LOADER},
    {"progress", required_argument, NULL, OPT_PROGRESS},
    {"keep-reports", required_argument, NULL, OPT_KEEP_REPORTS},
    {"review", no_argument, NULL, OPT_REVIEW},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}};

/* Parse a whole decimal unsigned number in [lo, hi]. */
static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *v)
{
    char *end;
    if (!*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    errno = 0;
    unsigned long n = strtoul(s, &end, 10);
    if (errno || *end || n < lo || n > hi)
        return -1;
    *v = (unsigned)n;
    return 0;
}

/* Parse seconds: digits with an optional '.' and fraction, no sign, no
 * exponent, read without strtod so the locale's decimal point never matters. */
static int parse_seconds(const char *s, double *v)
{
    double whole = 0, scale = 1;
    int digits = 0, frac = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (frac) {
                scale /= 10;
                whole += (*p - '0') * scale;
            } else {
                whole = whole * 10 + (*p - '0');
            }
            digits++;
        } else if (*p == '.' && !frac) {
            frac = 1;
        } else {
            return -1;
        }
    }
    if (!digits || whole > 1e9)
        return -1;
    *v = whole;
    return 0;
}

static int one_of(const char *s, const char *const *words, int *idx)
{
    for (int i = 0; words[i]; i++)
        if (!strcmp(s, words[i])) {
            *idx = i;
            return 0;
        }
    return -1;
}

ft_err batch_opts_parse(batch_opts *o, int argc, char **argv, char *msg,
                        size_t msglen)
{
    static const char *const formats[] = {"csv", "json", "jsonl", NULL};
    static const char *const records[] = {"rows", "cells", "form", NULL};
    static const char *const ocrs[] = {"auto", "always", "never", NULL};
    static const char *const progress[] = {"auto", "always", "never", NULL};
    ft_err rc = FT_OK;
    int idx, c;

    memset(o, 0, sizeof *o);
    o->timeout = BATCH_DEFAULT_TIMEOUT;
    o->shard_n = 1;
    o->keep_reports = BATCH_DEFAULT_KEEP_REPORTS;
    msg[0] = '\0';

    opterr = 0;
    optind = 1; /* parse may run more than once (tests) */
    while ((c = getopt_long(argc, argv, ":j:nqvh", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if (one_of(optarg, formats, &idx))
                goto bad_value;
            o->format = (batch_format)idx;
            break;
        case OPT_RECORDS:
            if (one_of(optarg, records, &idx))
                goto bad_value;
            o->records = (batch_records)idx;
            break;
        case OPT_KIND:
            o->kind = optarg;
            break;
        case OPT_MAP:
            o->map = optarg;
            break;
        case OPT_OCR:
            if (one_of(optarg, ocrs, &idx))
                goto bad_value;
            o->ocr = optarg;
            break;
        case OPT_OCR_LANG:
            o->ocr_lang = optarg;
            break;
        case OPT_RULES:
            o->rules = optarg;
            break;
        case 'j':
            if (parse_uint(optarg, 1, BATCH_MAX_JOBS, &o->jobs)) {
                snprintf(msg, msglen, "invalid number of jobs '%s' (1 to %u)",
                         optarg, BATCH_MAX_JOBS);
                rc = FT_USAGE;
                goto out;
            }
            break;
        case OPT_TIMEOUT:
            if (parse_seconds(optarg, &o->timeout))
                goto bad_value;
            break;
        case OPT_SHARD: {
            const char *slash = strchr(optarg, '/');
            char k[24];
            size_t klen = slash ? (size_t)(slash - optarg) : 0;
            if (!slash || klen == 0 || klen >= sizeof k)
                goto bad_shard;
            memcpy(k, optarg, klen);
            k[klen] = '\0';
            if (parse_uint(slash + 1, 1, 1000000, &o->shard_n) ||
                parse_uint(k, 0, o->shard_n - 1, &o->shard_k))
                goto bad_shard;
            break;
        bad_shard:
            snprintf(msg, msglen,
                     "invalid shard '%s' (K/N with 0 <= K < N, e.g. 0/4)",
                     optarg);
            rc = FT_USAGE;
            goto out;
        }
        case OPT_RETRY_FAILED:
            o->retry_failed = 1;
            break;
        case OPT_FORCE:
            o->force = 1;
            break;
        case OPT_PRUNE:
            o->prune = 1;
            break;
        case 'n':
            o->dry_run = 1;
            break;
        case OPT_MERGE:
            o->merge = 1;
            break;
        case OPT_LOAD:
            if (strcmp(optarg, "postgres") != 0)
                goto bad_value;
            o->load = optarg;
            break;
        case OPT_LOADER:
            o->loader = optarg;
            break;
        case OPT_PROGRESS:
            if (one_of(optarg, progress, &idx))
                goto bad_value;
            o->progress = (batch_progress)idx;
            break;
        case OPT_KEEP_REPORTS:
            if (parse_uint(optarg, 1, 1000000, &o->keep_reports))
                goto bad_value;
            break;
        case OPT_REVIEW:
            o->review = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'v':
            o->verbose = 1;
            break;
        case 'h':
            o->help = 1;
            goto out;
        case OPT_VERSION:
            o->version = 1;
            goto out;
        case ':':
            snprintf(msg, msglen, "option '%s' requires an argument",
                     argv[optind - 1]);
            rc = FT_USAGE;
            goto out;
        default:
            if (optopt && optopt < 256)
                snprintf(msg, msglen, "invalid option -- '%c'", optopt);
            else
                snprintf(msg, msglen, "unrecognized option '%s'",
                         argv[optind - 1]);
            rc = FT_USAGE;
            goto out;
        }
        continue;
    bad_value:
        snprintf(msg, msglen, "invalid argument '%s' for '%s'", optarg,
                 argv[optind - 1]);
        rc = FT_USAGE;
        goto out;
    }

    {
        int nops = argc - optind;
        char **ops = argv + optind;
        if (o->merge) {
            if (nops < 2) {
                snprintf(msg, msglen, "--merge-manifests needs OUT_DIR and "
                         "at least one SHARD_OUT_DIR");
                rc = FT_USAGE;
                goto out;
            }
            if (o->review) {
                /* Review pages stay in the shard trees: the merge copies
                 * outputs and rows, not the state directory. */
                snprintf(msg, msglen, "--review does not apply to "
                         "--merge-manifests");
                rc = FT_USAGE;
                goto out;
            }
            o->in_dir = ops[0];
            o->extra = ops + 1;
            o->nextra = nops - 1;
            goto out;
        }
        if (nops < 2) {
            snprintf(msg, msglen, nops ? "missing OUT_DIR" :
                     "missing IN_DIR and OUT_DIR");
            rc = FT_USAGE;
            goto out;
        }
        if (nops > 2) {
            snprintf(msg, msglen, "extra operand '%s'", ops[2]);
            rc = FT_USAGE;
            goto out;
        }
        o->in_dir = ops[0];
        o->out_dir = ops[1];
        if (!*o->in_dir || !*o->out_dir) {
            snprintf(msg, msglen, "empty directory name");
            rc = FT_USAGE;
            goto out;
        }
        if (o->load && (o->format == BATCH_FMT_JSON ||
                        (o->format == BATCH_FMT_CSV &&
                         o->records == BATCH_REC_ROWS))) {
            /* What formtab-load-postgres reads (docs/records.md): rows
             * CSV has no fixed columns and a JSON array is one value. */
            snprintf(msg, msglen, "--load needs --format=jsonl, or CSV with "
                     "--records=cells or form");
            rc = FT_USAGE;
            goto out;
        }
        if (o->kind && o->records != BATCH_REC_FORM) {
            snprintf(msg, msglen, "--kind needs --records form");
            rc = FT_USAGE;
            goto out;
        }
    }
out:
    return rc;
}

void batch_opts_cleanup(batch_opts *o)
{
    (void)o;
}

const char *batch_format_ext(batch_format f)
{
    return batch_format_name(f);
}

const char *batch_format_name(batch_format f)
{
    switch (f) {
    case BATCH_FMT_JSON:
        return "json";
    case BATCH_FMT_JSONL:
        return "jsonl";
    case BATCH_FMT_CSV:
        break;
    }
    return "csv";
}

const char *batch_records_name(batch_records r)
{
    switch (r) {
    case BATCH_REC_CELLS:
        return "cells";
    case BATCH_REC_FORM:
        return "form";
    case BATCH_REC_ROWS:
        break;
    }
    return "rows";
}

/* Append " key=sha256(file)" (or nothing when path is NULL). */
static ft_err put_file_hash(ft_buf *b, const char *key, const char *path)
{
    char hex[65];
    if (!path)
        return FT_OK;
    ft_err rc = ft_sha256_file(path, hex);
    if (rc)
        return rc;
    return ft_buf_printf(b, " %s=%s", key, hex);
}

ft_err batch_opts_fingerprint(const batch_opts *o, char *out, size_t outlen)
{
    ft_buf b;
    ft_err rc;
    ft_buf_init(&b, outlen ? outlen - 1 : 0);
    rc = ft_buf_printf(&b, "formtab %s format=%s records=%s", FORMTAB_VERSION,
                       batch_format_name(o->format),
                       batch_records_name(o->records));
    if (!rc && o->kind)
        rc = ft_buf_printf(&b, " kind=%s", o->kind);
    if (!rc && o->ocr)
        rc = ft_buf_printf(&b, " ocr=%s", o->ocr);
    if (!rc && o->ocr_lang)
        rc = ft_buf_printf(&b, " ocr-lang=%s", o->ocr_lang);
    if (!rc)
        rc = put_file_hash(&b, "map", o->map);
    if (!rc)
        rc = put_file_hash(&b, "rules", o->rules);
    if (rc)
        goto out;
    memcpy(out, ft_buf_str(&b), b.len + 1);
out:
    ft_buf_cleanup(&b);
    return rc;
}
