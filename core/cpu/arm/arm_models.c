/* ARM core models: which architecture features each implements and its cycle table.
 * ARM925T: ARMv4T (ARM9TDMI pipeline), timings from the ARM9TDMI TRM (DDI 0180A) ch. 6.
 * ARM1136: ARMv6 (v5TE + media + Jazelle BXJ), timings from the ARM1136JF-S TRM (DDI 0211)
 * ch. 16, simplified to one cost per class (hwdocs/arm.md lists what is approximate). */
#include "core/cpu/arm/arm_exec.h"

vt_arm_cpu *vt_arm_create_model(const vt_arm_model *m, const vt_cpu_config *cfg, vt_error *err);

static const vt_arm_timing arm9tdmi_timing = {
    .dp = 1,
    .dp_regshift = 2,
    .pc_write = 2,
    .ldr = 1,
    .ldr_pc = 4,
    .str = 1,
    .ldm_base = 1,
    .stm_base = 1,
    .per_reg = 1,
    .mul = 3,
    .mul_long = 4,
    .mul_dsp = 2,
    .branch = 3,
    .swi_exc = 3,
    .swp = 2,
    .cp = 2,
    .media = 1,
};

/* VFP11 issue cycles (VFP11 TRM DDI 0274 ch. 4): one per single-precision operation, two
 * for double multiplies and multiply-accumulates, divide and square root 15 (single) and
 * 29 (double) blocking cycles. */
static const vt_arm_timing arm1136_timing = {
    .dp = 1,
    .dp_regshift = 2,
    .pc_write = 5,
    .ldr = 1,
    .ldr_pc = 6,
    .str = 1,
    .ldm_base = 1,
    .stm_base = 1,
    .per_reg = 1,
    .mul = 2,
    .mul_long = 3,
    .mul_dsp = 1,
    .branch = 2,
    .swi_exc = 8,
    .swp = 2,
    .cp = 2,
    .media = 1,
    .vfp = 1,
    .vfp_mul_d = 2,
    .vfp_div_s = 15,
    .vfp_div_d = 29,
};

static const vt_arm_model arm925t_model = {
    .name = "arm925t",
    .features = 0,
    .timing = &arm9tdmi_timing,
    .midr = 0x54029252,
    .ctr = 0x05109149, /* 16 KiB I / 8 KiB D, 2-way (ARM925T TRM 2.3; as QEMU's ti925t) */
};

static const vt_arm_model arm1136_model = {
    .name = "arm1136",
    .features = VT_ARM_F_V5 | VT_ARM_F_DSP | VT_ARM_F_V6 | VT_ARM_F_JAZ | VT_ARM_F_VFP,
    .timing = &arm1136_timing,
    .midr = 0x4107b362,
    .ctr = 0x01dd20d2,   /* 32 KiB I and D, 4-way, 8-word lines (ARM1136 TRM 3.3.3) */
    .tlbtr = 0x00000800, /* unified, 8 lockable entries (ARM1136 TRM 3.3.4) */
};

static vt_cpu *create_arm925t(const vt_cpu_config *cfg, vt_error *err) {
    vt_arm_cpu *c = vt_arm_create_model(&arm925t_model, cfg, err);
    return c ? &c->base : NULL;
}

static vt_cpu *create_arm1136(const vt_cpu_config *cfg, vt_error *err) {
    vt_arm_cpu *c = vt_arm_create_model(&arm1136_model, cfg, err);
    return c ? &c->base : NULL;
}

vt_arm_cpu *vt_arm_create(const vt_cpu_config *cfg, vt_error *err) {
    if (!strcmp(cfg->model, arm925t_model.name))
        return vt_arm_create_model(&arm925t_model, cfg, err);
    if (!strcmp(cfg->model, arm1136_model.name))
        return vt_arm_create_model(&arm1136_model, cfg, err);
    vt_fail(err, "unknown ARM model '%s' (known: arm925t, arm1136)", cfg->model);
    return NULL;
}

const vt_cpu_model vt_cpu_model_arm925t = {"arm925t", "ARM925T (ARMv4T, TI OMAP310)",
                                           create_arm925t};
const vt_cpu_model vt_cpu_model_arm1136 = {"arm1136", "ARM1136JF-S (ARMv6, TI OMAP2420)",
                                           create_arm1136};
