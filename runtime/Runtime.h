// Helpers shared by the glibc-ABI layer in runtime/.
#pragma once

#include <atomic>
#include <cerrno>
#include <cstdint>

namespace fluid::runtime {

// Prints "runtime: NAME is not supported in the kernel" on the console.
void report_unsupported(const char* name);

// The glibc x86-64 thread pointer: %fs:0 holds the TCB's own address
// (kernel/arch/x86_64/ThreadControlBlock.h). pthread_self() returns it, as
// glibc does, so it names the current thread of execution.
inline uintptr_t thread_pointer()
{
    uintptr_t tp;
    asm("movq %%fs:0, %0" : "=r"(tp));
    return tp;
}

// A small positive id for the current thread (the TCB's cpu_index + 1),
// used where glibc stores a TID, e.g. a mutex owner. Until the kernel has
// threads, one CPU is one thread.
inline int thread_id()
{
    uint32_t cpu;
    asm("movl %%fs:0x100, %0" : "=r"(cpu));
    return int(cpu) + 1;
}

} // namespace fluid::runtime

// Logs NAME once per call site, sets errno to ENOSYS: for calls a kernel
// cannot honour (processes, signals, ...). Callers then return their
// function's error value.
#define FLUID_UNSUPPORTED(name)                                                      \
    do {                                                                             \
        static std::atomic<bool> fluid_reported_ { false };                          \
        if (!fluid_reported_.exchange(true, std::memory_order_relaxed))              \
            ::fluid::runtime::report_unsupported(name);                              \
        errno = ENOSYS;                                                              \
    } while (0)
