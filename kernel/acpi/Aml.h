// Just enough AML to read the \_S5_ sleep package (ACPI 6.5 §7.4.2.5 "\_S5
// (S5 System State)") without an interpreter: a NameOp defining _S5_ as a
// package of integer constants, which is how every firmware we know of
// encodes it.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <span>

namespace fluid::acpi {

// SLP_TYPa and SLP_TYPb: 3-bit values for PM1x_CNT.SLP_TYP (ACPI 6.5
// §4.8.3.2.1, Table 4.13).
struct SleepTypes {
    uint8_t a;
    uint8_t b;
};

// `aml` is the DSDT body after its SdtHeader.
ErrorOr<SleepTypes> find_s5_sleep_types(std::span<const uint8_t> aml);

} // namespace fluid::acpi
