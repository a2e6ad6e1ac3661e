/* libFuzzer harness: arbitrary bytes as a qcow2 image. Opening, reading (data, zero,
 * compressed clusters), block status, the consistency check, and then writing, discarding,
 * flushing, checking and repairing must end in data or a clean error, never a crash, a hang or
 * a leak. Backing files are not followed (no_backing). The image lives in a memfd. */
#include "tests/fuzz/fuzz_common.h"
#include "core/block/block.h"
#include "core/block/qcow2.h"

#include <stdlib.h>

static void exercise(vt_block *b, bool rw, const uint8_t *data, size_t size) {
    vt_error err;
    uint8_t buf[8192];
    uint64_t offs[] = {0, 4096, 65536 + 17, b->size / 2, b->size > 8192 ? b->size - 8192 : 0};
    for (size_t i = 0; i < VT_ARRAY_LEN(offs); i++) {
        uint64_t n = b->size - offs[i] < sizeof buf ? b->size - offs[i] : sizeof buf;
        if (offs[i] <= b->size && vt_block_read(b, offs[i], buf, (size_t)n, &err) != 0) break;
    }
    uint64_t off = 0;
    for (int i = 0; i < 64 && off < b->size; i++) {
        vt_block_status st;
        if (vt_block_get_status(b, off, b->size - off, &st, &err) != 0 || st.len == 0) break;
        off += st.len;
    }
    if (rw) {
        for (size_t i = 0; i + 4 <= size && i < 64; i += 4) {
            uint64_t o = (uint64_t)(data[i] | data[i + 1] << 8 | data[i + 2] << 16) * 97;
            size_t n = 1 + data[i + 3] * 40u;
            if (b->size == 0) break;
            o %= b->size;
            if (n > b->size - o) n = (size_t)(b->size - o);
            memset(buf, data[i], n < sizeof buf ? n : sizeof buf);
            int rc = (data[i + 3] & 7) == 7
                         ? vt_block_discard(b, o, n, &err)
                         : vt_block_write(b, o, buf, n < sizeof buf ? n : sizeof buf, &err);
            if (rc != 0) break;
        }
        if (vt_block_flush(b, &err) != 0) return;
    }
    if (vt_block_is_qcow2(b)) {
        vt_qcow2_check_result r;
        if (vt_qcow2_check(b, 0, &r, NULL, &err) != 0) return;
        /* repair whatever was found (misaligned entries may stay unrepairable) */
        if (rw && (r.leaks || r.corruptions) &&
            vt_qcow2_check(b, VT_QCOW2_FIX_LEAKS | VT_QCOW2_FIX_ERRORS, &r, NULL, &err) != 0) {
            return;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[64];
    int fd = fuzz_memfd("image.qcow2", data, size, path, sizeof path);
    if (fd < 0) return 0;
    for (int rw = 0; rw < 2; rw++) {
        vt_block *b;
        vt_error err;
        vt_block_opts o = {.format = "qcow2", .read_only = !rw, .no_backing = true};
        if (vt_block_open(&b, path, &o, &err) != 0) break;
        exercise(b, rw, data, size);
        vt_block_close(b, &err);
    }
    close(fd);
    return 0;
}
