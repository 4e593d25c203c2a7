// Multiprocessor support as generic code sees it (compare Zircon's
// arch/mp.h): the interrupt controllers, starting a CPU, and the IPIs the
// scheduler-less kernel needs. On x86 these are the local APIC, the I/O
// APIC and INIT-SIPI-SIPI (kernel/arch/x86_64/Mp.cpp).
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <arch/interrupts.h>

#include <cstdint>

namespace fluid {
class Madt;
}

namespace fluid::arch {

constexpr uint32_t max_cpus = 256;

// Index of the calling CPU: 0 on the boot CPU, then in start order. O(1):
// one load through the thread pointer.
uint32_t current_cpu_index();

// The calling CPU's interrupt-controller id (local APIC id on x86).
uint32_t current_cpu_hardware_id();

// Boot CPU: turns the legacy PICs off, enables the local APIC (x2APIC
// mode when present), masks every I/O APIC input, calibrates the local
// timer and starts a `tick_hz` tick on this CPU.
ErrorOr<void> interrupt_controllers_init(const Madt& madt, uint32_t tick_hz);
bool interrupt_controllers_ready();
const char* interrupt_controller_name(); // "x2APIC", "xAPIC" or "none"
// The highest hardware id start_cpu can reach in the mode the controllers
// run in (x86: 0xfe in xAPIC mode, 8-bit destinations; 0xfffffffe in x2APIC).
uint32_t highest_cpu_hardware_id();
uint64_t local_timer_hz();
uint64_t timer_ticks(); // ticks on the boot CPU since interrupt_controllers_init

// Routes ISA IRQ `irq` (after MADT overrides) to the boot CPU and calls
// `handler` for it. The end of interrupt is signalled by the dispatcher.
ErrorOr<void> route_isa_irq(uint8_t irq, InterruptHandler handler, void* context);

// Copies the start-up trampoline to `page` (4 KiB, below 1 MiB, usable RAM).
ErrorOr<void> mp_init(uint64_t page);

// Starts the CPU with hardware id `hardware_id`; it runs
// entry(cpu_index) on the stack ending at `stack_top`, with its own
// descriptor tables and thread pointer. Returns once the CPU has reached
// entry, or an error if it did not answer within `timeout_ms`.
using CpuEntry = void (*)(uint32_t cpu_index);
ErrorOr<void> start_cpu(uint32_t cpu_index, uint32_t hardware_id, uint64_t stack_top, CpuEntry entry,
                        uint32_t timeout_ms);

// A wake-up interrupt for a CPU sleeping in wait_for_interrupt().
void wake_cpu(uint32_t hardware_id);

// Stops every other CPU (NMI); for the panic path.
void stop_other_cpus();

} // namespace fluid::arch
