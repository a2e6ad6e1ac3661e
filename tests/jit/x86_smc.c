/* Self-modifying i386 code for the x86 JIT (built static with i686-linux-gnu-gcc): code written
 * by the guest's own stores (before a call, and by an instruction into the next instruction of
 * the same basic block), by the kernel (read() from a pipe into a code page) and by a new
 * mapping over old code (mmap MAP_FIXED). Prints one line per check; the oracle is a real i386
 * run (the host, or qemu-i386-static where the host refuses i386 ELF). */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int (*fn)(void);

/* mov $imm32, %eax; ret */
static void put_ret_imm(unsigned char *p, int imm) {
    p[0] = 0xB8;
    memcpy(p + 1, &imm, 4);
    p[5] = 0xC3;
}

int main(void) {
    unsigned char *page =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return 1;
    fn f = (fn)page;

    /* 1: rewrite the immediate before every call: each call must see the new value */
    int sum = 0;
    for (int k = 0; k < 1000; k++) {
        put_ret_imm(page, k);
        sum += f();
    }
    printf("rewritten before each call: sum %d\n", sum);

    /* 2: in one block, a store patches the immediate of the next instruction:
     *   call 1f; 1: pop %ecx; movb $42, 6(%ecx); mov $1, %eax; ret
     * (6(%ecx) is the low immediate byte of the mov that follows the store) */
    static const unsigned char in_block[] = {0xE8, 0x00, 0x00, 0x00, 0x00, 0x59, 0xC6, 0x41,
                                             0x06, 0x2A, 0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3};
    int got[3];
    for (int k = 0; k < 3; k++) {
        memcpy(page, in_block, sizeof in_block);
        got[k] = f();
    }
    printf("store into the next instruction: %d %d %d\n", got[0], got[1], got[2]);

    /* 3: the kernel writes the code: read() from a pipe into the page */
    int fds[2];
    if (pipe(fds)) return 1;
    unsigned char code[6];
    put_ret_imm(page, 5);
    int before = f() + f() - 5; /* a second call runs with the page's code cached */
    put_ret_imm(code, 77);
    if (write(fds[1], code, sizeof code) != (ssize_t)sizeof code) return 1;
    if (read(fds[0], page, sizeof code) != (ssize_t)sizeof code) return 1;
    printf("written by read(): %d then %d\n", before, f());

    /* 4: a new mapping over the old code */
    put_ret_imm(page, 6);
    before = f() + f() - 6;
    unsigned char *again = mmap(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (again != page) return 1;
    put_ret_imm(again + 16, 99);
    memcpy(again, "\xE9\x0B\x00\x00\x00", 5); /* jmp +11 -> again + 16 */
    printf("new mapping: %d then %d\n", before, f());
    return 0;
}
