/* `vitrine kiosk KIOSK.ini`: museum kiosk mode (frontend/kiosk.h). Exit 0 when the attendant
 * quits (or on SIGTERM), 2 for a bad kiosk file or title, 1 when the window cannot open. */
#include "frontend/cli.h"
#include "frontend/kiosk.h"

#include <stdio.h>

int vt_cli_kiosk(int argc, char **argv) {
    if (vt_cli_wants_help(argc, argv)) {
        printf("usage: vitrine kiosk KIOSK.ini\n"
               "  fullscreen kiosk: titles, attendant chord (+PIN) menu, idle reset to pristine,\n"
               "  watchdog; see config/kiosk/example.ini\n");
        return 0;
    }
    if (argc != 2) return vt_cli_usage_error("kiosk", "needs exactly one KIOSK.ini");
    vt_kiosk_config cfg;
    vt_error err;
    if (vt_kiosk_config_load(argv[1], &cfg, &err) || vt_kiosk_check(&cfg, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        return 2;
    }
    if (vt_kiosk_run(&cfg, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        return 1;
    }
    return 0;
}
