/* Messages and exit codes for ft_err, generated from FT_ERRNO_MAP. */
#include "ft_error.h"

const char *ft_strerror(ft_err err)
{
    switch (err) {
#define FT__MSG(name, code, msg) case FT_##name: return msg;
        FT_ERRNO_MAP(FT__MSG)
#undef FT__MSG
    case FT__ERR_COUNT:
        break;
    }
    return "unknown error";
}

int ft_exit_code(ft_err err)
{
    switch (err) {
#define FT__CODE(name, code, msg) case FT_##name: return code;
        FT_ERRNO_MAP(FT__CODE)
#undef FT__CODE
    case FT__ERR_COUNT:
        break;
    }
    return FT_EXIT_INTERNAL;
}
