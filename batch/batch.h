/* What every part of `formtab batch` shares: its own exit codes (beside the
 * shared ones of ft_error.h), the status an input can have, and the caps the
 * batch job puts on what an input tree can make it hold.
 *
 * Ownership: nothing here allocates. */
#ifndef BATCH_H
#define BATCH_H

#include "ft_error.h"

/* Exit codes of formtab-batch. 0, 2 and 3 keep their shared meaning (3: the
 * output tree or the manifest could not be written); the batch job adds: */
enum {
    BATCH_EXIT_FAILED = 6, /* the run finished, but some inputs failed */
    BATCH_EXIT_LOCKED = 7  /* another run holds OUT_DIR/.formtab/lock */
};

/* The state of one input, as the manifest keeps it and the report shows it. */
typedef enum {
    BATCH_PENDING, /* being processed (a row left so by a killed run) */
    BATCH_OK,      /* output in place, every stage exited 0 */
    BATCH_PARTIAL, /* output in place, but some pages could not be read */
    BATCH_FAILED,  /* no output: the pipeline failed on this content */
    BATCH_TIMEOUT, /* no output: killed after --timeout seconds */
    BATCH_REMOVED  /* the input is gone (its output kept: no --prune) */
} batch_status;

/* The status as its lower-case word ("ok", "timeout"...). Never NULL. */
const char *batch_status_name(batch_status s);

/* Parse a status word; FT_FORMAT for an unknown one. */
FT_WUR ft_err batch_status_parse(const char *s, batch_status *out);

/* The kind of an input file. */
typedef enum {
    BATCH_KIND_NONE, /* not an input: skipped */
    BATCH_KIND_PDF,  /* "%PDF-" within its first BATCH_PDF_MAGIC_WINDOW bytes */
    BATCH_KIND_TEXT  /* a text dump: name ends in ".txt" (any case) */
} batch_kind;

/* ---- caps ------------------------------------------------------------------ */

/* The PDF header may follow up to 1024 bytes of junk (ISO 32000-1, annex H.3
 * note 1; readers accept it), so a PDF is recognised by "%PDF-" anywhere in
 * the first 1024 bytes, not by its name: published trees hold ".PDF",
 * ".pdf.1" and extension-less downloads. */
#define BATCH_PDF_MAGIC_WINDOW 1024u

/* Deepest directory nesting walked. Years x departments x forms is 3-5
 * levels; past 64 the tree is almost surely a bind-mount or symlink maze,
 * and each level keeps one open directory. */
#define BATCH_MAX_DEPTH 64u

/* Most inputs in one tree. The input list is the one thing that grows with
 * the tree (about 200 bytes an input); ten million is 2 GB, far beyond a
 * decade of disclosures (thousands a year). Past it the run stops with
 * FT_LIMIT rather than exhausting memory. */
#define BATCH_MAX_INPUTS 10000000u

/* Longest first error line kept of a failed input (bytes). One diagnostic
 * line of the stages is below 300 bytes; the cap keeps the report and the
 * manifest small when a stage prints garbage. */
#define BATCH_MAX_ERROR_LEN 480u

/* Most jobs at once (-j). Each job is five processes and a few pipes; 256
 * keeps the poll set and the process table sane on any machine. */
#define BATCH_MAX_JOBS 256u

#endif
