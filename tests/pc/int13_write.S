/* A PC boot sector for tests/pc/disk.sh: writes itself to LBA 100 of the boot drive through
 * INT 13h AH=43h (extended write), reads LBA 100 back to 0x8000 (AH=42h), compares the two
 * copies and prints the verdict through INT 10h (SeaBIOS mirrors it on the serial console),
 * then idles. Assembled with `as --32`, linked at 0x7C00 as a flat binary. */
.code16
.globl _start
_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x7c00, %sp
    sti
    push %dx                      /* the boot drive (DL), kept off the sector itself */
    mov $0x4300, %ax
    mov $dap, %si
    int $0x13
    jc fail
    pop %dx
    mov $0x4200, %ax
    mov $dap_rd, %si
    int $0x13
    jc fail
    mov $0x7c00, %si
    mov $0x8000, %di
    mov $512, %cx
    cld
    repe cmpsb
    jne fail
    mov $ok_msg, %si
    jmp print
fail:
    mov $fail_msg, %si
print:
    lodsb
    test %al, %al
    jz halt
    mov $0x0e, %ah
    mov $7, %bx
    int $0x10
    jmp print
halt:                             /* interrupts on: SeaBIOS's serial console flushes from its timer */
    sti
    hlt
    jmp halt
.balign 4
dap: .byte 16, 0
    .word 1
    .word 0x7c00, 0
    .long 100, 0
dap_rd: .byte 16, 0
    .word 1
    .word 0x8000, 0
    .long 100, 0
ok_msg: .asciz "int13: write ok\r\n"
fail_msg: .asciz "int13: FAILED\r\n"
.org 510
.byte 0x55, 0xaa
