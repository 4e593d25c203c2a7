// What kernel/arch/x86_64/isr.S leaves on the stack for the C++ handler:
// the general registers it pushed, then vector and error code, then the
// frame the CPU pushed [SDM 3A §6.14.1].
#pragma once

#include <cstdint>

namespace fluid::x86 {

struct InterruptFrame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};
static_assert(sizeof(InterruptFrame) == 22 * 8);

} // namespace fluid::x86
