// The monotonic clock. x86: the TSC, calibrated against the PIT at boot.
#pragma once

#include <cstdint>

namespace fluid::arch {

// Calibrates the clock; until then now_ns() returns 0.
void clock_init();
uint64_t now_ns();
uint64_t ticks();
uint64_t ticks_per_second();
// Busy-wait, for device timeouts before any timer interrupt exists.
void delay_us(uint64_t microseconds);

} // namespace fluid::arch
