/* The input walker: a sorted list of the regular files under IN_DIR, then a
 * probe per file that classifies it by content and hashes it. */
#include "batch_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_buf.h"
#include "ft_sha256.h"

/* Longest path the walker builds (root + relative path). Linux's PATH_MAX is
 * 4096; a longer one could not be opened anyway. */
#define WALK_MAX_PATH 4096u

/* Bytes read at a time when hashing: large enough that a 50 KB form is one
 * read, small enough for the stack. */
#define PROBE_CHUNK 65536u

void batch_inputs_init(batch_inputs *l)
{
    memset(l, 0, sizeof *l);
}

void batch_inputs_cleanup(batch_inputs *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->v[i].path);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ---- visited directories: an open-addressing set of (dev, ino) ---------- */

typedef struct {
    dev_t dev;
    ino_t ino;
    int used;
} dir_id;

typedef struct {
    dir_id *slot;
    size_t cap, count;
} dir_set;

static size_t dir_hash(dev_t dev, ino_t ino, size_t cap)
{
    uint64_t h = (uint64_t)dev * 0x9E3779B97F4A7C15u ^ (uint64_t)ino;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 32;
    return (size_t)(h & (cap - 1));
}

/* Insert; *fresh = 0 when it was there already. */
static ft_err dir_set_add(dir_set *s, dev_t dev, ino_t ino, int *fresh)
{
    if ((s->count + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        dir_id *n = calloc(ncap, sizeof *n);
        if (!n)
            return FT_NOMEM;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slot[i].used)
                continue;
            size_t j = dir_hash(s->slot[i].dev, s->slot[i].ino, ncap);
            while (n[j].used)
                j = (j + 1) & (ncap - 1);
            n[j] = s->slot[i];
        }
        free(s->slot);
        s->slot = n;
        s->cap = ncap;
    }
    size_t j = dir_hash(dev, ino, s->cap);
    while (s->slot[j].used) {
        if (s->slot[j].dev == dev && s->slot[j].ino == ino) {
            *fresh = 0;
            return FT_OK;
        }
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j].dev = dev;
    s->slot[j].ino = ino;
    s->slot[j].used = 1;
    s->count++;
    *fresh = 1;
    return FT_OK;
}

/* ---- the walk ------------------------------------------------------------ */

typedef struct {
    batch_inputs *l;
    dir_set seen;
    dev_t skip_dev;
    ino_t skip_ino;
    char path[WALK_MAX_PATH]; /* root "/" relative path being visited */
    size_t root_len;          /* bytes of root and its '/' */
    char *msg;
    size_t msglen;
} walker;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_input(const void *a, const void *b)
{
    return strcmp(((const batch_input *)a)->path,
                  ((const batch_input *)b)->path);
}

static ft_err add_input(walker *w, const char *rel, long long size)
{
    batch_inputs *l = w->l;
    if (l->count >= BATCH_MAX_INPUTS) {
        snprintf(w->msg, w->msglen, "more than %u inputs", BATCH_MAX_INPUTS);
        return FT_LIMIT;
    }
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 256;
        batch_input *n = realloc(l->v, ncap * sizeof *n);
        if (!n)
            return FT_NOMEM;
        l->v = n;
        l->cap = ncap;
    }
    batch_input *in = &l->v[l->count];
    memset(in, 0, sizeof *in);
    in->path = strdup(rel);
    if (!in->path)
        return FT_NOMEM;
    in->size = size;
    l->count++;
    return FT_OK;
}

/* Read the names of the directory at w->path (length len), hidden ones left
 * out, sorted. Caller frees each name and the array. */
static ft_err read_names(walker *w, char ***names_out, size_t *count_out)
{
    char **names = NULL;
    size_t count = 0, cap = 0;
    ft_err rc = FT_OK;
    DIR *d = opendir(w->path);
    if (!d) {
        snprintf(w->msg, w->msglen, "%s: cannot open directory: %s", w->path,
                 strerror(errno));
        rc = FT_IO;
        goto out;
    }
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno) {
                snprintf(w->msg, w->msglen, "%s: cannot read directory: %s",
                         w->path, strerror(errno));
                rc = FT_IO;
            }
            break;
        }
        if (e->d_name[0] == '.') {
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                w->l->skipped_hidden++;
            continue;
        }
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            char **n = realloc(names, ncap * sizeof *n);
            if (!n) {
                rc = FT_NOMEM;
                break;
            }
            names = n;
            cap = ncap;
        }
        names[count] = strdup(e->d_name);
        if (!names[count]) {
            rc = FT_NOMEM;
            break;
        }
        count++;
    }
    closedir(d);
    if (!rc && count)
        qsort(names, count, sizeof *names, cmp_str);
out:
    if (rc) {
        for (size_t i = 0; i < count; i++)
            free(names[i]);
        free(names);
        names = NULL;
        count = 0;
    }
    *names_out = names;
    *count_out = count;
    return rc;
}

/* Visit the directory whose full path is w->path[0..len). */
static ft_err walk_dir(walker *w, size_t len, unsigned depth)
{
    char **names = NULL;
    size_t count = 0;
    ft_err rc;

    if (depth > BATCH_MAX_DEPTH) {
        snprintf(w->msg, w->msglen, "%s: deeper than %u directories", w->path,
                 BATCH_MAX_DEPTH);
        return FT_LIMIT;
    }
    rc = read_names(w, &names, &count);
    if (rc)
        goto out;
    for (size_t i = 0; i < count && !rc; i++) {
        size_t nlen = strlen(names[i]);
        if (len + 1 + nlen >= sizeof w->path) {
            snprintf(w->msg, w->msglen, "%s/%s: path too long", w->path,
                     names[i]);
            rc = FT_LIMIT;
            break;
        }
        w->path[len] = '/';
        memcpy(w->path + len + 1, names[i], nlen + 1);
        struct stat st;
        if (stat(w->path, &st) != 0) {
            /* A dangling link, or a file removed while we walk: not an
             * input (if it was one, it is reported as removed). */
            w->l->skipped_special++;
        } else if (S_ISDIR(st.st_mode)) {
            int fresh = 1;
            if (w->skip_ino && st.st_dev == w->skip_dev &&
                st.st_ino == w->skip_ino)
                ; /* the output tree inside the input tree: never inputs */
            else if (!(rc = dir_set_add(&w->seen, st.st_dev, st.st_ino,
                                        &fresh)) && !fresh)
                w->l->skipped_loops++;
            else if (!rc)
                rc = walk_dir(w, len + 1 + nlen, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            rc = add_input(w, w->path + w->root_len, (long long)st.st_size);
        } else {
            w->l->skipped_special++;
        }
        w->path[len] = '\0';
    }
out:
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return rc;
}

ft_err batch_walk(const char *root, dev_t skip_dev, ino_t skip_ino,
                  batch_inputs *l, char *msg, size_t msglen)
{
    walker w;
    ft_err rc = FT_OK;
    struct stat st;
    int fresh;

    memset(&w, 0, sizeof w);
    w.l = l;
    w.skip_dev = skip_dev;
    w.skip_ino = skip_ino;
    w.msg = msg;
    w.msglen = msglen;
    msg[0] = '\0';

    size_t rlen = strlen(root);
    while (rlen > 1 && root[rlen - 1] == '/')
        rlen--;
    if (rlen + 2 >= sizeof w.path) {
        snprintf(msg, msglen, "%s: path too long", root);
        return FT_LIMIT;
    }
    memcpy(w.path, root, rlen);
    w.path[rlen] = '\0';
    if (stat(w.path, &st) != 0) {
        snprintf(msg, msglen, "%s: %s", root, strerror(errno));
        return FT_IO;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(msg, msglen, "%s: not a directory", root);
        return FT_IO;
    }
    rc = dir_set_add(&w.seen, st.st_dev, st.st_ino, &fresh);
    if (rc)
        goto out;
    /* Children are built as root "/" name; for root "/" itself that would
     * be "//name", harmless but ugly: keep one slash. */
    w.root_len = (rlen == 1 && w.path[0] == '/') ? 1 : rlen + 1;
    rc = walk_dir(&w, w.root_len == 1 ? 0 : rlen, 0);
    if (!rc && l->count)
        qsort(l->v, l->count, sizeof *l->v, cmp_input);
out:
    free(w.seen.slot);
    return rc;
}

/* ---- probing ---------------------------------------------------------------- */

static int ends_with_txt(const char *name)
{
    size_t n = strlen(name);
    if (n < 4)
        return 0;
    const char *e = name + n - 4;
    return e[0] == '.' && (e[1] == 't' || e[1] == 'T') &&
           (e[2] == 'x' || e[2] == 'X') && (e[3] == 't' || e[3] == 'T');
}

batch_kind batch_classify(const char *name, const unsigned char *head,
                          size_t len)
{
    static const char magic[] = "%PDF-";
    size_t window = len < BATCH_PDF_MAGIC_WINDOW ? len : BATCH_PDF_MAGIC_WINDOW;
    for (size_t i = 0; i + sizeof magic - 1 <= window; i++)
        if (head[i] == '%' && !memcmp(head + i, magic, sizeof magic - 1))
            return BATCH_KIND_PDF;
    return ends_with_txt(name) ? BATCH_KIND_TEXT : BATCH_KIND_NONE;
}

ft_err batch_probe(const char *root, batch_input *in)
{
    unsigned char buf[PROBE_CHUNK];
    char path[WALK_MAX_PATH];
    ft_sha256 c;
    ft_err rc = FT_OK;
    int fd = -1;
    size_t got = 0;

    in->kind = BATCH_KIND_NONE;
    in->sha256[0] = '\0';
    if ((size_t)snprintf(path, sizeof path, "%s/%s", root, in->path) >=
        sizeof path)
        return FT_LIMIT;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = errno == ENOENT ? FT_NOENT : FT_IO;
        goto out;
    }
    /* Fill the first chunk (a short read is legal) to classify. */
    while (got < sizeof buf) {
        ssize_t n = read(fd, buf + got, sizeof buf - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = FT_IO;
            goto out;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    const char *base = strrchr(in->path, '/');
    in->kind = batch_classify(base ? base + 1 : in->path, buf, got);
    if (in->kind == BATCH_KIND_NONE)
        goto out;
    ft_sha256_init(&c);
    ft_sha256_update(&c, buf, got);
    if (got == sizeof buf) {
        for (;;) {
            ssize_t n = read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                rc = FT_IO;
                goto out;
            }
            if (n == 0)
                break;
            ft_sha256_update(&c, buf, (size_t)n);
        }
    }
    ft_sha256_hex(&c, in->sha256);
out:
    if (fd >= 0)
        close(fd);
    if (rc)
        in->kind = BATCH_KIND_NONE;
    return rc;
}

batch_input *batch_inputs_find(const batch_inputs *l, const char *path)
{
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(path, l->v[mid].path);
        if (c == 0)
            return &l->v[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

unsigned batch_shard_of(const char *sha256, unsigned n)
{
    uint32_t v = 0;
    for (int i = 0; i < 8 && sha256[i]; i++) {
        char ch = sha256[i];
        unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
                     : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                     : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
                                              : 0;
        v = v << 4 | d;
    }
    return n ? v % n : 0;
}
