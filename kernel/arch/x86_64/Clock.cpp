// The monotonic clock of <arch/clock.h>: the TSC, calibrated at boot against
// the best reference the machine has. The 8254 PIT when it counts; else the
// HPET [IA-PC HPET 1.0a §2.3]; else the ACPI PM timer [ACPI 6.5 §4.8.3.3].
// UEFI-only PCs may lack the PIT; the HPET and the PM timer come from ACPI.
#include "kernel/acpi/AcpiTables.h"
#include "kernel/acpi/Hpet.h"
#include "kernel/arch/x86_64/Cpuid.h"
#include "kernel/arch/x86_64/Pit.h"
#include "kernel/arch/x86_64/PortIo.h"

#include <arch/clock.h>
#include <arch/mmu.h>
#include <utility>

namespace fluid::arch {

static uint64_t tsc_hz;
static uint64_t tsc_at_boot;

namespace {

constexpr uint64_t window_divisor = 100; // 10 ms calibration windows

// Median of three windows: TCG and SMIs can stretch one of them.
template<typename Measure>
uint64_t median_of_three(Measure measure)
{
    uint64_t a = measure(), b = measure(), c = measure();
    if (!a || !b || !c)
        return 0;
    if (a > b)
        std::swap(a, b);
    if (b > c)
        std::swap(b, c);
    return a > b ? a : b;
}

uint64_t calibrate_against_pit()
{
    x86::Pit pit(x86::port_io());
    if (!pit.is_counting())
        return 0;
    return median_of_three([&] { return pit.measure_tsc_over(x86::Pit::frequency_hz / window_divisor); })
        * window_divisor;
}

// HPET registers [IA-PC HPET 1.0a §2.3.7]: capabilities (period in fs in
// the high half), configuration (bit 0 ENABLE_CNF), main counter.
constexpr uint32_t hpet_capabilities = 0x000, hpet_configuration = 0x010, hpet_main_counter = 0x0f0;
constexpr uint64_t femtoseconds_per_second = 1000000000000000ull;

uint64_t calibrate_against_hpet(const AcpiTables& acpi)
{
    auto table = acpi.find_table("HPET");
    if (table.is_error())
        return 0;
    auto length = reinterpret_cast<const acpi::SdtHeader*>(table.value())->length;
    auto info = parse_hpet({ table.value(), length });
    if (info.is_error() || info->address == 0 || mmu_map_identity(info->address, 0x400, true).is_error())
        return 0;
    auto reg = [&](uint32_t offset) { return reinterpret_cast<volatile uint64_t*>(info->address + offset); };
    uint64_t period_fs = *reg(hpet_capabilities) >> 32;
    // The specification caps the period at 100 ns; 0 means no timer there.
    if (period_fs == 0 || period_fs > 100000000)
        return 0;
    *reg(hpet_configuration) |= 1; // start the main counter (harmless if running)
    uint64_t mask = info->counter_is_64_bit ? ~0ull : 0xffffffffull;
    uint64_t window = femtoseconds_per_second / window_divisor / period_fs;
    auto measure = [&]() -> uint64_t {
        uint64_t start = *reg(hpet_main_counter) & mask;
        uint64_t tsc_start = x86::rdtsc();
        uint64_t spins = 0, elapsed = 0;
        while ((elapsed = ((*reg(hpet_main_counter) & mask) - start) & mask) < window) {
            if (++spins > (1ull << 28) && elapsed == 0)
                return 0; // the counter does not move
        }
        uint64_t cycles = x86::rdtsc() - tsc_start;
        return uint64_t((unsigned __int128)cycles * femtoseconds_per_second / (elapsed * period_fs));
    };
    return median_of_three(measure);
}

uint64_t calibrate_against_pm_timer(const AcpiTables& acpi)
{
    PmTimer timer = acpi.pm_timer();
    if (!timer.present)
        return 0;
    auto& io = x86::port_io();
    uint32_t mask = timer.is_32_bit ? 0xffffffffu : 0xffffffu;
    uint32_t window = PmTimer::frequency_hz / window_divisor;
    auto measure = [&]() -> uint64_t {
        uint32_t start = io.read32(timer.port) & mask;
        uint64_t tsc_start = x86::rdtsc();
        uint64_t spins = 0;
        uint32_t elapsed = 0;
        while ((elapsed = ((io.read32(timer.port) & mask) - start) & mask) < window) {
            if (++spins > (1ull << 26) && elapsed == 0)
                return 0;
        }
        uint64_t cycles = x86::rdtsc() - tsc_start;
        return uint64_t((unsigned __int128)cycles * PmTimer::frequency_hz / elapsed);
    };
    return median_of_three(measure);
}

} // namespace

const char* clock_init(const AcpiTables* acpi)
{
    const char* reference = "the PIT";
    uint64_t hz = calibrate_against_pit();
    if (!hz && acpi) {
        reference = "the HPET (no PIT)";
        hz = calibrate_against_hpet(*acpi);
    }
    if (!hz && acpi) {
        reference = "the ACPI PM timer (no PIT, no HPET)";
        hz = calibrate_against_pm_timer(*acpi);
    }
    if (!hz) {
        // Nothing to measure against: uptime and timeouts are only rough.
        reference = "nothing (no PIT, HPET or PM timer): assuming 1 GHz";
        hz = 1000000000ull;
    }
    tsc_hz = hz;
    tsc_at_boot = x86::rdtsc();
    return reference;
}

uint64_t ticks() { return x86::rdtsc(); }
uint64_t ticks_per_second() { return tsc_hz; }

uint64_t now_ns()
{
    if (!tsc_hz)
        return 0;
    uint64_t elapsed = x86::rdtsc() - tsc_at_boot;
    return uint64_t((unsigned __int128)elapsed * 1000000000u / tsc_hz);
}

void delay_us(uint64_t microseconds)
{
    uint64_t hz = tsc_hz ? tsc_hz : 1000000000ull;
    uint64_t end = x86::rdtsc() + hz / 1000000 * microseconds;
    while (x86::rdtsc() < end)
        asm volatile("pause");
}

} // namespace fluid::arch

namespace fluid::x86 {

X86PortIo& port_io()
{
    static X86PortIo io;
    return io;
}

} // namespace fluid::x86
