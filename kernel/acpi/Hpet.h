// The HPET description table [IA-PC HPET Specification 1.0a §3.2.4]:
// where the event timer block's registers are. The timer itself is
// programmed by arch code; this only reads and checks the table.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <span>

namespace fluid {

struct HpetInfo {
    uint64_t address;           // MMIO base of the timer block
    uint8_t hpet_number;
    uint16_t minimum_tick;      // in main-counter ticks, for periodic mode
    uint16_t vendor_id;         // from the event timer block id
    uint8_t comparator_count;   // timers in this block
    bool counter_is_64_bit;
};

ErrorOr<HpetInfo> parse_hpet(std::span<const uint8_t> table);

} // namespace fluid
