// The per-CPU thread control block that %fs points at.
//
// Compiled code from Debian's libraries follows the glibc x86-64 ABI:
//   %fs:0x00  pointer to the TCB itself (read by every TLS access)
//   %fs:0x28  the stack-protector canary (-fstack-protector-strong)
// and the static TLS block of the kernel's PT_TLS segment sits directly
// below the thread pointer (TLS variant II, as lld lays it out).
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::x86 {

struct ThreadControlBlock {
    ThreadControlBlock* self;       // 0x00 tcbhead_t.tcb
    void* dtv;                      // 0x08
    ThreadControlBlock* self_again; // 0x10 tcbhead_t.self
    uint32_t multiple_threads;      // 0x18
    uint32_t gscope_flag;           // 0x1c
    uint64_t sysinfo;               // 0x20
    uint64_t stack_guard;           // 0x28 the canary
    uint64_t pointer_guard;         // 0x30
    uint64_t glibc_reserved[25];    // up to 0x100: fields of tcbhead_t we leave zero
    uint32_t cpu_index;             // 0x100 ours
};
static_assert(offsetof(ThreadControlBlock, stack_guard) == 0x28);
static_assert(offsetof(ThreadControlBlock, cpu_index) == 0x100);

// Bytes needed for one CPU's TLS block plus TCB, and the alignment.
size_t tls_area_size();
size_t tls_area_alignment();

// Builds a TLS block + TCB inside `memory` (tls_area_size() bytes, aligned
// to tls_area_alignment()) and returns the thread pointer.
ThreadControlBlock* create_thread_control_block(void* memory, uint32_t cpu_index);

// Points %fs at `tcb` [SDM 4, IA32_FS_BASE].
void install_thread_control_block(ThreadControlBlock* tcb);

// Sets up the boot CPU in static storage; called before any C++ that
// might read the canary or a thread_local.
void install_boot_thread_control_block();

} // namespace fluid::x86
