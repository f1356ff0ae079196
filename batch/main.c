/* formtab-batch: the command line around batch_run() and batch_merge()
 * (batch_run.h). Parses options, runs, and dies of the signal that stopped
 * the run, if one did, so the shell and cron see the truth. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "batch_opts.h"
#include "batch_run.h"
#include "ft_diag.h"
#include "ft_error.h"

#define PROG "formtab-batch"
#ifndef FORMTAB_VERSION
#define FORMTAB_VERSION "unknown"
#endif

int main(int argc, char **argv)
{
    batch_opts o;
    ft_diag d;
    char msg[512];
    int code, signo = 0;

    ft_diag_init(&d, PROG);
    if (batch_opts_parse(&o, argc, argv, msg, sizeof msg)) {
        fprintf(stderr, PROG ": %s\n", msg);
        fprintf(stderr, "Try 'formtab batch --help' for more information.\n");
        return FT_EXIT_USAGE;
    }
    if (o.help) {
        batch_opts_usage(stdout);
        return ft_close_stdout(&d) ? FT_EXIT_IO : FT_EXIT_OK;
    }
    if (o.version) {
        puts("formtab-batch " FORMTAB_VERSION);
        return ft_close_stdout(&d) ? FT_EXIT_IO : FT_EXIT_OK;
    }
    code = o.merge ? batch_merge(&o) : batch_run(&o, &signo);
    batch_opts_cleanup(&o);
    if (ft_close_stdout(&d) && code == FT_EXIT_OK)
        code = FT_EXIT_IO;
    if (signo) {
        signal(signo, SIG_DFL);
        raise(signo);
    }
    return code;
}
