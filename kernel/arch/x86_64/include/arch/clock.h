// The monotonic clock. x86: the TSC, calibrated at boot against the PIT,
// or the HPET or ACPI PM timer on machines without one.
#pragma once

#include <cstdint>

namespace fluid {
class AcpiTables;
}

namespace fluid::arch {

// Calibrates the clock against the best reference there is (`acpi` may be
// null: then only the PIT); until then now_ns() returns 0. Returns what it
// was calibrated against, for the boot log.
const char* clock_init(const AcpiTables* acpi);
uint64_t now_ns();
uint64_t ticks();
uint64_t ticks_per_second();
// Busy-wait, for device timeouts before any timer interrupt exists.
void delay_us(uint64_t microseconds);

} // namespace fluid::arch
