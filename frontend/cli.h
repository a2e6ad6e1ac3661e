/* Command-line subcommands of `vitrine`. Each lives in its own frontend/cli_*.c and is listed
 * once in frontend/cli_commands.list. A command returns the process exit code (0 ok,
 * 1 guest/runtime failure, 2 usage or bad input) and prints its own messages. */
#ifndef VT_CLI_H
#define VT_CLI_H

#include "core/sched.h"

typedef struct vt_cli_command {
    const char *name;
    const char *summary;
    int (*main)(int argc, char **argv); /* argv[0] is the subcommand name */
} vt_cli_command;

/* Prints "vitrine: message" to stderr (and a hint to use --help) and returns 2. */
int vt_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a duration as --until takes it: digits and a unit ps, ns, us, ms or s ("2s",
 * "150ms"); 0, or -1 for anything else (signs, blanks, beyond 2^64 ps). */
int vt_cli_parse_duration(const char *s, vt_time *out);
/* True when argv has -h/--help. */
int vt_cli_wants_help(int argc, char **argv);

#endif
