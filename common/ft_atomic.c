/* Temporary-file-and-rename output. */
#include "ft_atomic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ft_err ft_atomic_open(ft_atomic *a, const char *path)
{
    a->f = NULL;
    a->path = strdup(path);
    size_t n = strlen(path);
    a->tmp = malloc(n + 16);
    if (!a->path || !a->tmp) {
        free(a->path);
        free(a->tmp);
        return FT_NOMEM;
    }
    snprintf(a->tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(a->tmp);
    if (fd < 0)
        goto fail;
    /* mkstemp creates the file 0600; a finished output should have the
     * permissions any other new file gets (0666 less the umask). Reading the
     * umask means setting it: formtab's programs are single-threaded. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        close(fd);
        unlink(a->tmp);
        goto fail;
    }
    a->f = fdopen(fd, "w");
    if (!a->f) {
        close(fd);
        unlink(a->tmp);
        goto fail;
    }
    return FT_OK;
fail:
    free(a->path);
    free(a->tmp);
    a->path = a->tmp = NULL;
    return FT_IO;
}

ft_err ft_atomic_commit(ft_atomic *a)
{
    ft_err rc = FT_OK;
    if (fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0)
        rc = FT_IO;
    if (fclose(a->f) != 0)
        rc = FT_IO;
    a->f = NULL;
    if (!rc && rename(a->tmp, a->path) != 0)
        rc = FT_IO;
    if (rc) {
        int saved = errno;
        unlink(a->tmp);
        errno = saved;
    }
    free(a->path);
    free(a->tmp);
    a->path = a->tmp = NULL;
    return rc;
}

void ft_atomic_abort(ft_atomic *a)
{
    if (a->f)
        fclose(a->f);
    if (a->tmp)
        unlink(a->tmp);
    free(a->path);
    free(a->tmp);
    a->f = NULL;
    a->path = a->tmp = NULL;
}
