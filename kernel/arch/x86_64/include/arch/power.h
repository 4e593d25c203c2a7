// Leaving the machine: power off, reboot, and the test harness exit.
#pragma once

#include <cstdint>

namespace fluid {
class AcpiTables;
}

namespace fluid::arch {

// ACPI S5 when the tables describe it; otherwise a QEMU exit, otherwise halt.
[[noreturn]] void power_off(const AcpiTables* acpi);
[[noreturn]] void reboot(const AcpiTables* acpi);

// Under QEMU with isa-debug-exit, ends the VM with status (code << 1) | 1.
// A no-op on real hardware.
void emulator_exit(uint8_t code);

} // namespace fluid::arch
