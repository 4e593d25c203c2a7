// An AP's first C++ (from ApTrampoline.S). Compiled with
// -fno-stack-protector: %fs holds no TCB until the first line.
#include "kernel/arch/x86_64/CpuState.h"
#include "kernel/arch/x86_64/Idt.h"
#include "kernel/arch/x86_64/LocalApic.h"
#include "kernel/arch/x86_64/TlbShootdown.h"

extern "C" [[noreturn]] void ap_main(uint64_t index)
{
    using namespace fluid::x86;
    CpuState* state = cpu_state(uint32_t(index));
    if (!state) { // the BSP gave up on us; stay out of the way
        for (;;)
            asm volatile("cli; hlt");
    }
    install_thread_control_block(state->tcb);
    state->gdt.load();
    Idt::load();
    LocalApic::init_this_cpu();
    tlb_shootdown_add_cpu();
    ap_arrived.store(uint32_t(index), std::memory_order_release);
    state->entry(uint32_t(index));
    for (;;)
        asm volatile("cli; hlt");
}
