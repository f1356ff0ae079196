/* --merge-manifests: fold the output trees of shard runs (`--shard K/N` on
 * several hosts) into one output tree with one manifest. Per input the
 * newest row wins; its output is linked (or copied) in atomically before
 * the row is written, so a killed merge is finished by running it again. */
#include "batch_run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "batch_int.h"
#include "batch_lock.h"
#include "batch_manifest.h"

/* Bytes copied at a time when a hard link is impossible (another file
 * system): one pipe-sized buffer, as elsewhere. */
#define COPY_CHUNK 65536u

typedef struct {
    batch__state *dst;
    const char *src_root;  /* a shard's OUT_DIR */
    int prune;
    unsigned long rows, adopted, copied, removed;
    int io_error;
    char msg[1024];
} merge_ctx;

/* Copy src into a temporary file in dst's tmp dir, then install it at rel. */
static int copy_in(merge_ctx *c, const char *src, const char *rel)
{
    char *tmp = batch__join(c->dst->tmp_dir, "merge.XXXXXX");
    char buf[COPY_CHUNK];
    int in = -1, out = -1, rc = -1;
    if (!tmp)
        goto out;
    out = mkstemp(tmp);
    if (out < 0)
        goto out;
    /* A hard link is free and safe (the shard replaces its files by rename,
     * never in place); across file systems, copy. */
    close(out);
    out = -1;
    unlink(tmp);
    if (link(src, tmp) != 0) {
        in = open(src, O_RDONLY | O_CLOEXEC);
        out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (in < 0 || out < 0)
            goto out;
        for (;;) {
            ssize_t n = read(in, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                goto out;
            if (n == 0)
                break;
            for (ssize_t off = 0; off < n;) {
                ssize_t w = write(out, buf + off, (size_t)(n - off));
                if (w < 0 && errno == EINTR)
                    continue;
                if (w < 0)
                    goto out;
                off += w;
            }
        }
        if (fsync(out) != 0)
            goto out;
    }
    if (batch__install(tmp, c->dst->out_root, rel) != 0)
        goto out;
    rc = 0;
out:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (tmp) {
        if (rc)
            unlink(tmp);
        free(tmp);
    }
    return rc;
}

static ft_err merge_row(void *ctx, const batch_row *src)
{
    merge_ctx *c = ctx;
    batch_row cur;
    int found = 0;
    ft_err rc;
    batch_row_init(&cur);
    c->rows++;
    if ((rc = batch_manifest_get(c->dst->m, src->path, &cur, &found)))
        goto out;
    int has_output = src->status == BATCH_OK || src->status == BATCH_PARTIAL;
    int adopt = !found || batch_row_newer(&cur, src);
    if (!adopt && found && has_output && !strcmp(cur.sha256, src->sha256) &&
        cur.status == src->status && cur.output &&
        !batch__exists(c->dst->out_root, cur.output))
        adopt = 1; /* same row, but its output went missing here */
    if (!adopt)
        goto out;
    c->adopted++;
    if (src->status == BATCH_REMOVED && c->prune) {
        if (found && cur.output)
            (void)batch__remove_output(c->dst->out_root, cur.output);
        if (src->output)
            (void)batch__remove_output(c->dst->out_root, src->output);
        rc = batch_manifest_delete(c->dst->m, src->path);
        c->removed++;
        goto out;
    }
    if (has_output) {
        char *from = src->output ? batch__join(c->src_root, src->output)
                                 : NULL;
        if (!from || copy_in(c, from, src->output) != 0) {
            snprintf(c->msg, sizeof c->msg, "%s/%s: cannot merge: %s",
                     c->src_root, src->output ? src->output : "?",
                     strerror(errno));
            free(from);
            c->io_error = 1;
            goto out; /* the row is not adopted: a rerun tries again */
        }
        free(from);
        c->copied++;
    }
    /* Older outputs under other names (or of older content) go. A removed
     * input keeps its output, as a run without --prune does. */
    if (found && src->status != BATCH_REMOVED) {
        if (cur.output && !(has_output && !strcmp(cur.output, src->output)))
            (void)batch__remove_output(c->dst->out_root, cur.output);
        if (cur.old_output && !(has_output && src->output &&
                                !strcmp(cur.old_output, src->output)))
            (void)batch__remove_output(c->dst->out_root, cur.old_output);
    }
    {
        batch_row w = *src;
        if (!has_output && src->status != BATCH_REMOVED)
            w.output = NULL, w.old_output = NULL;
        rc = batch_manifest_put(c->dst->m, &w, 1);
    }
out:
    batch_row_cleanup(&cur);
    return rc;
}

int batch_merge(const batch_opts *o)
{
    batch__state dst;
    char msg[1024];
    int code = 0;
    ft_err rc;

    rc = batch__state_open(&dst, o->in_dir, msg, sizeof msg);
    if (rc) {
        fprintf(stderr, "formtab-batch: %s\n", msg);
        return rc == FT_LIMIT ? BATCH_EXIT_LOCKED : FT_EXIT_IO;
    }
    for (int i = 0; i < o->nextra && !code; i++) {
        const char *src = o->extra[i];
        char *root = realpath(src, NULL);
        char *state = root ? batch__join(root, BATCH_STATE_DIR) : NULL;
        char *lock_path = state ? batch__join(state, "lock") : NULL;
        char *db = state ? batch__join(state, "manifest.sqlite") : NULL;
        batch_lock lk = {-1};
        batch_manifest *m = NULL;
        merge_ctx c;
        memset(&c, 0, sizeof c);
        c.dst = &dst;
        c.src_root = root;
        c.prune = o->prune;
        if (!root || !db) {
            fprintf(stderr, "formtab-batch: %s: %s\n", src,
                    root ? "out of memory" : strerror(errno));
            code = FT_EXIT_IO;
        } else if (root && !strcmp(root, dst.out_root)) {
            fprintf(stderr, "formtab-batch: %s: the merge target itself\n",
                    src);
            code = FT_EXIT_USAGE;
        } else if (access(db, R_OK) != 0) {
            fprintf(stderr, "formtab-batch: %s: no manifest (not a batch "
                    "output tree)\n", src);
            code = FT_EXIT_IO;
        } else if ((rc = batch_lock_acquire(&lk, lock_path, msg,
                                            sizeof msg))) {
            /* A shard still running must finish first. */
            fprintf(stderr, "formtab-batch: %s: %s\n", src, msg);
            code = rc == FT_LIMIT ? BATCH_EXIT_LOCKED : FT_EXIT_IO;
        } else if ((rc = batch_manifest_open(db, &m, msg, sizeof msg))) {
            fprintf(stderr, "formtab-batch: %s\n", msg);
            code = FT_EXIT_IO;
        } else {
            rc = batch_manifest_each(m, merge_row, &c);
            if (rc) {
                fprintf(stderr, "formtab-batch: %s: %s\n", src,
                        batch_manifest_errmsg(dst.m)[0]
                            ? batch_manifest_errmsg(dst.m)
                            : ft_strerror(rc));
                code = FT_EXIT_IO;
            } else if (c.io_error) {
                fprintf(stderr, "formtab-batch: %s\n", c.msg);
                code = FT_EXIT_IO;
            } else if (!o->quiet) {
                fprintf(stderr, "formtab-batch: merged %s: %lu rows, %lu "
                        "newer, %lu outputs linked or copied, %lu pruned\n",
                        src, c.rows, c.adopted, c.copied, c.removed);
            }
        }
        batch_manifest_free(m);
        batch_lock_release(&lk);
        free(root);
        free(state);
        free(lock_path);
        free(db);
    }
    batch__state_close(&dst);
    return code;
}
