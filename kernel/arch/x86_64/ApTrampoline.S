/*
 * The application-processor trampoline [SDM 3A §9.4.4, §9.8.5].
 *
 * A STARTUP IPI starts an AP in real mode at CS:IP = (vector << 8):0000,
 * so this code is copied to a page below 1 MiB (ApStartup.cpp) and never
 * runs where it was linked. It is position-independent: 16- and 32-bit
 * code address the page through the base the BSP patched into the far
 * pointers and the GDT pointer, and through %esi = CS << 4.
 *
 *   real mode   -> lgdt, CR0.PE, far jump to 32-bit code
 *   32-bit      -> CR4.PAE, CR3 = the boot page tables (below 4 GiB, they
 *                  identity-map 64 GiB without NX), EFER.LME|NXE, CR0.PG
 *   64-bit      -> jump to ap_long_mode_entry in the kernel's own text,
 *                  which loads the final page tables, the AP's stack and
 *                  calls ap_main(cpu_index).
 *
 * The BSP starts one AP at a time and waits for it, so one copy of the
 * data block serves them all.
 */
#define CR0_PE  (1 << 0)
#define CR0_WP  (1 << 16)
#define CR0_PG  (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080

#define OFFSET(symbol) ((symbol) - ap_trampoline_start)

    .section .rodata.ap_trampoline, "a"
    .balign 16
    .globl ap_trampoline_start, ap_trampoline_end
    .code16
ap_trampoline_start:
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds
    xorl %esi, %esi
    movw %ax, %si
    shll $4, %esi                       /* %esi = physical base, kept to the end */
    lgdtl OFFSET(trampoline_gdt_pointer)
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl *OFFSET(trampoline_far32)

    .code32
trampoline_32:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl OFFSET(trampoline_boot_cr3)(%esi), %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl OFFSET(trampoline_efer_bits)(%esi), %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP), %eax
    movl %eax, %cr0
    ljmpl *OFFSET(trampoline_far64)(%esi)

    .code64
trampoline_64:
    movl %esi, %esi                     /* upper halves are undefined after the switch */
    movq OFFSET(trampoline_entry)(%rsi), %rax
    jmpq *%rax

    .balign 8
trampoline_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff            /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff            /* 0x10: data */
    .quad 0x00af9a000000ffff            /* 0x18: 64-bit code */
trampoline_gdt_end:
    .globl trampoline_gdt_pointer, trampoline_far32, trampoline_far64
    .globl trampoline_boot_cr3, trampoline_efer_bits, trampoline_entry
    .globl trampoline_cr3, trampoline_stack, trampoline_cpu_index
    .globl trampoline_gdt, trampoline_32, trampoline_64
trampoline_gdt_pointer:                 /* base patched: page + OFFSET(trampoline_gdt) */
    .short trampoline_gdt_end - trampoline_gdt - 1
    .long 0
    .balign 4
trampoline_far32:                       /* m16:32, offset patched */
    .long 0
    .short 0x08
    .balign 4
trampoline_far64:
    .long 0
    .short 0x18
    .balign 8
trampoline_boot_cr3:   .long 0          /* boot_pml4, below 4 GiB */
trampoline_efer_bits:  .long 0          /* LME, and NXE when the BSP uses it */
trampoline_entry:      .quad 0          /* ap_long_mode_entry */
trampoline_cr3:        .quad 0          /* the final page tables */
trampoline_stack:      .quad 0          /* top of this AP's stack */
trampoline_cpu_index:  .quad 0
ap_trampoline_end:

/*
 * In the kernel's text now, on the boot page tables, %rsi = trampoline
 * base. Switch to the final tables and this AP's stack, enable the FPU
 * state exactly as the BSP did (entry.S), and enter C++.
 */
    .text
    .globl ap_long_mode_entry
    .type ap_long_mode_entry, @function
ap_long_mode_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movq OFFSET(trampoline_cr3)(%rsi), %rax
    movq %rax, %cr3
    movq OFFSET(trampoline_stack)(%rsi), %rsp
    movq OFFSET(trampoline_cpu_index)(%rsi), %rbx
    xorl %ebp, %ebp
    call enable_fpu_state
    movq %rbx, %rdi
    call ap_main
1:  cli
    hlt
    jmp 1b
    .size ap_long_mode_entry, . - ap_long_mode_entry
