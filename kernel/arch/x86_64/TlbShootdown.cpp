#include "kernel/arch/x86_64/TlbShootdown.h"

#include "kernel/arch/x86_64/Cpuid.h"
#include "kernel/arch/x86_64/LocalApic.h"

#include <arch/clock.h>
#include <arch/interrupts.h>
#include <arch/mp.h>

#include <atomic>

namespace fluid::x86 {

static std::atomic<uint32_t> other_cpus { 0 };
static std::atomic<uint64_t> acknowledged { 0 };
static bool ready;

static void on_shootdown(uint8_t, void*)
{
    write_cr3(read_cr3());
    acknowledged.fetch_add(1, std::memory_order_release);
}

void tlb_shootdown_init()
{
    arch::register_interrupt_handler(vectors::tlb_shootdown, on_shootdown, nullptr);
    ready = true;
}

void tlb_shootdown_add_cpu() { other_cpus.fetch_add(1, std::memory_order_seq_cst); }

void tlb_shootdown()
{
    uint32_t others = other_cpus.load(std::memory_order_seq_cst);
    if (!ready || others == 0)
        return;
    // The caller holds the MMU lock, so one shootdown runs at a time and
    // `acknowledged` only counts answers to this one.
    uint64_t target = acknowledged.load(std::memory_order_acquire) + others;
    LocalApic::send_fixed_to_others(vectors::tlb_shootdown);
    uint64_t deadline = arch::now_ns() + 100'000'000;
    while (acknowledged.load(std::memory_order_acquire) < target && arch::now_ns() < deadline)
        asm volatile("pause");
    // Late answers from a slow CPU must not count towards the next round.
    acknowledged.store(target, std::memory_order_release);
}

} // namespace fluid::x86
