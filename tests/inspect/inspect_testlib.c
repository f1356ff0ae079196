/* Test helpers for the formtab-inspect suites (inspect_testlib.h). */
#include "inspect_testlib.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void tl_cell_box(const tl_grid *g, const tl_cell *c, double box[4])
{
    double x = g->x0, y = g->y0;
    for (unsigned i = 1; i < c->col; i++)
        x += g->colw[i - 1];
    for (unsigned i = 1; i < c->row; i++)
        y += g->rowh[i - 1];
    double w = 0, h = 0;
    for (unsigned i = 0; i < c->colspan; i++)
        w += g->colw[c->col - 1 + i];
    for (unsigned i = 0; i < c->rowspan; i++)
        h += g->rowh[c->row - 1 + i];
    box[0] = x;
    box[1] = y;
    box[2] = x + w;
    box[3] = y + h;
}

int tl_make_pdf(const char *path, const tl_grid *g)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, g->page_w, g->page_h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, g->font_pt);
    for (size_t i = 0; i < g->ncells; i++) {
        double b[4];
        tl_cell_box(g, &g->cells[i], b);
        cairo_rectangle(cr, b[0], b[1], b[2] - b[0], b[3] - b[1]);
        cairo_stroke(cr);
        if (g->cells[i].text && g->cells[i].text[0]) {
            cairo_move_to(cr, b[0] + 4, (b[1] + b[3]) / 2 + g->font_pt * 0.35);
            cairo_show_text(cr, g->cells[i].text);
        }
    }
    cairo_show_page(cr);
    int bad = cairo_status(cr) != CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_finish(s);
    bad |= cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return bad ? -1 : 0;
}

char *tl_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t n = strlen(base) + 32;
    char *dir = malloc(n);
    if (!dir)
        return NULL;
    snprintf(dir, n, "%s/ft-inspect-test.XXXXXX", base);
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

void tl_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[4096];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

char *tl_which(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *end = strchr(path, ':');
        size_t n = end ? (size_t)(end - path) : strlen(path);
        char *full = malloc(n + strlen(name) + 2);
        if (!full)
            return NULL;
        memcpy(full, path, n);
        full[n] = '/';
        strcpy(full + n + 1, name);
        if (n > 0 && access(full, X_OK) == 0)
            return full;
        free(full);
        path += n + (end ? 1 : 0);
    }
    return NULL;
}

static int redirect(const char *path, int fd, int flags)
{
    int f = open(path, flags, 0644);
    if (f < 0)
        return -1;
    if (dup2(f, fd) < 0)
        return -1;
    close(f);
    return 0;
}

int tl_run(char *const argv[], const char *out_path, const char *err_path,
           unsigned timeout_s)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* Own process group, so a timeout kills what it started too. */
        setpgid(0, 0);
        if (redirect(out_path ? out_path : "/dev/null", 1,
                     O_WRONLY | O_CREAT | O_TRUNC) ||
            (err_path && redirect(err_path, 2, O_WRONLY | O_CREAT | O_TRUNC)) ||
            redirect("/dev/null", 0, O_RDONLY))
            _exit(126);
        if (strchr(argv[0], '/'))
            execv(argv[0], argv);
        else
            execvp(argv[0], argv);
        _exit(127);
    }
    setpgid(pid, pid);
    int ws;
    struct timespec tick = {0, 20 * 1000 * 1000};
    for (unsigned long waited = 0;; waited += 20) {
        pid_t r = waitpid(pid, &ws, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
            return -1;
        if (waited >= timeout_s * 1000ul) {
            kill(-pid, SIGKILL);
            waitpid(pid, &ws, 0);
            return 128 + SIGKILL;
        }
        nanosleep(&tick, NULL);
    }
    if (WIFEXITED(ws))
        return WEXITSTATUS(ws);
    return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
}

char *tl_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (n < cap)
            break;
        char *p = realloc(buf, cap * 2 + 1);
        if (!p) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = p;
        cap *= 2;
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

char *tl_stream(const char *magic, const char *pdf, const char *sha256,
                const char *body)
{
    size_t n = strlen(magic) + strlen(pdf) + strlen(sha256) + strlen(body) + 32;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s\t1\ndoc\t%s\t%s\tpdf\t1\n%s", magic, pdf, sha256,
                 body);
    return s;
}

int tl_write_file(const char *path, const char *s)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(s);
    int bad = fwrite(s, 1, n, f) != n;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

struct tl_png {
    cairo_surface_t *s;
};

tl_png *tl_png_load(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    tl_png *p = malloc(sizeof *p);
    if (!p) {
        cairo_surface_destroy(s);
        return NULL;
    }
    cairo_surface_flush(s);
    p->s = s;
    return p;
}

void tl_png_free(tl_png *p)
{
    if (!p)
        return;
    cairo_surface_destroy(p->s);
    free(p);
}

int tl_png_width(const tl_png *p)
{
    return cairo_image_surface_get_width(p->s);
}

int tl_png_height(const tl_png *p)
{
    return cairo_image_surface_get_height(p->s);
}

int tl_png_rgb(const tl_png *p, int x, int y, int rgb[3])
{
    if (x < 0 || y < 0 || x >= tl_png_width(p) || y >= tl_png_height(p))
        return -1;
    const unsigned char *data = cairo_image_surface_get_data(p->s);
    int stride = cairo_image_surface_get_stride(p->s);
    unsigned px;
    memcpy(&px, data + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
    /* RGB24 and ARGB32 keep a pixel as a native-endian 32-bit word; the
     * overlay is opaque, so premultiplication changes nothing. */
    rgb[0] = (int)((px >> 16) & 0xff);
    rgb[1] = (int)((px >> 8) & 0xff);
    rgb[2] = (int)(px & 0xff);
    return 0;
}
