/* The manifest in SQLite: schema, prepared statements, row I/O. */
#include "batch_manifest.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

/* Schema version kept in PRAGMA user_version. A file with a higher number
 * was written by a newer formtab and is refused rather than misread. */
#define MANIFEST_SCHEMA 1
#define SCHEMA_STR "1" /* MANIFEST_SCHEMA as a string literal */

/* How long a statement waits for a lock held by another connection (the
 * sqlite3 shell reading the manifest while a run writes). Runs themselves
 * never share a manifest: the batch lock keeps them apart. */
#define MANIFEST_BUSY_MS 10000

struct batch_manifest {
    sqlite3 *db;
    sqlite3_stmt *get, *put, *del, *loaded;
    char msg[512];
};

static const char *const status_names[] = {"pending", "ok",      "partial",
                                           "failed",  "timeout", "removed"};

const char *batch_status_name(batch_status s)
{
    if ((unsigned)s < sizeof status_names / sizeof *status_names)
        return status_names[s];
    return "unknown";
}

ft_err batch_status_parse(const char *s, batch_status *out)
{
    for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++)
        if (!strcmp(s, status_names[i])) {
            *out = (batch_status)i;
            return FT_OK;
        }
    return FT_FORMAT;
}

void batch_row_init(batch_row *r)
{
    memset(r, 0, sizeof *r);
}

void batch_row_cleanup(batch_row *r)
{
    free(r->path);
    free(r->config);
    free(r->output);
    free(r->old_output);
    free(r->error);
    batch_row_init(r);
}

static int dup_or_null(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

ft_err batch_row_copy(batch_row *dst, const batch_row *src)
{
    batch_row t = *src;
    t.path = t.config = t.output = t.old_output = t.error = NULL;
    if (dup_or_null(&t.path, src->path) ||
        dup_or_null(&t.config, src->config) ||
        dup_or_null(&t.output, src->output) ||
        dup_or_null(&t.old_output, src->old_output) ||
        dup_or_null(&t.error, src->error)) {
        batch_row_cleanup(&t);
        return FT_NOMEM;
    }
    batch_row_cleanup(dst);
    *dst = t;
    return FT_OK;
}

static ft_err db_fail(batch_manifest *m, const char *what)
{
    snprintf(m->msg, sizeof m->msg, "manifest: %s: %s", what,
             sqlite3_errmsg(m->db));
    return FT_IO;
}

static ft_err exec(batch_manifest *m, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(m->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        snprintf(m->msg, sizeof m->msg, "manifest: %s", err ? err : "error");
        sqlite3_free(err);
        return FT_IO;
    }
    return FT_OK;
}

#define ROW_COLUMNS                                                         \
    "path, sha256, size, status, config, output, old_output, pages, "       \
    "failed_pages, tables, records, warnings, seconds, exit_code, error, "  \
    "loaded, updated"

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS files ("
    " path TEXT PRIMARY KEY NOT NULL,"   /* input, relative to IN_DIR */
    " sha256 TEXT NOT NULL,"             /* content the row describes */
    " size INTEGER NOT NULL,"
    " status TEXT NOT NULL,"             /* batch_status_name() */
    " config TEXT NOT NULL,"             /* options fingerprint */
    " output TEXT,"                      /* relative to OUT_DIR */
    " old_output TEXT,"                  /* earlier output still to delete */
    " pages INTEGER NOT NULL DEFAULT 0,"
    " failed_pages INTEGER NOT NULL DEFAULT 0,"
    " tables INTEGER NOT NULL DEFAULT 0,"
    " records INTEGER NOT NULL DEFAULT 0,"
    " warnings INTEGER NOT NULL DEFAULT 0,"
    " seconds REAL NOT NULL DEFAULT 0,"
    " exit_code INTEGER NOT NULL DEFAULT 0,"
    " error TEXT,"
    " loaded INTEGER NOT NULL DEFAULT 0,"
    " updated TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS files_sha256 ON files(sha256);";

ft_err batch_manifest_open(const char *path, batch_manifest **out, char *msg,
                           size_t msglen)
{
    batch_manifest *m = calloc(1, sizeof *m);
    ft_err rc = FT_OK;
    int version = 0;
    sqlite3_stmt *st = NULL;

    *out = NULL;
    if (!m) {
        snprintf(msg, msglen, "out of memory");
        return FT_NOMEM;
    }
    if (sqlite3_open_v2(path, &m->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = db_fail(m, path);
        goto out;
    }
    sqlite3_busy_timeout(m->db, MANIFEST_BUSY_MS);
    if ((rc = exec(m, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")))
        goto out;
    if (sqlite3_prepare_v2(m->db, "PRAGMA user_version", -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = db_fail(m, "reading the schema version");
        goto out;
    }
    version = sqlite3_column_int(st, 0);
    if (version > MANIFEST_SCHEMA) {
        snprintf(m->msg, sizeof m->msg,
                 "manifest: %s: schema %d is newer than this formtab (%d)",
                 path, version, MANIFEST_SCHEMA);
        rc = FT_VERSION;
        goto out;
    }
    if ((rc = exec(m, "BEGIN IMMEDIATE")))
        goto out;
    if ((rc = exec(m, schema_sql)) ||
        (rc = exec(m, "PRAGMA user_version=" SCHEMA_STR))) {
        ft_err ignored = exec(m, "ROLLBACK");
        (void)ignored;
        goto out;
    }
    if ((rc = exec(m, "COMMIT")))
        goto out;
    if (sqlite3_prepare_v2(m->db,
                           "SELECT " ROW_COLUMNS " FROM files WHERE path=?1",
                           -1, &m->get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(
            m->db,
            "INSERT OR REPLACE INTO files (" ROW_COLUMNS ") VALUES "
            "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)",
            -1, &m->put, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m->db, "DELETE FROM files WHERE path=?1", -1,
                           &m->del, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m->db, "UPDATE files SET loaded=?2 WHERE path=?1",
                           -1, &m->loaded, NULL) != SQLITE_OK) {
        rc = db_fail(m, "preparing statements");
        goto out;
    }
out:
    sqlite3_finalize(st);
    if (rc) {
        snprintf(msg, msglen, "%s", m->msg);
        batch_manifest_free(m);
        m = NULL;
    }
    *out = m;
    return rc;
}

void batch_manifest_free(batch_manifest *m)
{
    if (!m)
        return;
    sqlite3_finalize(m->get);
    sqlite3_finalize(m->put);
    sqlite3_finalize(m->del);
    sqlite3_finalize(m->loaded);
    sqlite3_close(m->db);
    free(m);
}

const char *batch_manifest_errmsg(const batch_manifest *m)
{
    return m->msg;
}

/* Column i as a fresh string or NULL; -1 on allocation failure. */
static int col_str(sqlite3_stmt *st, int i, char **out)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    *out = NULL;
    if (!s)
        return 0;
    int n = sqlite3_column_bytes(st, i);
    *out = malloc((size_t)n + 1);
    if (!*out)
        return -1;
    memcpy(*out, s, (size_t)n);
    (*out)[n] = '\0';
    return 0;
}

static void col_fixed(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", s ? (const char *)s : "");
}

/* Fill r from the current row of st (columns in ROW_COLUMNS order). */
static ft_err read_row(batch_manifest *m, sqlite3_stmt *st, batch_row *r)
{
    char status[16];
    batch_row t;
    batch_row_init(&t);
    if (col_str(st, 0, &t.path) || col_str(st, 4, &t.config) ||
        col_str(st, 5, &t.output) || col_str(st, 6, &t.old_output) ||
        col_str(st, 14, &t.error)) {
        batch_row_cleanup(&t);
        return FT_NOMEM;
    }
    col_fixed(st, 1, t.sha256, sizeof t.sha256);
    t.size = sqlite3_column_int64(st, 2);
    col_fixed(st, 3, status, sizeof status);
    if (batch_status_parse(status, &t.status)) {
        snprintf(m->msg, sizeof m->msg, "manifest: %s: unknown status '%s'",
                 t.path ? t.path : "?", status);
        batch_row_cleanup(&t);
        return FT_FORMAT;
    }
    t.pages = (unsigned long)sqlite3_column_int64(st, 7);
    t.failed_pages = (unsigned long)sqlite3_column_int64(st, 8);
    t.tables = (unsigned long)sqlite3_column_int64(st, 9);
    t.records = (unsigned long)sqlite3_column_int64(st, 10);
    t.warnings = (unsigned long)sqlite3_column_int64(st, 11);
    t.seconds = sqlite3_column_double(st, 12);
    t.exit_code = sqlite3_column_int(st, 13);
    t.loaded = sqlite3_column_int(st, 15);
    col_fixed(st, 16, t.updated, sizeof t.updated);
    if (!t.config && !(t.config = strdup(""))) {
        batch_row_cleanup(&t);
        return FT_NOMEM;
    }
    batch_row_cleanup(r);
    *r = t;
    return FT_OK;
}

ft_err batch_manifest_get(batch_manifest *m, const char *path, batch_row *r,
                          int *found)
{
    ft_err rc = FT_OK;
    *found = 0;
    sqlite3_reset(m->get);
    sqlite3_bind_text(m->get, 1, path, -1, SQLITE_STATIC);
    int s = sqlite3_step(m->get);
    if (s == SQLITE_ROW) {
        rc = read_row(m, m->get, r);
        if (!rc)
            *found = 1;
    } else if (s != SQLITE_DONE) {
        rc = db_fail(m, "reading a row");
    }
    sqlite3_reset(m->get);
    sqlite3_clear_bindings(m->get);
    return rc;
}

/* The current UTC time as 2026-11-23T18:22:51.123456Z: fixed width, so
 * string order is time order (merging compares them). */
static void utc_now(char *out, size_t cap)
{
    struct timespec ts;
    struct tm tm;
    char base[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, cap, "%.19s.%06dZ", base, (int)(ts.tv_nsec / 1000 % 1000000));
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

ft_err batch_manifest_put(batch_manifest *m, const batch_row *r,
                          int keep_time)
{
    char now[40];
    sqlite3_stmt *st = m->put;
    ft_err rc = FT_OK;

    if (keep_time && r->updated[0])
        snprintf(now, sizeof now, "%s", r->updated);
    else
        utc_now(now, sizeof now);
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, r->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, r->size);
    sqlite3_bind_text(st, 4, batch_status_name(r->status), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->config ? r->config : "", -1, SQLITE_STATIC);
    bind_text_or_null(st, 6, r->output);
    bind_text_or_null(st, 7, r->old_output);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)r->pages);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)r->failed_pages);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)r->tables);
    sqlite3_bind_int64(st, 11, (sqlite3_int64)r->records);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)r->warnings);
    sqlite3_bind_double(st, 13, r->seconds);
    sqlite3_bind_int(st, 14, r->exit_code);
    bind_text_or_null(st, 15, r->error);
    sqlite3_bind_int(st, 16, r->loaded ? 1 : 0);
    sqlite3_bind_text(st, 17, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = db_fail(m, "writing a row");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

ft_err batch_manifest_set_loaded(batch_manifest *m, const char *path,
                                 int loaded)
{
    ft_err rc = FT_OK;
    sqlite3_reset(m->loaded);
    sqlite3_bind_text(m->loaded, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int(m->loaded, 2, loaded ? 1 : 0);
    if (sqlite3_step(m->loaded) != SQLITE_DONE)
        rc = db_fail(m, "marking a row loaded");
    sqlite3_reset(m->loaded);
    sqlite3_clear_bindings(m->loaded);
    return rc;
}

ft_err batch_manifest_delete(batch_manifest *m, const char *path)
{
    ft_err rc = FT_OK;
    sqlite3_reset(m->del);
    sqlite3_bind_text(m->del, 1, path, -1, SQLITE_STATIC);
    if (sqlite3_step(m->del) != SQLITE_DONE)
        rc = db_fail(m, "deleting a row");
    sqlite3_reset(m->del);
    sqlite3_clear_bindings(m->del);
    return rc;
}

ft_err batch_manifest_each(batch_manifest *m, batch_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;
    batch_row r;
    ft_err rc = FT_OK;
    batch_row_init(&r);
    if (sqlite3_prepare_v2(m->db,
                           "SELECT " ROW_COLUMNS " FROM files ORDER BY path",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(m, "listing rows");
        goto out;
    }
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_ROW) {
            rc = db_fail(m, "listing rows");
            break;
        }
        if ((rc = read_row(m, st, &r)))
            break;
        if ((rc = fn(ctx, &r)))
            break;
    }
out:
    batch_row_cleanup(&r);
    sqlite3_finalize(st);
    return rc;
}

ft_err batch_manifest_count(batch_manifest *m, unsigned long *n)
{
    sqlite3_stmt *st = NULL;
    ft_err rc = FT_OK;
    *n = 0;
    if (sqlite3_prepare_v2(m->db, "SELECT count(*) FROM files", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = db_fail(m, "counting rows");
    else
        *n = (unsigned long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

ft_err batch_manifest_begin(batch_manifest *m)
{
    return exec(m, "BEGIN IMMEDIATE");
}

ft_err batch_manifest_commit(batch_manifest *m)
{
    return exec(m, "COMMIT");
}

int batch_row_newer(const batch_row *a, const batch_row *b)
{
    int ar = a->status == BATCH_REMOVED, br = b->status == BATCH_REMOVED;
    if (ar != br)
        return ar; /* b wins when only a is removed */
    int c = strcmp(a->updated, b->updated);
    if (c)
        return c < 0;
    c = strcmp(a->sha256, b->sha256);
    if (c)
        return c < 0;
    return (int)b->status > (int)a->status;
}
