/* Device-class registry and the helpers device models use while being created. */
#include "core/device.h"

#include "core/config.h"
#include "core/log.h"
#include "core/machine.h"
#include "core/registry.h"

#include <stdio.h>
#include <stdlib.h>

static const vt_dev_key *find_key(const vt_device *d, const char *key) {
    for (const vt_dev_key *k = d->cls->keys; k && k->name; k++)
        if (!strcmp(k->name, key)) return k;
    return NULL;
}

/* The INI entry for a declared key, or NULL when the default applies. */
static vt_cfg_entry *entry(vt_device *d, const char *key, const vt_dev_key **decl) {
    *decl = find_key(d, key);
    return vt_cfg_get(d->cfg, key);
}

int vt_dev_u64(vt_device *d, const char *key, uint64_t *out, vt_error *err) {
    const vt_dev_key *k;
    vt_cfg_entry *e = entry(d, key, &k);
    if (!k) return vt_fail(err, "device class '%s' reads undeclared key '%s'", d->cls->name, key);
    const char *text = e ? e->value : k->def;
    if (!text) return vt_cfg_section_fail(err, d->cfg, "[%s] needs '%s'", d->cfg->name, key);
    if (vt_parse_u64(text, out)) {
        if (e) return vt_cfg_fail(err, e, "bad number '%s' for '%s'", text, key);
        return vt_fail(err, "device class '%s': bad default for '%s'", d->cls->name, key);
    }
    if (k->type == VT_KEY_HZ && e) return vt_cfg_check_hz(e, *out, err);
    return 0;
}

int vt_dev_bool(vt_device *d, const char *key, bool *out, vt_error *err) {
    const vt_dev_key *k = find_key(d, key);
    if (!k) return vt_fail(err, "device class '%s' reads undeclared key '%s'", d->cls->name, key);
    bool def =
        k->def && (!strcmp(k->def, "yes") || !strcmp(k->def, "true") || !strcmp(k->def, "1"));
    return vt_cfg_bool(d->cfg, key, def, out, err);
}

const char *vt_dev_str(vt_device *d, const char *key) {
    const vt_dev_key *k;
    vt_cfg_entry *e = entry(d, key, &k);
    return e ? e->value : (k ? k->def : NULL);
}

int vt_dev_map_mmio(vt_device *d, const vt_mmio_ops *ops, void *opaque, vt_endian endian,
                    vt_error *err) {
    vt_error sub;
    if (vt_bus_add_mmio(d->io_space ? &d->machine->io : &d->machine->bus, d->name, d->base, d->size,
                        ops, opaque, endian, &sub)) {
        vt_cfg_entry *e = vt_cfg_get(d->cfg, "base");
        return e ? vt_cfg_fail(err, e, "%s", sub.msg)
                 : vt_cfg_section_fail(err, d->cfg, "%s", sub.msg);
    }
    return 0;
}

int vt_dev_dma(vt_device *d, const char *key, vt_dma *out, vt_error *err) {
    const char *v = vt_dev_str(d, key);
    vt_cfg_entry *e = vt_cfg_get(d->cfg, key);
    if (!v) return vt_cfg_section_fail(err, d->cfg, "[%s] needs '%s'", d->cfg->name, key);
    if (!strcmp(v, "memory")) {
        vt_dma_bus_port(vt_dev_bus(d), out);
        return 0;
    }
    char name[64];
    uint64_t n = 0;
    const char *dot = strrchr(v, '.');
    size_t len = dot ? (size_t)(dot - v) : strlen(v);
    vt_error sub;
    if (len >= sizeof name || (dot && (vt_parse_u64(dot + 1, &n) || n > 255)))
        vt_fail(&sub, "'%s' must be memory, DEVICE or DEVICE.N, not '%s'", key, v);
    else {
        snprintf(name, sizeof name, "%.*s", (int)len, v);
        vt_device *t = vt_machine_device(d->machine, name);
        if (!t)
            vt_fail(&sub, "no device '%s' for '%s' (declare it before this one)", name, key);
        else if (!t->cls->dma_port)
            vt_fail(&sub, "device '%s' (%s) offers no DMA port", name, t->cls->name);
        else if (!t->cls->dma_port(t, (int)n, out, &sub))
            return 0;
    }
    return e ? vt_cfg_fail(err, e, "%s", sub.msg) : vt_fail(err, "%s", sub.msg);
}

/* Parses an endpoint-index key: `none`/`-1` gives -1, else an index below limit. */
static int endpoint_index(vt_device *d, const char *key, int limit, int *out, vt_error *err) {
    const char *s = vt_dev_str(d, key);
    uint64_t idx;
    *out = -1;
    if (!s || !strcmp(s, "none") || !strcmp(s, "-1")) return 0;
    if (vt_dev_u64(d, key, &idx, err)) return -1;
    if (idx >= (uint64_t)limit) {
        vt_cfg_entry *e = vt_cfg_get(d->cfg, key);
        return e ? vt_cfg_fail(err, e, "%s must be 0..%d or none", key, limit - 1)
                 : vt_fail(err, "%s must be 0..%d or none", key, limit - 1);
    }
    *out = (int)idx;
    return 0;
}

int vt_dev_serial(vt_device *d, const char *key, vt_chardev **out, vt_error *err) {
    int i;
    if (endpoint_index(d, key, VT_MAX_SERIAL, &i, err)) return -1;
    *out = i < 0 ? NULL : d->machine->opts.serial[i];
    return 0;
}

int vt_dev_disk(vt_device *d, const char *key, struct vt_block **out, vt_error *err) {
    int i;
    if (endpoint_index(d, key, VT_MAX_DISKS, &i, err)) return -1;
    *out = i < 0 ? NULL : d->machine->opts.disks[i];
    return 0;
}

int vt_dev_cdrom(vt_device *d, const char *key, struct vt_block **out, vt_error *err) {
    int i;
    if (endpoint_index(d, key, VT_MAX_CDROMS, &i, err)) return -1;
    *out = i < 0 ? NULL : d->machine->opts.cdroms[i];
    return 0;
}

int vt_dev_net(vt_device *d, const char *key, struct vt_net **out, vt_error *err) {
    int i;
    if (endpoint_index(d, key, VT_MAX_NETS, &i, err)) return -1;
    *out = i < 0 ? NULL : d->machine->opts.nets[i];
    return 0;
}

void vt_dev_request_stop(vt_device *d, int exit_status) {
    vt_machine_request_stop(d->machine, exit_status);
}

vt_device *vt_dev_peer(vt_device *d, const char *name) {
    return vt_machine_device(d->machine, name);
}

void vt_dev_request_reset(vt_device *d) {
    vt_machine_reset(d->machine);
}

int vt_dev_romfile(vt_device *d, const char *set_key, const char *file_key, uint8_t **data,
                   size_t *len, vt_error *err) {
    *data = NULL;
    *len = 0;
    const char *set = vt_dev_str(d, set_key), *file = vt_dev_str(d, file_key);
    if (!set || !strcmp(set, "none")) return 0;
    if (!file) return vt_cfg_section_fail(err, d->cfg, "[%s] needs '%s'", d->cfg->name, file_key);
    const vt_registry *r = d->machine->registry;
    vt_rom_file f;
    vt_error sub;
    int st = r->rom_open(set, file, d->machine->opts.rom_path, &f, &sub);
    if (st) {
        vt_cfg_entry *e = vt_cfg_get(d->cfg, st == VT_ROM_NO_FILE ? file_key : set_key);
        return e ? vt_cfg_fail(err, e, "%s", sub.msg) : vt_fail(err, "%s", sub.msg);
    }
    *data = malloc(f.len ? f.len : 1);
    if (*data) memcpy(*data, f.data, f.len);
    *len = f.len;
    r->rom_close(&f);
    return *data ? 0 : vt_fail(err, "out of memory");
}

struct vt_display *vt_dev_display(vt_device *d) {
    return d->machine->display;
}

struct vt_audio *vt_dev_audio(vt_device *d) {
    return d->machine->audio;
}

vt_sched *vt_dev_sched(vt_device *d) {
    return &d->machine->sched;
}
vt_bus *vt_dev_bus(vt_device *d) {
    return &d->machine->bus;
}
vt_bus *vt_dev_io_bus(vt_device *d) {
    return &d->machine->io;
}

void vt_dev_log_unknown(const vt_device *d, const char *what, uint64_t offset, unsigned size,
                        uint64_t value) {
    vt_log(VT_LOG_MMIO, "%s (%s): unknown register %s offset 0x%llx size %u value 0x%llx", d->name,
           d->cls->name, what, (unsigned long long)offset, size, (unsigned long long)value);
}
