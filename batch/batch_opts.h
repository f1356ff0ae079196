/* The command line of formtab-batch as a struct: parsing (getopt_long), the
 * help text, and the fingerprint of the options that change an output.
 *
 * Ownership: batch_opts is caller-owned storage. String fields point into
 * argv (borrowed) except those noted; batch_opts_cleanup() frees the rest. */
#ifndef BATCH_OPTS_H
#define BATCH_OPTS_H

#include <stddef.h>
#include <stdio.h>
#include "ft_error.h"

typedef enum { BATCH_FMT_CSV, BATCH_FMT_JSON, BATCH_FMT_JSONL } batch_format;
typedef enum { BATCH_REC_ROWS, BATCH_REC_CELLS, BATCH_REC_FORM } batch_records;
typedef enum { BATCH_PROGRESS_AUTO, BATCH_PROGRESS_ALWAYS,
               BATCH_PROGRESS_NEVER } batch_progress;

typedef struct {
    /* what to do */
    int help, version;
    int merge;             /* --merge-manifests: in_dir is the target OUT_DIR,
                              extra[] the shard output directories */
    const char *in_dir;    /* IN_DIR (or the merge target) */
    const char *out_dir;   /* OUT_DIR (NULL for --merge-manifests) */
    char **extra;          /* further operands (merge sources); into argv */
    int nextra;

    /* records (passed to the stages) */
    batch_format format;
    batch_records records;
    const char *map;       /* --map FILE for --records form */
    const char *kind;      /* --kind KIND for --records form */
    const char *ocr;       /* --ocr WHEN */
    const char *ocr_lang;  /* --ocr-lang LANGS */
    const char *rules;     /* --rules FILE */

    /* scheduling */
    unsigned jobs;         /* -j N; 0 = number of online processors */
    double timeout;        /* --timeout seconds per input; 0 = none */
    unsigned shard_k, shard_n; /* --shard K/N; n = 1 means all */

    /* manifest policy */
    int prune;             /* remove outputs of removed inputs */
    int retry_failed;      /* process failed inputs again */
    int force;             /* process every input again */
    int dry_run;           /* print the plan, change nothing */

    /* warehouse */
    const char *load;      /* "postgres" or NULL */
    const char *loader;    /* --loader PROGRAM (default: found beside us) */

    /* reporting */
    batch_progress progress;
    int quiet, verbose;
    unsigned keep_reports; /* run reports kept in OUT/.formtab/runs */
    int review;            /* --review: a formtab-inspect review page of
                              each input converted */
} batch_opts;

/* Defaults, then argv. FT_USAGE with a one-line reason in msg (no program
 * name, no hint) for a usage error. --help and --version set their flags and
 * skip the operand checks. argv is borrowed for the life of o. */
FT_WUR ft_err batch_opts_parse(batch_opts *o, int argc, char **argv,
                               char *msg, size_t msglen);

/* Nothing to free today; kept so callers need not change if that changes. */
void batch_opts_cleanup(batch_opts *o);

/* Write --help to f. */
void batch_opts_usage(FILE *f);

/* The output file name extension of the chosen format, without the dot. */
const char *batch_format_ext(batch_format f);
const char *batch_format_name(batch_format f);
const char *batch_records_name(batch_records r);

/* The fingerprint of everything that changes an input's output: formtab's
 * version, format, records and the options passed to the stages, with the
 * SHA-256 of the --map and --rules files (so editing a rules file
 * reprocesses the tree). An input whose manifest row has another fingerprint
 * is processed again. Written into out (outlen bytes). FT_NOENT/FT_IO if a
 * named file cannot be read, FT_LIMIT if out is too small. */
FT_WUR ft_err batch_opts_fingerprint(const batch_opts *o, char *out,
                                     size_t outlen);

#endif
