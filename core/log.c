/* Categorised logging to stderr; see log.h. */
#include "core/log.h"

#include <stdio.h>
#include <strings.h>

static const struct {
    const char *name;
    unsigned bit;
} cats[] = {
    {"unimp", VT_LOG_UNIMP}, {"cpu", VT_LOG_CPU}, {"mmio", VT_LOG_MMIO},       {"irq", VT_LOG_IRQ},
    {"sched", VT_LOG_SCHED}, {"dev", VT_LOG_DEV}, {"syscall", VT_LOG_SYSCALL}, {"rom", VT_LOG_ROM},
    {"block", VT_LOG_BLOCK}, {"mmu", VT_LOG_MMU}, {"bios", VT_LOG_BIOS},
};

static unsigned log_mask = VT_LOG_UNIMP;

void vt_log_set_mask(unsigned mask) {
    log_mask = mask | VT_LOG_UNIMP;
}
unsigned vt_log_mask(void) {
    return log_mask;
}

const char *vt_log_names(void) {
    return "unimp,cpu,mmio,irq,sched,dev,syscall,rom,block,mmu,bios,all";
}

int vt_log_parse(const char *spec, unsigned *mask, vt_error *err) {
    unsigned m = VT_LOG_UNIMP;
    const char *p = spec;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        bool found = false;
        if (n == 3 && !strncasecmp(p, "all", 3)) {
            m = ~0u;
            found = true;
        } else if (n == 4 && !strncasecmp(p, "none", 4)) {
            found = true;
        }
        for (size_t i = 0; !found && i < VT_ARRAY_LEN(cats); i++) {
            if (strlen(cats[i].name) == n && !strncasecmp(p, cats[i].name, n)) {
                m |= cats[i].bit;
                found = true;
            }
        }
        if (!found)
            return vt_fail(err, "unknown log category '%.*s' (known: %s)", (int)n, p,
                           vt_log_names());
        p += n;
        if (*p == ',') p++;
    }
    *mask = m;
    return 0;
}

void vt_log(vt_log_cat cat, const char *fmt, ...) {
    if (!(log_mask & cat)) return;
    const char *name = "log";
    for (size_t i = 0; i < VT_ARRAY_LEN(cats); i++)
        if (cats[i].bit == (unsigned)cat) name = cats[i].name;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[%s] ", name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
