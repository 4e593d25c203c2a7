#include "kernel/Panic.h"

#include "kernel/KernelSymbols.h"
#include "kernel/lib/Spinlock.h"
#include "kernel/drivers/Console.h"

#include <arch/backtrace.h>
#include <arch/cpu.h>
#include <arch/mp.h>
#include <arch/power.h>

#include <atomic>
#include <cstdarg>

namespace fluid {

static constexpr uint32_t no_cpu = ~0u;
static std::atomic<uint32_t> panicking_cpu { no_cpu };

bool panic_in_progress() { return panicking_cpu.load(std::memory_order_relaxed) != no_cpu; }

bool panic_begin()
{
    arch::disable_interrupts();
    uint32_t self = arch::current_cpu_index();
    uint32_t expected = no_cpu;
    if (!panicking_cpu.compare_exchange_strong(expected, self)) {
        // Another CPU is reporting its panic: stay quiet and let it finish.
        if (expected != self)
            arch::halt_forever();
        // A fault while reporting a fault: say so as plainly as possible.
        console().write_raw("\r\nPANIC: fault during panic report\r\n");
        arch::emulator_exit(1);
        arch::halt_forever();
    }
    // The others stop where they are, so the report is not interleaved
    // with their output and nothing changes under it.
    arch::stop_other_cpus();
    console().enter_panic_mode();
    return true;
}

void panic_print_backtrace(uint64_t first_pc, uint64_t frame_pointer)
{
    kprintf("backtrace:\n");
    uint64_t pcs[32];
    size_t count = arch::collect_backtrace(first_pc, frame_pointer, pcs, 32);
    for (size_t i = 0; i < count; ++i) {
        // A return address may sit just past the end of a function whose
        // last instruction is the call; look up the call itself.
        uint64_t lookup_pc = i == 0 ? pcs[i] : pcs[i] - 1;
        uint64_t offset = 0;
        const char* name = kernel_symbols().lookup(lookup_pc, &offset);
        if (name)
            kprintf("  #%zu 0x%016lx %s+0x%lx\n", i, pcs[i], name, offset + (pcs[i] - lookup_pc));
        else
            kprintf("  #%zu 0x%016lx ?\n", i, pcs[i]);
    }
}

void panic_end()
{
    kprintf("fluid: halted after panic\n");
    arch::emulator_exit(1);
    arch::halt_forever();
}

void panic(const char* fmt, ...)
{
    panic_begin();
    char message[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof(message), fmt, args);
    va_end(args);
    kprintf("\nPANIC: %s\n", message);
    kprintf("  on cpu %u\n", arch::current_cpu_index());
    // Start at our caller: its PC is our return address, its frame is the
    // one our frame links to.
    auto* frame = static_cast<uint64_t*>(__builtin_frame_address(0));
    panic_print_backtrace(reinterpret_cast<uint64_t>(__builtin_return_address(0)), frame[0]);
    panic_end();
}

// Spinlock's lock-order check (kernel/lib/Spinlock.h) reports here.
static void lock_order_violation(const char* name, LockRank rank, uint64_t held)
{
    panic("lock order: taking '%s' (rank %u) while holding rank(s) mask %#lx", name ? name : "?", unsigned(rank),
          held);
}

[[gnu::constructor]] static void install_lock_order_check() { lock_order::set_violation_handler(lock_order_violation); }

} // namespace fluid
