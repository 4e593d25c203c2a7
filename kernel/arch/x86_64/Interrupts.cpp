// Exception and interrupt dispatch for the boot CPU (the SMP work extends
// it to every core).
#include "kernel/arch/x86_64/CpuState.h"
#include "kernel/arch/x86_64/Cpuid.h"
#include "kernel/arch/x86_64/Gdt.h"
#include "kernel/arch/x86_64/Idt.h"
#include "kernel/arch/x86_64/InterruptFrame.h"
#include "kernel/arch/x86_64/LocalApic.h"
#include "kernel/arch/x86_64/Recovery.h"
#include "kernel/Panic.h"
#include "kernel/KernelSymbols.h"
#include "kernel/drivers/Console.h"

#include <arch/cpu.h>
#include <arch/interrupts.h>
#include <arch/mp.h>

namespace fluid::x86 {

static const char* const exception_names[32] = {
    "divide error (#DE)", "debug (#DB)", "non-maskable interrupt (NMI)", "breakpoint (#BP)",
    "overflow (#OF)", "bound range exceeded (#BR)", "invalid opcode (#UD)", "device not available (#NM)",
    "double fault (#DF)", "coprocessor segment overrun", "invalid TSS (#TS)", "segment not present (#NP)",
    "stack-segment fault (#SS)", "general protection fault (#GP)", "page fault (#PF)", "reserved (15)",
    "x87 floating-point error (#MF)", "alignment check (#AC)", "machine check (#MC)",
    "SIMD floating-point exception (#XM)", "virtualization exception (#VE)",
    "control protection exception (#CP)", "reserved (22)", "reserved (23)", "reserved (24)",
    "reserved (25)", "reserved (26)", "reserved (27)", "hypervisor injection (#HV)",
    "VMM communication (#VC)", "security exception (#SX)", "reserved (31)",
};

struct HandlerSlot {
    arch::InterruptHandler handler;
    void* context;
};
static HandlerSlot handlers[256];

static void describe_page_fault(uint64_t error)
{
    // Error code bits [SDM 3A §4.7].
    kprintf("  cause: %s access, %s, %s%s\n", (error & 16) ? "instruction fetch" : (error & 2) ? "write" : "read",
            (error & 1) ? "protection violation" : "page not present", (error & 4) ? "user mode" : "kernel mode",
            (error & 8) ? ", reserved bit set" : "");
}

static void print_location(const char* label, uint64_t address)
{
    uint64_t offset = 0;
    const char* name = kernel_symbols().lookup(address, &offset);
    if (name)
        kprintf("%s 0x%016lx <%s+0x%lx>\n", label, address, name, offset);
    else
        kprintf("%s 0x%016lx\n", label, address);
}

[[noreturn]] static void exception_panic(const InterruptFrame& f)
{
    panic_begin();
    kprintf("\nPANIC: %s, vector %lu, error code 0x%lx\n", exception_names[f.vector & 31], f.vector, f.error_code);
    kprintf("  on cpu %u (APIC id %u)\n", arch::current_cpu_index(), arch::current_cpu_hardware_id());
    print_location("  at RIP", f.rip);
    if (f.vector == 14) {
        kprintf("  CR2 (faulting address) 0x%016lx\n", read_cr2());
        describe_page_fault(f.error_code);
    }
    kprintf("  RAX %016lx RBX %016lx RCX %016lx RDX %016lx\n", f.rax, f.rbx, f.rcx, f.rdx);
    kprintf("  RSI %016lx RDI %016lx RBP %016lx RSP %016lx\n", f.rsi, f.rdi, f.rbp, f.rsp);
    kprintf("  R8  %016lx R9  %016lx R10 %016lx R11 %016lx\n", f.r8, f.r9, f.r10, f.r11);
    kprintf("  R12 %016lx R13 %016lx R14 %016lx R15 %016lx\n", f.r12, f.r13, f.r14, f.r15);
    kprintf("  RFLAGS %016lx CS %04lx SS %04lx CR3 %016lx\n", f.rflags, f.cs, f.ss, read_cr3());
    panic_print_backtrace(f.rip, f.rbp);
    panic_end();
}

extern "C" void interrupt_dispatch(InterruptFrame* frame)
{
    uint64_t vector = frame->vector;
    // Another CPU panicked and stopped the rest of us with an NMI.
    if (vector == 2 && panic_in_progress())
        arch::halt_forever();
    // A fault in module code under a recovery point returns into the
    // point (Recovery.cpp); everything else is the kernel's own fault.
    if (vector < 32 && !recover_from_exception(*frame, vector == 14 ? read_cr2() : 0))
        exception_panic(*frame);
    if (vector < 32)
        return;
    if (vector == vectors::spurious)
        return; // no EOI for a spurious interrupt [SDM 3A §11.9]
    // The module-call watchdog: the boot CPU's tick checks every CPU's
    // deadline, the watchdog IPI makes the CPU that overran check its own.
    if (vector == vectors::timer || vector == vectors::watchdog)
        recovery_on_tick(*frame, vector == vectors::timer && arch::current_cpu_index() == 0);
    if (vector == vectors::watchdog) {
        LocalApic::end_of_interrupt();
        return;
    }
    HandlerSlot& slot = handlers[vector];
    if (slot.handler)
        slot.handler(uint8_t(vector), slot.context);
    if (arch::interrupt_controllers_ready())
        LocalApic::end_of_interrupt();
    if (slot.handler)
        return;
    // Nothing should raise unclaimed vectors; report each one once.
    static bool reported[256];
    if (!reported[vector]) {
        reported[vector] = true;
        kprintf("interrupts: unexpected vector %lu ignored\n", vector);
    }
}

static CpuState boot_cpu_state;
alignas(4096) static char boot_ist_stacks[ist_slot_count * ist_stack_size];

} // namespace fluid::x86

namespace fluid::arch {

void cpu_init_boot()
{
    using namespace fluid::x86;
    boot_cpu_state.gdt.init(boot_ist_stacks);
    boot_cpu_state.gdt.load();
    boot_cpu_state.hardware_id = arch::boot_cpu_apic_id();
    set_cpu_state(0, &boot_cpu_state);
    Idt::init();
    Idt::load();
}

void register_interrupt_handler(uint8_t vector, InterruptHandler handler, void* context)
{
    x86::handlers[vector] = { handler, context };
}

} // namespace fluid::arch
