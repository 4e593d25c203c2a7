/*
 * Interrupt entry stubs: one 16-byte stub per vector at isr_stubs + 16*n.
 * Each pushes a zero error code where the CPU does not push one, then the
 * vector number, and joins isr_common, which saves the general registers and
 * the full extended (x87/SSE/AVX) state — compiled handler code is free to
 * use vector registers — and calls interrupt_dispatch(frame).
 * Vectors with an error code: 8, 10-14, 17, 21, 29, 30 [SDM 3A §6.15].
 */
    .text
    .balign 16
    .globl isr_stubs
isr_stubs:
    .set vector, 0
    .rept 256
    .balign 16
    .if (vector == 8) || ((vector >= 10) && (vector <= 14)) || (vector == 17) || (vector == 21) || (vector == 29) || (vector == 30)
    .else
    pushq $0
    .endif
    pushq $vector
    jmp isr_common
    .set vector, vector + 1
    .endr
    .balign 16
    .globl isr_stubs_end
isr_stubs_end:

isr_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rbx                       /* rbx: the frame, callee-saved */
    subq fpu_state_size(%rip), %rsp
    andq $-64, %rsp
    cmpb $0, fpu_use_xsave(%rip)
    je 1f
    /* XRSTOR faults on a non-zero reserved header, so clear it [SDM 1 §13.4.2]. */
    xorl %eax, %eax
    movq %rax, 512(%rsp)
    movq %rax, 520(%rsp)
    movq %rax, 528(%rsp)
    movq %rax, 536(%rsp)
    movq %rax, 544(%rsp)
    movq %rax, 552(%rsp)
    movq %rax, 560(%rsp)
    movq %rax, 568(%rsp)
    movl $-1, %eax
    movl $-1, %edx
    xsave64 (%rsp)
    jmp 2f
1:  fxsave64 (%rsp)
2:  movq %rbx, %rdi
    call interrupt_dispatch
    cmpb $0, fpu_use_xsave(%rip)
    je 3f
    movl $-1, %eax
    movl $-1, %edx
    xrstor64 (%rsp)
    jmp 4f
3:  fxrstor64 (%rsp)
4:  movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp
    iretq

    .data
    .globl fpu_state_size, fpu_use_xsave
    .balign 8
fpu_state_size: .quad 512 + 64
fpu_use_xsave:  .byte 0
