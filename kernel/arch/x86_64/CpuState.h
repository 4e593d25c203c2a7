// What each x86 CPU owns: descriptor tables, IST stacks and the thread
// control block %fs points at. Allocated by the boot CPU before it starts
// the CPU (Mp.cpp) and never freed.
#pragma once

#include "kernel/arch/x86_64/Gdt.h"
#include "kernel/arch/x86_64/ThreadControlBlock.h"

#include <arch/mp.h>
#include <arch/recovery.h>

#include <atomic>
#include <cstdint>

namespace fluid::x86 {

struct CpuState {
    Gdt gdt;
    ThreadControlBlock* tcb { nullptr };
    uint32_t hardware_id { 0 };
    arch::CpuEntry entry { nullptr };
    // The innermost armed recovery point and its deadline (Recovery.cpp);
    // the deadline is read by the boot CPU's watchdog tick.
    std::atomic<arch::RecoveryPoint*> recovery { nullptr };
    std::atomic<uint64_t> watchdog_deadline { 0 };
};

// Index -> state; the boot CPU's is set up by cpu_init_boot().
CpuState* cpu_state(uint32_t index);

// Written by an AP as soon as it runs C++ (ApEntry.cpp), read by the BSP.
extern std::atomic<uint32_t> ap_arrived;

} // namespace fluid::x86

extern "C" {
extern char ap_trampoline_start[];
}

namespace fluid::x86 {

void set_cpu_state(uint32_t index, CpuState* state);

// Where mp_init() copied the trampoline; its data fields are reached by
// the same symbol offsets as in the linked copy.
extern uint64_t trampoline_page;

template<typename T>
T& trampoline_field(char* symbol)
{
    return *reinterpret_cast<T*>(trampoline_page + uint64_t(symbol - ap_trampoline_start));
}

} // namespace fluid::x86
