// Which MADT processors to start, and which to leave out and why. Real
// firmware lists odd things: disabled entries (often dozens, for sockets
// or cores that are not there), the same processor in both a local APIC
// and an x2APIC entry, x2APIC ids above 255 that a CPU in xAPIC mode
// cannot address, and the invalid id 0xffffffff. None of these is fatal:
// the rest start, and each skipped one is reported once.
#pragma once

#include "kernel/acpi/Madt.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace fluid {

struct SkippedProcessor {
    uint32_t apic_id;
    const char* reason;
};

struct ProcessorSelection {
    std::vector<MadtProcessor> to_start;   // in MADT order, the boot CPU excluded
    std::vector<SkippedProcessor> skipped; // enabled entries that will not be started
    size_t disabled = 0;                   // entries not enabled (not reported one by one)
    bool boot_listed = false;              // the boot CPU's own entry was found
    uint32_t boot_acpi_uid = 0;            // its ACPI UID, if found
};

// `highest_apic_id`: 0xfe when the boot CPU drives its APIC in xAPIC mode
// (8-bit destinations, 0xff is broadcast), 0xfffffffe in x2APIC mode.
ProcessorSelection select_processors(std::span<const MadtProcessor> processors, uint32_t boot_apic_id,
                                     uint32_t highest_apic_id);

} // namespace fluid
