#include "kernel/arch/x86_64/Pit.h"

#include "kernel/arch/x86_64/Cpuid.h"

namespace fluid::x86 {

static constexpr uint16_t port_channel2 = 0x42;
static constexpr uint16_t port_command = 0x43;
static constexpr uint16_t port_gate = 0x61;

uint64_t Pit::measure_tsc_over(uint16_t ticks)
{
    // Gate high, speaker off.
    m_io.write8(port_gate, (m_io.read8(port_gate) & ~0x02) | 0x01);
    // Channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count), binary.
    m_io.write8(port_command, 0xb0);
    m_io.write8(port_channel2, ticks & 0xff);
    m_io.write8(port_channel2, ticks >> 8);
    // Restart the count by toggling the gate.
    uint8_t gate = m_io.read8(port_gate);
    m_io.write8(port_gate, gate & ~0x01);
    m_io.write8(port_gate, gate | 0x01);
    uint64_t start = rdtsc();
    // OUT2 (bit 5) rises at terminal count. Bound the wait in case the PIT
    // is absent (some UEFI machines): ~2^32 polls is far past any real count.
    for (uint64_t spins = 0; !(m_io.read8(port_gate) & 0x20); ++spins) {
        if (spins > (1ull << 32))
            return 0;
    }
    return rdtsc() - start;
}

} // namespace fluid::x86
