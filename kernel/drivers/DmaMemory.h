// Where DMA drivers get their descriptor memory: zeroed, physically
// contiguous, and addressable by the device at the address the CPU sees
// (the kernel runs on an identity map, so physical == virtual). The kernel
// backs it with the page allocator; host tests with ordinary memory.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstddef>

namespace fluid {

class DmaMemory {
public:
    virtual ~DmaMemory() = default;
    // `bytes` rounded up to whole 4 KiB pages, page aligned. below_4g for
    // devices that only take 32-bit addresses.
    virtual ErrorOr<void*> allocate(size_t bytes, bool below_4g) = 0;
};

} // namespace fluid
