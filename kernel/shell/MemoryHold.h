// `mem hold` and `mem release`: take free memory away from everyone, on
// purpose, to see how requests behave when the machine runs short
// (integration.memory_pressure.bios). Like Linux's fault injection, it
// exists for testing; the pages are real allocations from the page
// allocator, so every allocator and check sees the shortage.
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

// `mem hold --leave BYTES` (suffixes K, M, G) holds pages until BYTES are
// free; `mem release` gives them all back. Prints what it did.
void cmd_mem_hold(const CommandLine&);

} // namespace fluid
