/*
 * The first instructions: GRUB leaves us in 32-bit protected mode with
 * paging off, EAX = Multiboot2 magic, EBX = physical address of the boot
 * information [Multiboot2 §3.3]. We
 *   1. check the magic and that the CPU has long mode,
 *   2. zero .bss,
 *   3. identity-map the first 64 GiB with 2 MiB pages (the kernel, the boot
 *      information, the local APIC and the memory the page allocator starts
 *      from; the C++ side then builds the final map of all memory with W^X
 *      permissions, kernel/arch/x86_64/Mmu.cpp),
 *   4. enter long mode [Intel SDM 3A §9.8.5],
 *   5. enable x87/SSE/AVX state before any compiled code runs: the LLVM
 *      libraries we link use SSE everywhere [SDM 1 §13.3, SDM 3A §2.5],
 *   6. call early_start(magic, info) on the boot stack.
 */
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define CR0_PG  (1 << 31)
#define CR0_WP  (1 << 16)
#define CR0_MP  (1 << 1)
#define CR0_EM  (1 << 2)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define CR4_OSXSAVE (1 << 18)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define PTE_PRESENT 1
#define PTE_WRITE 2
#define PTE_HUGE (1 << 7)
#define BOOT_MAP_GIB 64

    .section .boot.text, "ax"
    .code32
    .globl _start32
_start32:
    cli
    cld
    cmpl $MB2_BOOTLOADER_MAGIC, %eax
    jne .Lbad_magic
    movl %eax, boot_multiboot_magic
    movl %ebx, boot_multiboot_info
    movl $boot_stack_top, %esp

    /* .bss holds the page tables and the stack: zero it first. */
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl

    /* Long mode available? CPUID 8000_0001h EDX bit 29 [SDM 2A, CPUID]. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb .Lno_long_mode
    movl $0x80000001, %eax
    cpuid
    btl $29, %edx
    jnc .Lno_long_mode

    /* PML4[0] -> PDPT; PDPT[0..63] -> 64 page directories of 2 MiB pages. */
    movl $boot_pdpt, %eax
    orl $(PTE_PRESENT | PTE_WRITE), %eax
    movl %eax, boot_pml4
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $12, %eax
    addl $boot_pd, %eax
    orl $(PTE_PRESENT | PTE_WRITE), %eax
    movl %eax, boot_pdpt(,%ecx,8)
    incl %ecx
    cmpl $BOOT_MAP_GIB, %ecx
    jne 1b
    /* 512 entries per GiB x 2 MiB. Entry i maps i << 21 (high dword = i >> 11). */
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $21, %eax
    orl $(PTE_PRESENT | PTE_WRITE | PTE_HUGE), %eax
    movl %eax, boot_pd(,%ecx,8)
    movl %ecx, %eax
    shrl $11, %eax
    movl %eax, boot_pd+4(,%ecx,8)
    incl %ecx
    cmpl $(BOOT_MAP_GIB * 512), %ecx
    jne 2b

    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP), %eax
    movl %eax, %cr0

    lgdt boot_gdt_pointer
    ljmp $0x08, $.Llong_mode

.Lbad_magic:
    movl $msg_bad_magic, %esi
    jmp .Lfail32
.Lno_long_mode:
    movl $msg_no_long_mode, %esi
.Lfail32:
    /* Print the reason on COM1 (polled) and stop. */
1:  lodsb
    testb %al, %al
    jz 3f
    movb %al, %bl
    movw $0x3fd, %dx
2:  inb %dx, %al
    testb $0x20, %al
    jz 2b
    movw $0x3f8, %dx
    movb %bl, %al
    outb %al, %dx
    jmp 1b
3:  hlt
    jmp 3b

    .code64
.Llong_mode:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $boot_stack_top, %rsp
    xorl %ebp, %ebp
    call enable_fpu_state
    movl boot_multiboot_magic(%rip), %edi
    movl boot_multiboot_info(%rip), %esi
    call early_start
1:  cli
    hlt
    jmp 1b

/*
 * x87/SSE/AVX enablement, shared with the AP trampoline later:
 * CR0.MP=1, CR0.EM=0; CR4.OSFXSR, CR4.OSXMMEXCPT; and, when the CPU has
 * XSAVE, CR4.OSXSAVE with XCR0 = every x87/SSE/AVX/AVX-512 component the
 * CPU supports (CPUID.(EAX=0Dh,ECX=0):EAX) [SDM 1 §13.3, SDM 3A §2.6].
 */
    .text
    .globl enable_fpu_state
enable_fpu_state:
    pushq %rbx
    movq %cr0, %rax
    andq $~CR0_EM, %rax
    orq $CR0_MP, %rax
    movq %rax, %cr0
    movq %cr4, %rax
    orq $(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
    movq %rax, %cr4
    movl $1, %eax
    cpuid
    btl $26, %ecx            /* XSAVE */
    jnc 1f
    movq %cr4, %rax
    orq $CR4_OSXSAVE, %rax
    movq %rax, %cr4
    movl $0xd, %eax
    xorl %ecx, %ecx
    cpuid
    andl $0xe7, %eax         /* x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM */
    xorl %edx, %edx
    xorl %ecx, %ecx
    xsetbv
1:  fninit
    popq %rbx
    ret

    .section .rodata
msg_bad_magic:
    .asciz "fluid: not booted by a Multiboot2 loader (bad magic in EAX)\r\n"
msg_no_long_mode:
    .asciz "fluid: this CPU has no long mode (x86-64); cannot boot\r\n"

    /* Temporary GDT for the jump to long mode; Gdt.cpp installs the real one. */
    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff   /* 0x08: 64-bit code, DPL 0 */
    .quad 0x00cf92000000ffff   /* 0x10: data */
boot_gdt_end:
boot_gdt_pointer:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .data
    .globl boot_multiboot_magic, boot_multiboot_info
boot_multiboot_magic: .long 0
boot_multiboot_info:  .long 0

    .section .bss.boot_tables, "aw", @nobits
    .balign 4096
    .globl boot_pml4
boot_pml4: .skip 4096
boot_pdpt: .skip 4096
boot_pd:   .skip 4096 * BOOT_MAP_GIB

    /*
     * The boot CPU's stack. The page below it is left unmapped by the final
     * page tables (a guard page), so an overflow faults instead of
     * overwriting .bss. LLVM needs deep stacks: 54 KiB measured, so 256 KiB.
     */
    .section .bss.boot_stack, "aw", @nobits
    .balign 4096
    .globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard: .skip 4096
boot_stack_bottom: .skip 256 * 1024
boot_stack_top:
