// Walking the stack for panic reports.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::arch {

// Fills `pcs` with first_pc followed by the return addresses found by
// following the frame-pointer chain from `frame_pointer`. Stops at a null,
// misaligned or non-increasing frame pointer. Returns the count.
size_t collect_backtrace(uint64_t first_pc, uint64_t frame_pointer, uint64_t* pcs, size_t max);

} // namespace fluid::arch
