// DmaMemory from the physical page allocator: runs of whole pages, zeroed,
// reachable at physical == virtual through the kernel's identity map.
// Drivers keep their descriptors for the kernel's lifetime, so nothing is
// ever given back.
#pragma once

#include "kernel/Kernel.h"
#include "kernel/drivers/DmaMemory.h"
#include "kernel/mm/PageAllocator.h"

#include <cstring>

namespace fluid {

class PageDmaMemory final : public DmaMemory {
public:
    ErrorOr<void*> allocate(size_t bytes, bool below_4g) override
    {
        size_t pages = (bytes + PageAllocator::page_size - 1) / PageAllocator::page_size;
        uint64_t physical = below_4g ? TRY(kernel().pages->allocate_below(uint64_t(1) << 32, pages))
                                     : TRY(kernel().pages->allocate(pages));
        void* p = reinterpret_cast<void*>(physical);
        memset(p, 0, pages * PageAllocator::page_size);
        return p;
    }
};

} // namespace fluid
