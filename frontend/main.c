/* The `vitrine` command: dispatches to the subcommands listed in frontend/cli_commands.list. */
#include "frontend/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define VT_CLI_COMMAND(name, summary, fn) int fn(int argc, char **argv);
#include "frontend/cli_commands.list"
#undef VT_CLI_COMMAND

static const vt_cli_command commands[] = {
#define VT_CLI_COMMAND(name, summary, fn) {#name, summary, fn},
#include "frontend/cli_commands.list"
#undef VT_CLI_COMMAND
};

#define VITRINE_VERSION "0.1.0"

int vt_cli_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vitrine%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(try 'vitrine %s%s--help')\n", cmd ? cmd : "", cmd ? " " : "");
    va_end(ap);
    return 2;
}

int vt_cli_wants_help(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) break;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return 1;
    }
    return 0;
}

static void usage(FILE *f) {
    fprintf(f, "usage: vitrine COMMAND [ARGS...]\n\n"
               "Vitrine " VITRINE_VERSION " — retro-hardware preservation emulator suite.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'vitrine COMMAND --help' describes a command. Exit codes: 0 ok, 1 guest or\n"
               "runtime failure, 2 usage error or bad input.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("vitrine " VITRINE_VERSION "\n");
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].main(argc - 1, argv + 1);
    return vt_cli_usage_error(NULL, "unknown command '%s'", argv[1]);
}
