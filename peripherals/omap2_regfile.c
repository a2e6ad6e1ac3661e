/* OMAP2 register-file block ("omap2-regs"): a window of 32-bit registers that read back what
 * was written, with declared power-on values (`values`), read-only identification registers
 * (`readonly`), and the OCP interface every OMAP2 L4 module has: a SYSCONFIG whose SOFTRESET
 * bit (1) restores the power-on values and clears itself, and a SYSSTATUS whose RESETDONE bit
 * (0) reads 1. 8/16-bit accesses reach their part of a word. For blocks whose registers Linux only
 * programs or identifies (TAP/ID, control module pad mux, SDRC/SMS/GPMC set-up, interconnect
 * agents): no function behind them, which hwdocs/omap2420_n800.md lists per instance. Misaligned
 * accesses are logged. Sources: OMAP2420 TRM (OCP SYSCONFIG/SYSSTATUS convention, per-module
 * register maps). */
#include "peripherals/omap2_regfile.h"

#include "core/savestate.h"

#include <stdlib.h>

#define MAX_WORDS 32768 /* 128 KiB window */
#define SYSC_SOFTRESET 0x2
#define SYSS_RESETDONE 0x1
#define NO_REG UINT64_MAX

typedef vt_omap2_regfile regfile;

/* Parses "OFF=VAL,OFF=VAL" (values) or "OFF,OFF" (readonly) into the tables. */
static int parse_list(regfile *f, const char *key, const char *s, bool with_values, vt_error *err) {
    char *copy = strdup(s), *save = NULL;
    if (!copy) return vt_fail(err, "out of memory");
    int rc = 0;
    for (char *tok = strtok_r(copy, ", \t", &save); tok && !rc;
         tok = strtok_r(NULL, ", \t", &save)) {
        char *eq = strchr(tok, '=');
        uint64_t off, val = 0;
        if (eq) *eq = 0;
        if ((eq != NULL) != with_values || vt_parse_u64(tok, &off) ||
            (eq && vt_parse_u64(eq + 1, &val)) || off % 4 || off / 4 >= f->nwords ||
            val > UINT32_MAX) {
            rc = vt_fail(err, "%s: bad entry '%s' (%s)", key, tok,
                         with_values ? "OFFSET=VALUE, offset word-aligned inside the window"
                                     : "OFFSET, word-aligned inside the window");
            break;
        }
        if (with_values)
            f->init[off / 4] = (uint32_t)val;
        else
            f->ro[off / 4] = 1;
    }
    free(copy);
    return rc;
}

static int parse_off(regfile *f, vt_device *d, const char *key, uint64_t *out, vt_error *err) {
    const char *s = vt_dev_str(d, key);
    if (!strcmp(s, "none")) {
        *out = NO_REG;
        return 0;
    }
    if (vt_parse_u64(s, out) || *out % 4 || *out / 4 >= f->nwords)
        return vt_fail(err, "%s: '%s' is not a word offset inside the window (or none)", key, s);
    return 0;
}

uint64_t vt_omap2_regfile_read(vt_omap2_regfile *f, uint64_t off, unsigned size) {
    if (size > 4 || off % size) {
        vt_dev_log_unknown(f->dev, "read", off, size, 0);
        return 0;
    }
    uint64_t w = off & ~3ull;
    uint32_t v = f->reg[w / 4] | (w == f->syss ? SYSS_RESETDONE : 0);
    return size == 4 ? v : (v >> (8 * (off & 3))) & ((1u << (8 * size)) - 1);
}

/* 8- and 16-bit accesses (16-bit blocks such as the MMC/SD host) reach their part of a word. */
void vt_omap2_regfile_write(vt_omap2_regfile *f, uint64_t off, uint64_t v, unsigned size) {
    if (size > 4 || off % size) {
        vt_dev_log_unknown(f->dev, "write", off, size, v);
        return;
    }
    uint64_t w = off & ~3ull;
    if (f->ro[w / 4]) return; /* identification registers ignore writes */
    if (size < 4) {
        unsigned sh = 8 * (unsigned)(off & 3);
        uint32_t mask = ((1u << (8 * size)) - 1) << sh;
        v = (f->reg[w / 4] & ~mask) | (((uint32_t)v << sh) & mask);
    }
    if (w == f->sysc && (v & SYSC_SOFTRESET)) {
        memcpy(f->reg, f->init, f->nwords * sizeof *f->reg);
        v &= ~(uint64_t)SYSC_SOFTRESET;
    }
    f->reg[w / 4] = (uint32_t)v;
}

static uint64_t rf_read(void *opaque, uint64_t off, unsigned size) {
    return vt_omap2_regfile_read(opaque, off, size);
}

static void rf_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    vt_omap2_regfile_write(opaque, off, v, size);
}

static const vt_mmio_ops rf_ops = {rf_read, rf_write};

void vt_omap2_regfile_free(vt_omap2_regfile *f) {
    if (f) {
        free(f->reg);
        free(f->init);
        free(f->ro);
    }
    free(f);
}

static void rf_destroy(vt_device *d) {
    vt_omap2_regfile_free(d->priv);
}

int vt_omap2_regfile_new(vt_device *d, vt_omap2_regfile **out, vt_error *err) {
    if (d->size % 4 || d->size / 4 > MAX_WORDS)
        return vt_fail(err, "size must be a multiple of 4 up to 0x%x", MAX_WORDS * 4);
    regfile *f = calloc(1, sizeof *f);
    if (!f) return vt_fail(err, "out of memory");
    *out = f;
    f->dev = d;
    f->nwords = (uint32_t)(d->size / 4);
    f->reg = calloc(f->nwords, sizeof *f->reg);
    f->init = calloc(f->nwords, sizeof *f->init);
    f->ro = calloc(f->nwords, 1);
    if (!f->reg || !f->init || !f->ro) return vt_fail(err, "out of memory");
    if (parse_list(f, "values", vt_dev_str(d, "values"), true, err) ||
        parse_list(f, "readonly", vt_dev_str(d, "readonly"), false, err) ||
        parse_off(f, d, "sysconfig", &f->sysc, err) || parse_off(f, d, "sysstatus", &f->syss, err))
        return -1;
    return 0;
}

static int rf_create(vt_device *d, vt_error *err) {
    vt_omap2_regfile *f = NULL;
    int rc = vt_omap2_regfile_new(d, &f, err);
    d->priv = f; /* freed by destroy, also after a failure */
    if (rc) return -1;
    return vt_dev_map_mmio(d, &rf_ops, f, VT_LITTLE_ENDIAN, err);
}

void vt_omap2_regfile_reset(vt_omap2_regfile *f) {
    memcpy(f->reg, f->init, f->nwords * sizeof *f->reg);
}

static void rf_reset(vt_device *d) {
    vt_omap2_regfile_reset(d->priv);
}

void vt_omap2_regfile_save(const vt_omap2_regfile *f, vt_state_writer *w) {
    vt_state_begin(w, "O2RF", 1);
    vt_state_put_u32(w, f->nwords);
    for (uint32_t i = 0; i < f->nwords; i++)
        vt_state_put_u32(w, f->reg[i]);
    vt_state_end(w);
}

static void rf_save(const vt_device *d, vt_state_writer *w) {
    vt_omap2_regfile_save(d->priv, w);
}

int vt_omap2_regfile_load(vt_omap2_regfile *f, vt_state_reader *r) {
    uint32_t ver;
    if (vt_state_open(r, "O2RF", 1, &ver)) return -1;
    if (vt_state_get_u32(r) != f->nwords) {
        vt_state_fail(r, "%s: register window size differs", f->dev->name);
        return -1;
    }
    for (uint32_t i = 0; i < f->nwords; i++)
        f->reg[i] = vt_state_get_u32(r);
    return vt_state_close(r);
}

static int rf_load(vt_device *d, vt_state_reader *r) {
    return vt_omap2_regfile_load(d->priv, r);
}

const vt_dev_key vt_omap2_regfile_keys[] = {
    {"values", VT_KEY_STR, "", "power-on values: OFFSET=VALUE, comma separated"},
    {"readonly", VT_KEY_STR, "", "offsets whose writes are ignored (ID registers)"},
    {"sysconfig", VT_KEY_STR, "none", "offset of the OCP SYSCONFIG (SOFTRESET = bit 1), or none"},
    {"sysstatus", VT_KEY_STR, "none", "offset of the OCP SYSSTATUS (RESETDONE = bit 0), or none"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_omap2_regs = {
    .name = "omap2-regs",
    .description = "OMAP2 register-file block (OCP SYSCONFIG/SYSSTATUS, declared ID values)",
    .keys = vt_omap2_regfile_keys,
    .needs_mmio = true,
    .create = rf_create,
    .reset = rf_reset,
    .save = rf_save,
    .load = rf_load,
    .destroy = rf_destroy,
};
