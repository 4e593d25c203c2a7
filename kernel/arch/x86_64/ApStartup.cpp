// Starting one AP: its own GDT, TSS and IST stacks, TLS block and TCB,
// then INIT-SIPI-SIPI [SDM 3A §9.4.4.1; Intel MP spec B.4] and a bounded
// wait for it to report in (ApEntry.cpp).
#include "kernel/arch/x86_64/CpuState.h"
#include "kernel/arch/x86_64/LocalApic.h"

#include <arch/clock.h>
#include <arch/mp.h>

#include <cstdlib>
#include <new>

extern "C" {
extern char trampoline_stack[], trampoline_cpu_index[];
}

namespace fluid::x86 {

static ErrorOr<CpuState*> create_cpu_state(uint32_t index, uint32_t hardware_id, arch::CpuEntry entry)
{
    void* ist = aligned_alloc(4096, ist_slot_count * ist_stack_size);
    void* tls = aligned_alloc(tls_area_alignment(), (tls_area_size() + 4095) & ~size_t(4095));
    auto* state = new (std::nothrow) CpuState;
    if (!ist || !tls || !state) {
        free(ist);
        free(tls);
        delete state;
        return Error::format(ErrorCode::NoMemory, "smp: no memory for cpu %u's tables", index);
    }
    state->gdt.init(ist);
    state->tcb = create_thread_control_block(tls, index);
    state->hardware_id = hardware_id;
    state->entry = entry;
    return state;
}

static bool wait_for_arrival(uint32_t index, uint64_t timeout_us)
{
    uint64_t end = arch::now_ns() + timeout_us * 1000;
    while (arch::now_ns() < end) {
        if (ap_arrived.load(std::memory_order_acquire) == index)
            return true;
        asm volatile("pause");
    }
    return ap_arrived.load(std::memory_order_acquire) == index;
}

} // namespace fluid::x86

namespace fluid::arch {

using namespace fluid::x86;

ErrorOr<void> start_cpu(uint32_t index, uint32_t hardware_id, uint64_t stack_top, CpuEntry entry,
                        uint32_t timeout_ms)
{
    if (index == 0 || index >= max_cpus || !trampoline_page)
        return Error::format(ErrorCode::Invalid, "smp: cannot start cpu index %u", index);
    CpuState* state = TRY(create_cpu_state(index, hardware_id, entry));
    set_cpu_state(index, state);
    trampoline_field<uint64_t>(trampoline_stack) = stack_top;
    trampoline_field<uint64_t>(trampoline_cpu_index) = index;
    asm volatile("mfence" ::: "memory");

    uint8_t vector = uint8_t(trampoline_page >> 12);
    LocalApic::send_init(hardware_id);
    delay_us(10'000);
    LocalApic::send_startup(hardware_id, vector);
    if (!wait_for_arrival(index, 200)) {
        // The second SIPI is for CPUs that missed the first [SDM 3A §9.4.4.1].
        LocalApic::send_startup(hardware_id, vector);
        if (!wait_for_arrival(index, uint64_t(timeout_ms) * 1000)) {
            set_cpu_state(index, nullptr); // its tables stay allocated: it may still wake up
            return Error::format(ErrorCode::Timeout, "smp: cpu %u (APIC id %u) did not start within %u ms", index,
                                 hardware_id, timeout_ms);
        }
    }
    return {};
}

void wake_cpu(uint32_t hardware_id) { LocalApic::send_fixed(hardware_id, vectors::wakeup); }

void stop_other_cpus()
{
    if (interrupt_controllers_ready())
        LocalApic::send_nmi_to_others();
}

} // namespace fluid::arch
