// The monotonic clock of <arch/clock.h>: the TSC, calibrated at boot.
#include "kernel/arch/x86_64/Cpuid.h"
#include "kernel/arch/x86_64/Pit.h"
#include "kernel/arch/x86_64/PortIo.h"

#include <arch/clock.h>

namespace fluid::arch {

static uint64_t tsc_hz;
static uint64_t tsc_at_boot;

void clock_init()
{
    // Median of three 10 ms windows: TCG and SMIs can stretch one of them.
    x86::Pit pit(x86::port_io());
    uint64_t samples[3];
    for (auto& s : samples)
        s = pit.measure_tsc_over(x86::Pit::frequency_hz / 100);
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2 - i; ++j)
            if (samples[j] > samples[j + 1]) {
                uint64_t t = samples[j];
                samples[j] = samples[j + 1];
                samples[j + 1] = t;
            }
    uint64_t cycles = samples[1];
    // Without a PIT we fall back to a nominal 1 GHz; uptime is then only
    // approximate (the HPET path arrives with the SMP work).
    tsc_hz = cycles ? cycles * 100 : 1000000000ull;
    tsc_at_boot = x86::rdtsc();
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
