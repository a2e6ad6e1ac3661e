/* PowerPC 750 decoder: the primary-opcode table and the extended-opcode tables of groups
 * 19, 31, 59 and 63, built at compile time from the X-macro rows in ppc_ops.h (the same rows
 * the disassembler names). Encodings: MPCFPE32B appendix A.2/A.3. */
#include "core/cpu/ppc/ppc_cpu.h"
#include "core/cpu/ppc/ppc_ops.h"

#define ENTRY(code, name, fn, form, cyc) [code] = {fn, name, form, cyc},
#define ENTRY_XO(xo, name, fn, form, cyc)                                                          \
    [xo] = {fn, name, form, cyc}, [(xo) + 512] = {fn, name, form, cyc},
#define ENTRY_A(xo, name, fn, form, cyc) PPC_REP32(xo, {fn, name, form, cyc}),

const ppc_op vt_ppc_primary[64] = {PPC_PRIMARY_OPS(ENTRY)};
static const ppc_op op19[1024] = {PPC_OP19_OPS(ENTRY)};
static const ppc_op op31[1024] = {PPC_OP31_XO_OPS(ENTRY_XO) PPC_OP31_OPS(ENTRY)};
static const ppc_op op59[1024] = {PPC_OP59_OPS(ENTRY_A)};
static const ppc_op op63[1024] = {PPC_OP63A_OPS(ENTRY_A) PPC_OP63_OPS(ENTRY)};

const ppc_op *const vt_ppc_groups[64] = {[19] = op19, [31] = op31, [59] = op59, [63] = op63};

const ppc_op vt_ppc_illegal_op = {h_illegal, NULL, F_NONE, 1};
