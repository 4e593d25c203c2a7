#include "kernel/arch/x86_64/Pit.h"

#include "kernel/arch/x86_64/Cpuid.h"

namespace fluid::x86 {

static constexpr uint16_t port_channel2 = 0x42;
static constexpr uint16_t port_command = 0x43;
static constexpr uint16_t port_gate = 0x61;

bool Pit::is_counting()
{
    // Gate high, speaker off; channel 2, lobyte/hibyte, mode 0, count 0xffff.
    m_io.write8(port_gate, (m_io.read8(port_gate) & ~0x02) | 0x01);
    m_io.write8(port_command, 0xb0);
    m_io.write8(port_channel2, 0xff);
    m_io.write8(port_channel2, 0xff);
    auto read_count = [&] {
        m_io.write8(port_command, 0x80); // latch channel 2's count
        uint8_t low = m_io.read8(port_channel2);
        return uint16_t(low | m_io.read8(port_channel2) << 8);
    };
    uint16_t first = read_count();
    // A port read takes about a microsecond on hardware, a PIT tick 0.84 us:
    // a working PIT has moved long before 10000 reads.
    for (int i = 0; i < 10000; ++i) {
        uint16_t now = read_count();
        if (now != first)
            return true;
    }
    return false;
}

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
