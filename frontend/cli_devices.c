/* `vitrine devices [CLASS]`: the device classes a profile's `type =` can name, with their keys
 * (type, default, help), interrupt outputs and whether they need a register window. */
#include "core/device.h"
#include "core/registry.h"
#include "frontend/cli.h"

#include <stdio.h>

static const char *type_name(vt_key_type t) {
    switch (t) {
    case VT_KEY_U64:
        return "number";
    case VT_KEY_STR:
        return "string";
    case VT_KEY_BOOL:
        return "yes/no";
    case VT_KEY_HZ:
        return "Hz";
    }
    return "?";
}

static void print_class(const vt_device_class *c) {
    printf("%s — %s\n", c->name, c->description);
    printf("  %-14s %s\n", "base, size",
           c->needs_mmio ? "required: the register window" : "optional");
    if (c->irq_outputs) {
        char irq[24] = "irq";
        if (c->irq_outputs > 1) snprintf(irq, sizeof irq, "irq..irq%d", c->irq_outputs - 1);
        printf("  %-14s %d interrupt output(s): DEVICE.N, cpu.N or a run like cpu.1-15\n", irq,
               c->irq_outputs);
    }
    if (c->irq_input)
        printf("  %-14s other devices can wire their outputs to it (NAME.N)\n", "inputs");
    if (c->dma_port) printf("  %-14s bus masters can use it (dma = NAME or NAME.N)\n", "DMA ports");
    for (const vt_dev_key *k = c->keys; k && k->name; k++)
        printf("  %-14s %-7s %-20s %s\n", k->name, type_name(k->type),
               k->def ? k->def : "(required)", k->help);
}

int vt_cli_devices(int argc, char **argv) {
    if (vt_cli_wants_help(argc, argv)) {
        printf("usage: vitrine devices [CLASS]\n"
               "Lists the device classes a profile's [device.NAME] `type =` can name, with their\n"
               "keys: type, default and help. Every device also takes type, base, size, space\n"
               "(mem or io) and its interrupt outputs irq, irq1, ... (config/README.md).\n");
        return 0;
    }
    if (argc > 2) return vt_cli_usage_error("devices", "unexpected argument '%s'", argv[2]);
    const vt_registry *r = &vt_registry_builtin;
    if (argc == 2) {
        const vt_device_class *c = vt_registry_class(r, argv[1]);
        if (!c) return vt_cli_usage_error("devices", "unknown device class '%s'", argv[1]);
        print_class(c);
        return 0;
    }
    for (size_t i = 0; r->classes[i]; i++) {
        if (i) printf("\n");
        print_class(r->classes[i]);
    }
    return 0;
}
