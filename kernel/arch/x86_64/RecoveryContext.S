/*
 * The two halves of a recovery point (kernel/arch/x86_64/Recovery.cpp),
 * in the manner of setjmp/longjmp: only what the SysV ABI says a callee
 * preserves is saved [System V AMD64 ABI §3.2.1: rbx, rbp, r12-r15, rsp,
 * the MXCSR control bits and the x87 control word].
 *
 * RecoveryContext layout (arch/recovery.h, 10 quadwords):
 *   0 rbx  8 rbp  16 r12  24 r13  32 r14  40 r15
 *   48 rsp after the return  56 return address  64 rflags
 *   72 MXCSR (4 bytes)  76 x87 control word (2 bytes)
 */
    .text

/* int recovery_save(RecoveryContext*): 0 now, 1 when resumed. */
    .globl recovery_save
    .type recovery_save, @function
recovery_save:
    movq %rbx, 0(%rdi)
    movq %rbp, 8(%rdi)
    movq %r12, 16(%rdi)
    movq %r13, 24(%rdi)
    movq %r14, 32(%rdi)
    movq %r15, 40(%rdi)
    leaq 8(%rsp), %rax
    movq %rax, 48(%rdi)
    movq (%rsp), %rax
    movq %rax, 56(%rdi)
    pushfq
    popq %rax
    movq %rax, 64(%rdi)
    stmxcsr 72(%rdi)
    fnstcw 76(%rdi)
    xorl %eax, %eax
    ret
    .size recovery_save, . - recovery_save

/*
 * void recovery_resume(RecoveryContext*): returns from recovery_save a
 * second time, with 1. Entered with interrupts off (from the exception
 * handler's IRETQ, or from recovery_raise); RFLAGS comes back from the
 * context, so the interrupt flag is what it was at the save. The module's
 * x87 and SSE control state is thrown away: fninit, then the saved control
 * words.
 */
    .globl recovery_resume
    .type recovery_resume, @function
recovery_resume:
    movq 0(%rdi), %rbx
    movq 8(%rdi), %rbp
    movq 16(%rdi), %r12
    movq 24(%rdi), %r13
    movq 32(%rdi), %r14
    movq 40(%rdi), %r15
    movq 48(%rdi), %rsp
    fninit
    fldcw 76(%rdi)
    ldmxcsr 72(%rdi)
    pushq 64(%rdi)
    popfq
    movl $1, %eax
    jmpq *56(%rdi)
    .size recovery_resume, . - recovery_resume
