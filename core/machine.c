/* Builds a machine from its INI profile ([machine], [memory.*], [rom.*], [device.*], [board])
 * and runs it: the CPU runs exactly up to the next scheduled event, then the event fires
 * (GUIDE §1, "one timeline"). Real-time pacing only sleeps; it never changes guest-visible
 * time. */
#include "core/machine.h"

#include "core/irq_wiring.h"
#include "core/log.h"
#include "core/registry.h"
#include "core/machine_rom.h"
#include "core/savestate.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* --- CPU <-> scheduler glue ------------------------------------------------------------ */

static vt_time cpu_now(void *opaque) {
    vt_cpu *cpu = opaque;
    return vt_clock_to_time(&cpu->clock, cpu->cycles);
}

static void cpu_deadline(void *opaque, vt_time when) {
    vt_cpu *cpu = opaque;
    uint64_t c = vt_clock_to_cycles_ceil(&cpu->clock, when);
    if (c < cpu->stop_at) {
        cpu->stop_at = c > cpu->cycles ? c : cpu->cycles;
        cpu->jit_exit = 1;
    }
}

/* A region was moved or switched: host pointers the core cached from the bus are stale. */
static void cpu_flush_tlb(void *opaque) {
    vt_cpu *cpu = opaque;
    cpu->ops->flush_tlb(cpu);
}

/* --- building ---------------------------------------------------------------------------- */

static bool starts_with(const char *s, const char *prefix) {
    return !strncmp(s, prefix, strlen(prefix));
}

static int build_machine_section(vt_machine *m, vt_error *err) {
    vt_cfg_section *s = vt_cfg_section_find(&m->cfg, "machine");
    if (!s) return vt_fail(err, "%s: no [machine] section", m->cfg.files[0]);
    snprintf(m->name, sizeof m->name, "%s", vt_cfg_str(s, "name", "unnamed"));
    snprintf(m->description, sizeof m->description, "%s", vt_cfg_str(s, "description", ""));
    vt_cfg_entry *e = vt_cfg_get(s, "endian");
    vt_endian endian = VT_LITTLE_ENDIAN;
    if (e && !strcmp(e->value, "big"))
        endian = VT_BIG_ENDIAN;
    else if (e && strcmp(e->value, "little"))
        return vt_cfg_fail(err, e, "endian must be 'big' or 'little', not '%s'", e->value);
    if (vt_bus_init(&m->bus, endian, err) || vt_bus_init(&m->io, VT_LITTLE_ENDIAN, err)) return -1;
    m->io.space = "io";

    e = vt_cfg_get(s, "board");
    if (e) {
        m->board = vt_registry_board(m->registry, e->value);
        if (!m->board) return vt_cfg_fail(err, e, "unknown board '%s'", e->value);
    }
    vt_cfg_entry *cpu = vt_cfg_get(s, "cpu");
    uint64_t hz;
    if (vt_cfg_hz(s, "clock", 0, &hz, err)) return -1;
    if (cpu && strcmp(cpu->value, "none")) {
        if (!hz) return vt_cfg_section_fail(err, s, "[machine] with a cpu needs 'clock' (Hz)");
        vt_cpu_config cc = {.model = cpu->value, .hz = hz, .bus = &m->bus, .io = &m->io, .env = m};
        vt_error sub;
        m->cpu = vt_cpu_create(&cc, &sub);
        if (!m->cpu) return vt_cfg_fail(err, cpu, "%s", sub.msg);
        if (vt_bus_on_change(&m->bus, cpu_flush_tlb, m->cpu, err)) return -1;
        m->sched.now_fn = cpu_now;
        m->sched.deadline_fn = cpu_deadline;
        m->sched.cpu_opaque = m->cpu;
    }
    return vt_cfg_check_unused(s, err);
}

static int build_memory(vt_machine *m, vt_cfg_section *s, vt_error *err) {
    vt_cfg_entry *base_e, *size_e;
    uint64_t base, size;
    if (vt_cfg_require(s, "base", &base_e, err) || vt_cfg_require(s, "size", &size_e, err) ||
        vt_cfg_u64(s, "base", 0, &base, err) || vt_cfg_u64(s, "size", 0, &size, err))
        return -1;
    vt_error sub;
    if (vt_bus_add_ram(&m->bus, s->name + strlen("memory."), base, size, false, NULL, &sub))
        return vt_cfg_fail(err, base_e, "%s", sub.msg);
    return vt_cfg_check_unused(s, err);
}

static bool is_common_device_key(const char *key) {
    int index;
    return !strcmp(key, "type") || !strcmp(key, "base") || !strcmp(key, "size") ||
           !strcmp(key, "space") || vt_irq_key_index(key, &index);
}

static int create_device(vt_machine *m, vt_cfg_section *s, vt_error *err) {
    vt_cfg_entry *type;
    if (vt_cfg_require(s, "type", &type, err)) return -1;
    const vt_device_class *cls = vt_registry_class(m->registry, type->value);
    if (!cls) return vt_cfg_fail(err, type, "unknown device type '%s'", type->value);
    vt_device *d = calloc(1, sizeof *d);
    vt_device **nd = realloc(m->devices, (size_t)(m->ndevices + 1) * sizeof *nd);
    if (!d || !nd) {
        free(d);
        return vt_fail(err, "out of memory");
    }
    m->devices = nd;
    m->devices[m->ndevices++] = d;
    d->cls = cls;
    d->machine = m;
    d->cfg = s;
    d->nirq = cls->irq_outputs;
    d->irq = d->nirq ? calloc((size_t)d->nirq, sizeof *d->irq) : NULL;
    if (d->nirq && !d->irq) return vt_fail(err, "out of memory");
    snprintf(d->name, sizeof d->name, "%s", s->name + strlen("device."));
    /* every key must be common or declared by the class */
    for (int i = 0; i < s->nentries; i++) {
        const char *k = s->entries[i].key;
        bool known = is_common_device_key(k);
        for (const vt_dev_key *dk = cls->keys; !known && dk && dk->name; dk++)
            known = !strcmp(dk->name, k);
        if (!known) {
            char keys[400] = "";
            for (const vt_dev_key *dk = cls->keys; dk && dk->name; dk++) {
                size_t l = strlen(keys);
                snprintf(keys + l, sizeof keys - l, ", %s", dk->name);
            }
            return vt_cfg_fail(
                err, &s->entries[i],
                "unknown key '%s' in [%s] (type %s accepts: type, base, size, space, irq, irqN%s)",
                k, s->name, cls->name, keys);
        }
        s->entries[i].used = true;
    }
    vt_cfg_entry *be = vt_cfg_get(s, "base"), *se = vt_cfg_get(s, "size");
    if (cls->needs_mmio && (!be || !se))
        return vt_cfg_section_fail(err, s, "[%s] (type %s) needs 'base' and 'size'", s->name,
                                   cls->name);
    if (vt_cfg_u64(s, "base", 0, &d->base, err) || vt_cfg_u64(s, "size", 0, &d->size, err))
        return -1;
    vt_cfg_entry *space = vt_cfg_get(s, "space");
    if (space && strcmp(space->value, "mem") && strcmp(space->value, "io"))
        return vt_cfg_fail(err, space, "space must be 'mem' or 'io', not '%s'", space->value);
    d->io_space = space && !strcmp(space->value, "io");
    vt_error sub;
    if (cls->create(d, &sub)) {
        /* class errors that already carry file:line pass through; others get the section's */
        if (strstr(sub.msg, ".ini:") || strstr(sub.msg, "--set")) {
            *err = sub;
            return -1;
        }
        return vt_cfg_section_fail(err, s, "[%s]: %s", s->name, sub.msg);
    }
    return 0;
}

static int build(vt_machine *m, const char *path, vt_error *err) {
    if (vt_cfg_load(&m->cfg, path, err)) return -1;
    for (int i = 0; i < m->opts.noverrides; i++)
        if (vt_cfg_override(&m->cfg, m->opts.overrides[i], err)) return -1;
    if (build_machine_section(m, err)) return -1;
    for (int i = 0; i < m->cfg.nsections; i++) {
        vt_cfg_section *s = &m->cfg.sections[i];
        int rc = 0;
        if (!strcmp(s->name, "machine") || !strcmp(s->name, "board"))
            continue;
        else if (starts_with(s->name, "memory.") && s->name[7])
            rc = build_memory(m, s, err);
        else if (starts_with(s->name, "rom.") && s->name[4])
            rc = vt_machine_load_rom(m, s, err);
        else if (starts_with(s->name, "device.") && s->name[7])
            rc = create_device(m, s, err);
        else
            rc = vt_cfg_section_fail(err, s,
                                     "unknown section [%s] (expected [machine], [board], "
                                     "[memory.NAME], [rom.NAME] or [device.NAME])",
                                     s->name);
        if (rc) return -1;
    }
    for (int i = 0; i < m->ndevices; i++)
        if (vt_machine_wire_irqs(m, m->devices[i], err)) return -1;
    vt_cfg_section *bs = vt_cfg_section_find(&m->cfg, "board");
    if ((m->opts.kernel || m->opts.initrd || m->opts.append) &&
        !(m->board && m->board->boots_kernel))
        return vt_fail(
            err, "%s: this machine has no direct kernel boot (--kernel/--initrd/--append)", path);
    if (m->opts.dtb && !(m->board && m->board->takes_dtb))
        return vt_fail(err, "%s: this machine does not boot with a device tree (--dtb)", path);
    if (bs && !m->board) return vt_cfg_section_fail(err, bs, "[board] without [machine] board =");
    if (m->board) {
        if (bs)
            for (int i = 0; i < bs->nentries; i++) {
                bool known = false;
                for (const vt_dev_key *k = m->board->keys; !known && k && k->name; k++)
                    known = !strcmp(k->name, bs->entries[i].key);
                if (!known)
                    return vt_cfg_fail(err, &bs->entries[i], "unknown key '%s' in [board] (%s)",
                                       bs->entries[i].key, m->board->name);
            }
        if (m->board->init(m, err)) return -1;
        if (bs)
            for (int i = 0; i < bs->nentries; i++)
                bs->entries[i].used = true;
    }
    return 0;
}

int vt_machine_create(vt_machine **out, const char *path, const vt_machine_options *opts,
                      vt_error *err) {
    *out = NULL;
    vt_machine *m = calloc(1, sizeof *m);
    if (!m) return vt_fail(err, "out of memory");
    if (opts) m->opts = *opts;
    m->registry = m->opts.registry ? m->opts.registry : &vt_registry_builtin;
    vt_sched_init(&m->sched);
    if (vt_display_create(&m->display, &m->sched, m->opts.display, err) ||
        vt_audio_create(&m->audio, &m->sched, err) || build(m, path, err)) {
        vt_machine_destroy(m);
        return -1;
    }
    vt_machine_reset(m);
    *out = m;
    return 0;
}

void vt_machine_destroy(vt_machine *m) {
    if (!m) return;
    if (m->board && m->board->destroy) m->board->destroy(m);
    for (int i = m->ndevices - 1; i >= 0; i--) {
        vt_device *d = m->devices[i];
        if (d->cls->destroy) d->cls->destroy(d);
        free(d->irq);
        free(d);
    }
    free(m->devices);
    vt_display_destroy(m->display);
    vt_audio_destroy(m->audio);
    vt_cpu_destroy(m->cpu);
    vt_sched_free(&m->sched);
    vt_bus_free(&m->bus);
    vt_bus_free(&m->io);
    vt_cfg_free(&m->cfg);
    free(m);
}

void vt_machine_reset(vt_machine *m) {
    for (int i = 0; i < m->ndevices; i++)
        if (m->devices[i]->cls->reset) m->devices[i]->cls->reset(m->devices[i]);
    if (m->board && m->board->reset) m->board->reset(m);
    if (m->cpu) m->cpu->ops->reset(m->cpu);
}

vt_device *vt_machine_device(const vt_machine *m, const char *name) {
    for (int i = 0; i < m->ndevices; i++)
        if (!strcmp(m->devices[i]->name, name)) return m->devices[i];
    return NULL;
}

void vt_machine_request_stop(vt_machine *m, int exit_status) {
    m->stop_requested = true;
    m->exit_status = exit_status;
    if (m->cpu) {
        m->cpu->stop_at = m->cpu->cycles;
        m->cpu->jit_exit = 1;
    }
}

/* --- running ----------------------------------------------------------------------------- */

static uint64_t host_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Sleeps so that emulated time does not run ahead of host time * speed. */
static void pace(vt_machine *m) {
    uint64_t emu_ns = m->sched.now / 1000;
    uint64_t want = m->host_start_ns + (uint64_t)((double)emu_ns / m->opts.speed);
    uint64_t now = host_ns();
    if (want > now + 1000000) {
        struct timespec ts = {(time_t)((want - now) / 1000000000ull),
                              (long)((want - now) % 1000000000ull)};
        nanosleep(&ts, NULL);
    }
}

void vt_machine_run(vt_machine *m, vt_time until) {
    /* with pacing, slices stay short so input and display stay responsive */
    const vt_time slice = m->opts.speed > 0 ? VT_PS_PER_SEC / 1000 : VT_PS_PER_SEC / 100;
    if (m->opts.speed > 0 && !m->host_start_ns)
        m->host_start_ns = host_ns() - (uint64_t)((double)(m->sched.now / 1000) / m->opts.speed);
    m->stop_requested = false;
    while (!m->stop_requested && m->sched.now < until) {
        vt_time target = vt_sched_next(&m->sched);
        vt_time cap = m->sched.now + slice;
        if (target > cap) target = cap;
        if (target > until) target = until;
        if (m->cpu) {
            vt_cpu *cpu = m->cpu;
            uint64_t c = vt_clock_to_cycles_ceil(&cpu->clock, target);
            if (c > cpu->cycles) cpu->ops->run(cpu, c - cpu->cycles);
            /* the CPU may stop early (stop request, earlier event) or overrun by part of an
             * instruction; either way its own clock is the machine's time */
            vt_sched_advance(&m->sched, vt_clock_to_time(&cpu->clock, cpu->cycles));
        } else {
            vt_sched_advance(&m->sched, target);
        }
        if (m->opts.speed > 0) pace(m);
    }
}

/* --- state ------------------------------------------------------------------------------- */

int vt_machine_save(vt_machine *m, vt_state_writer *w) {
    vt_state_begin(w, "MACH", 1);
    vt_state_put_u64(w, m->sched.now);
    vt_state_end(w);
    if (m->cpu) {
        vt_state_begin(w, "CPU ", 1);
        vt_state_put_u64(w, m->cpu->cycles);
        vt_state_put_u64(w, m->cpu->insns);
        m->cpu->ops->save(m->cpu, w);
        vt_state_end(w);
    }
    for (int i = 0; i < m->ndevices; i++) {
        vt_device *d = m->devices[i];
        vt_state_begin(w, "DEV ", 1);
        vt_state_put_bytes(w, d->name, sizeof d->name);
        if (d->cls->save) d->cls->save(d, w);
        vt_state_end(w);
    }
    for (int i = 0; i < m->bus.nregions; i++) {
        vt_region *r = m->bus.regions[i];
        if (r->kind != VT_REGION_RAM || !r->owns_host) continue; /* views are saved once */
        vt_state_begin(w, "RAM ", 1);
        vt_state_put_u64(w, r->base);
        vt_state_put_u64(w, r->size);
        vt_state_put_bytes(w, r->host, r->size);
        vt_state_end(w);
    }
    return w->failed ? -1 : 0;
}

/* Reads what vt_machine_save wrote, in the same order; every chunk must name the same device
 * and the same RAM layout as this machine. */
static int load_chunks(vt_machine *m, vt_state_reader *r) {
    uint32_t v;
    if (vt_state_open(r, "MACH", 1, &v)) return -1;
    vt_time now = vt_state_get_u64(r);
    if (vt_state_close(r)) return -1;
    /* time first: devices re-arm their events relative to it while they load */
    m->sched.now = now;
    if (m->cpu) {
        if (vt_state_open(r, "CPU ", 1, &v)) return -1;
        m->cpu->cycles = vt_state_get_u64(r);
        m->cpu->insns = vt_state_get_u64(r);
        if (m->cpu->ops->load(m->cpu, r) || vt_state_close(r)) return -1;
    }
    vt_audio_restart(m->audio); /* before devices re-time their streams */
    for (int i = 0; i < m->ndevices; i++) {
        vt_device *d = m->devices[i];
        char name[sizeof d->name];
        if (vt_state_open(r, "DEV ", 1, &v)) return -1;
        vt_state_get_bytes(r, name, sizeof name);
        if (vt_state_ok(r) && memcmp(name, d->name, sizeof name)) {
            name[sizeof name - 1] = 0;
            vt_state_fail(r, "device %d is '%s' in the state, '%s' in %s", i, name, d->name,
                          m->name);
            return -1;
        }
        if (d->cls->load && d->cls->load(d, r)) return -1;
        if (vt_state_close(r)) return -1;
    }
    for (int i = 0; i < m->bus.nregions; i++) {
        vt_region *reg = m->bus.regions[i];
        if (reg->kind != VT_REGION_RAM || !reg->owns_host) continue;
        if (vt_state_open(r, "RAM ", 1, &v)) return -1;
        uint64_t base = vt_state_get_u64(r), size = vt_state_get_u64(r);
        if (vt_state_ok(r) && (base != reg->base || size != reg->size)) {
            vt_state_fail(r, "RAM at 0x%llx (%llu bytes) in the state, '%s' is at 0x%llx (%llu)",
                          (unsigned long long)base, (unsigned long long)size, reg->name,
                          (unsigned long long)reg->base, (unsigned long long)reg->size);
            return -1;
        }
        vt_state_get_bytes(r, reg->host, reg->size);
        if (vt_state_close(r)) return -1;
    }
    if (vt_state_ok(r) && r->pos != r->len)
        vt_state_fail(r, "%zu bytes after the last RAM chunk", r->len - r->pos);
    return vt_state_ok(r) ? 0 : -1;
}

int vt_machine_load(vt_machine *m, vt_state_reader *r, vt_error *err) {
    int rc = load_chunks(m, r);
    if (m->cpu && m->cpu->ops->flush_tlb) m->cpu->ops->flush_tlb(m->cpu);
    if (rc) return vt_fail(err, "state does not fit %s: %s", m->name, vt_state_error(r));
    return 0;
}

int vt_machine_state_hash(vt_machine *m, char hex[65], vt_error *err) {
    vt_state_writer w;
    vt_state_writer_init(&w);
    if (vt_machine_save(m, &w)) {
        vt_state_writer_free(&w);
        return vt_fail(err, "out of memory while saving state");
    }
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, w.len, w.buf);
    sha256_digest(&ctx, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", digest[i]);
    vt_state_writer_free(&w);
    return 0;
}
