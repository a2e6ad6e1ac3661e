/* The table of Linux user-mode ABIs this build provides (the `vitrine user ARCH` names). */
#include "machines/linux_user/lx_abi.h"

extern const vt_lx_abi vt_lx_abi_arm;
extern const vt_lx_abi vt_lx_abi_i386;
extern const vt_lx_abi vt_lx_abi_ppc;

static const vt_lx_abi *const abis[] = {&vt_lx_abi_arm, &vt_lx_abi_i386, &vt_lx_abi_ppc};

const vt_lx_abi *vt_lx_find_abi(const char *name) {
    for (size_t i = 0; i < VT_ARRAY_LEN(abis); i++)
        if (!strcmp(abis[i]->name, name)) return abis[i];
    return NULL;
}

const char *vt_lx_abi_names(void) {
    return "arm, i386, ppc";
}
