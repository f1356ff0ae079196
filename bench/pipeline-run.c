/* pipeline-run: run a command and write its wall time, CPU time and peak
 * resident memory to a file, with microsecond resolution (GNU time prints
 * centiseconds, too coarse for a one-page run). Used by scripts/bench.
 *
 *   pipeline-run OUTFILE CMD [ARG]...
 *
 * OUTFILE gets one line "WALL_S CPU_S MAXRSS_KIB" (CPU = user + system of
 * the command and everything it waited for). stdin, stdout and stderr are
 * the command's. Exits with the command's status (128+N for signal N). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double secs(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    struct timespec t0, t1;
    struct rusage ru;
    int status = 0;
    if (argc < 3) {
        fprintf(stderr, "usage: pipeline-run OUTFILE CMD [ARG]...\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("pipeline-run: fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("pipeline-run: exec");
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("pipeline-run: wait4");
        return 127;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 127;
    }
    fprintf(f, "%.6f %.6f %ld\n",
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
            secs(ru.ru_utime) + secs(ru.ru_stime), ru.ru_maxrss);
    if (fclose(f) != 0)
        return 127;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
