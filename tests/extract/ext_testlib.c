/* Test helpers for the extract suites (see ext_testlib.h). */
#include "ext_testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[4096];

static void remove_tmpdir(void)
{
    char cmd[4200];
    if (!tmpdir[0])
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
}

const char *t_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/ftext.XXXXXX", base ? base : "/tmp");
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            exit(99);
        }
        atexit(remove_tmpdir);
    }
    return tmpdir;
}

char *t_path(const char *name)
{
    size_t n = strlen(t_tmpdir()) + strlen(name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", t_tmpdir(), name);
    return p;
}

char *t_write(const char *name, const void *bytes, size_t len)
{
    char *p = t_path(name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
        perror(p);
        exit(99);
    }
    return p;
}

char *t_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            cap = (n + 65536 + 1) * 2;
            buf = realloc(buf, cap);
        }
        size_t k = fread(buf + n, 1, 65536, f);
        n += k;
        if (k == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void t_extract(ext_run *r, const char *const *argv, const char *stdin_path)
{
    const char *argv0 = FORMTAB_BINARY_DIR "/formtab-extract";
    char *outp = t_path("run.out"), *errp = t_path("run.err");
    const char *args[64];
    size_t n = 0;
    struct timespec t0, t1;
    args[n++] = argv0;
    for (size_t i = 0; argv[i] && n < 63; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    memset(r, 0, sizeof *r);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid == 0) {
        int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
        int out = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0)
            _exit(97);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execv(argv0, (char *const *)args);
        _exit(98);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
            (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r->out = t_read(outp, &r->out_len);
    r->err = t_read(errp, &r->err_len);
    free(outp);
    free(errp);
}

void ext_run_cleanup(ext_run *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

int t_count_records(const char *s, const char *type)
{
    int n = 0;
    size_t tl = strlen(type);
    const char *p = s;
    while (p && *p) {
        if (!strncmp(p, type, tl) && p[tl] == '\t')
            n++;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return n;
}

int t_count_lines(const char *s)
{
    int n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

char *t_iconv(const char *s, const char *encoding, size_t *len)
{
    iconv_t cd = iconv_open(encoding, "UTF-8");
    size_t inleft = strlen(s), cap = inleft * 4 + 16, outleft = cap;
    char *out = malloc(cap), *dst = out, *src = (char *)s;
    if (cd == (iconv_t)-1 || iconv(cd, &src, &inleft, &dst, &outleft) == (size_t)-1) {
        fprintf(stderr, "iconv to %s failed\n", encoding);
        exit(99);
    }
    iconv_close(cd);
    *len = (size_t)(dst - out);
    return out;
}

int t_sh(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *t_find(char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (hay[i] == needle[0] && !memcmp(hay + i, needle, n))
            return hay + i;
    return NULL;
}
