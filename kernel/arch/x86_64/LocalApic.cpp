#include "kernel/arch/x86_64/LocalApic.h"

#include "kernel/arch/x86_64/Cpuid.h"
#include "kernel/arch/x86_64/Msr.h"

#include <arch/clock.h>

#include <utility>

namespace fluid::x86 {

// Register offsets in the xAPIC page; x2APIC MSR = 0x800 + offset / 16
// [SDM 3A Table 11-1, Table 11-6].
enum Register : uint32_t {
    Id = 0x20,
    TaskPriority = 0x80,
    Eoi = 0xb0,
    SpuriousVector = 0xf0,
    ErrorStatus = 0x280,
    IcrLow = 0x300,
    IcrHigh = 0x310,
    LvtTimer = 0x320,
    LvtLint0 = 0x350,
    LvtLint1 = 0x360,
    LvtError = 0x370,
    TimerInitial = 0x380,
    TimerCurrent = 0x390,
    TimerDivide = 0x3e0,
};

constexpr uint32_t lvt_masked = 1u << 16;
constexpr uint32_t lvt_periodic = 1u << 17;
constexpr uint32_t svr_enable = 1u << 8;
constexpr uint32_t icr_delivery_pending = 1u << 12;
constexpr uint32_t icr_level_assert = 1u << 14;
constexpr uint32_t icr_mode_nmi = 4u << 8;
constexpr uint32_t icr_mode_init = 5u << 8;
constexpr uint32_t icr_mode_startup = 6u << 8;
constexpr uint32_t icr_all_but_self = 3u << 18;
constexpr uint32_t timer_divide_by_16 = 0x3;

void LocalApic::select_mode(uint64_t mmio_base)
{
    s_x2apic = cpu_features().x2apic;
    s_mmio_base = mmio_base;
}

uint32_t LocalApic::read(uint32_t offset)
{
    if (s_x2apic)
        return uint32_t(read_msr(x2apic_msr(offset)));
    return *reinterpret_cast<volatile uint32_t*>(s_mmio_base + offset);
}

void LocalApic::write(uint32_t offset, uint32_t value)
{
    if (s_x2apic)
        write_msr(x2apic_msr(offset), value);
    else
        *reinterpret_cast<volatile uint32_t*>(s_mmio_base + offset) = value;
}

void LocalApic::init_this_cpu()
{
    // Global enable, and EXTD for x2APIC (xAPIC -> x2APIC is the one legal
    // transition from an enabled APIC) [SDM 3A §11.12.5].
    uint64_t base = read_msr(Msr::ApicBase) | apic_base_enable;
    write_msr(Msr::ApicBase, base);
    if (s_x2apic)
        write_msr(Msr::ApicBase, base | apic_base_x2apic);
    write(TaskPriority, 0);
    write(LvtLint0, lvt_masked);
    write(LvtLint1, lvt_masked);
    write(LvtTimer, lvt_masked);
    write(LvtError, vectors::error);
    write(ErrorStatus, 0); // back-to-back writes clear it [SDM 3A §11.5.3]
    write(ErrorStatus, 0);
    write(SpuriousVector, svr_enable | vectors::spurious);
    end_of_interrupt();
}

uint32_t LocalApic::id() { return s_x2apic ? read(Id) : read(Id) >> 24; }

void LocalApic::end_of_interrupt() { write(Eoi, 0); }

void LocalApic::write_icr(uint32_t apic_id, uint32_t low)
{
    if (s_x2apic) {
        // One 64-bit write; there is no delivery-status bit [SDM 3A §11.12.9].
        write_msr(x2apic_msr(IcrLow), (uint64_t(apic_id) << 32) | low);
        return;
    }
    // Two writes: an interrupt handler that sends an IPI in between (the
    // watchdog tick, Recovery.cpp) would retarget ours, so keep IF off.
    uint64_t flags;
    asm volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
    write(IcrHigh, apic_id << 24);
    write(IcrLow, low);
    for (int spins = 0; spins < 1000000 && (read(IcrLow) & icr_delivery_pending); ++spins)
        asm volatile("pause");
    if (flags & (1u << 9))
        asm volatile("sti" ::: "memory");
}

void LocalApic::send_fixed(uint32_t apic_id, uint8_t vector) { write_icr(apic_id, vector); }

void LocalApic::send_fixed_to_others(uint8_t vector) { write_icr(0, icr_all_but_self | vector); }

void LocalApic::send_nmi_to_others() { write_icr(0, icr_all_but_self | icr_mode_nmi | icr_level_assert); }

void LocalApic::send_init(uint32_t apic_id) { write_icr(apic_id, icr_mode_init | icr_level_assert); }

void LocalApic::send_startup(uint32_t apic_id, uint8_t page)
{
    write_icr(apic_id, icr_mode_startup | icr_level_assert | page);
}

void LocalApic::calibrate_timer()
{
    // The TSC was calibrated against the PIT (Clock.cpp); count the APIC
    // timer down over 10 ms of TSC time, three times, keep the median.
    uint64_t samples[3];
    for (auto& sample : samples) {
        write(TimerDivide, timer_divide_by_16);
        write(LvtTimer, lvt_masked);
        write(TimerInitial, 0xffffffff);
        uint64_t start = arch::now_ns();
        uint32_t first = read(TimerCurrent);
        while (arch::now_ns() - start < 10'000'000)
            asm volatile("pause");
        uint32_t last = read(TimerCurrent);
        uint64_t elapsed = arch::now_ns() - start;
        sample = elapsed ? uint64_t(first - last) * 1'000'000'000 / elapsed : 0;
        write(TimerInitial, 0);
    }
    if (samples[0] > samples[1]) std::swap(samples[0], samples[1]);
    if (samples[1] > samples[2]) std::swap(samples[1], samples[2]);
    if (samples[0] > samples[1]) std::swap(samples[0], samples[1]);
    s_timer_hz = samples[1];
}

void LocalApic::start_periodic_timer(uint32_t hz, uint8_t vector)
{
    if (!s_timer_hz || !hz)
        return;
    write(TimerDivide, timer_divide_by_16);
    write(LvtTimer, lvt_periodic | vector);
    uint64_t count = s_timer_hz / hz;
    write(TimerInitial, uint32_t(count ? count : 1));
}

} // namespace fluid::x86
