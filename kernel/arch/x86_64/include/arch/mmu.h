// Page protection as generic code sees it. The kernel runs on one identity
// map (virtual == physical); what generic code changes is protection:
// guard pages, read-only data, and W^X code pages for the JIT.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstddef>
#include <cstdint>

namespace fluid {
class PageAllocator;
}

namespace fluid::arch {

enum Protection : unsigned {
    ProtNone = 0,
    ProtRead = 1,
    ProtWrite = 2,
    ProtExecute = 4,
};

// Builds the final identity map of [0, top) with the kernel image split by
// permission (text RX, rodata R, data RW+NX), page 0 and the boot stack's
// guard page unmapped, and switches to it. `top` covers RAM and the
// framebuffer. Page-table pages come from `pages`.
ErrorOr<void> mmu_init(PageAllocator& pages, uint64_t top);

// Changes the protection of whole pages in [address, address + size).
// ProtNone unmaps them. Splits large pages as needed.
ErrorOr<void> mmu_protect(uint64_t address, size_t size, unsigned protection);

// Makes sure [address, address + size) is mapped (read/write, no execute,
// uncached when `device` is set), e.g. for a framebuffer above the map.
ErrorOr<void> mmu_map_identity(uint64_t address, size_t size, bool device);

// The highest address the identity map covers.
uint64_t mmu_identity_top();

// Memory the page tables take now (they grow when a large page is split).
uint64_t mmu_table_bytes();

} // namespace fluid::arch
