// The 8254 programmable interval timer [Intel 8254 datasheet; OSDev "PIT"],
// used once at boot as a known 1.193182 MHz reference for the TSC.
#pragma once

#include "kernel/drivers/PortIo.h"

#include <cstdint>

namespace fluid::x86 {

class Pit {
public:
    static constexpr uint32_t frequency_hz = 1193182;
    explicit Pit(PortIo& io) : m_io(io) { }

    // Runs channel 2 in one-shot mode for `ticks` PIT ticks (< 65536) and
    // returns how many TSC cycles passed. Channel 2's gate and output are
    // on port 0x61, so no interrupt is needed.
    uint64_t measure_tsc_over(uint16_t ticks);

    // Whether channel 2 counts at all. Some UEFI-only machines have no
    // 8254; there its ports read 0xff forever and measure_tsc_over would
    // wait for an output that never rises.
    bool is_counting();

private:
    PortIo& m_io;
};

} // namespace fluid::x86
