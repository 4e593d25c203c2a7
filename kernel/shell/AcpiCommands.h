// `acpi`: list the firmware's ACPI tables, or dump one in hex (which is how
// the real tables under tests/unit/acpi/data/ were captured from QEMU).
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

void cmd_acpi(const CommandLine&);

} // namespace fluid
