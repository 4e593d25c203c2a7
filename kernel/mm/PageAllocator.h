// The physical page allocator: one bit per 4 KiB page over [0, highest
// usable address), searched next-fit. Two bitmaps live side by side in a
// run of usable memory that init() picks and reserves for itself:
//   * m_used    — 1 = not available (allocated, reserved, or not RAM);
//   * m_managed — 1 = the page may ever be handed out, so free() can tell
//                 a double free from a free of memory we never owned.
// Physical page 0 is never handed out, so 0 can mean "no page" and a null
// pointer in the identity map stays harmless.
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "kernel/lib/Spinlock.h"
#include "kernel/mm/MemoryRegion.h"
#include "kernel/mm/PageBitmap.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace fluid {

class PageAllocator {
public:
    static constexpr uint64_t page_size = 4096;

    // regions: the firmware memory map, possibly unsorted, overlapping and
    // unaligned. Only whole pages inside a Usable region and outside every
    // other-typed region and every `reserved` range become free.
    // direct_map_offset: virtual = physical + offset, used to reach the
    // bitmap; 0 in the identity-mapped kernel.
    ErrorOr<void> init(std::span<const MemoryRegion> regions, std::span<const PhysRange> reserved,
                       uintptr_t direct_map_offset);

    // A contiguous run of `pages` pages whose first page number is a
    // multiple of align_pages (a power of two).
    ErrorOr<uint64_t> allocate(size_t pages, size_t align_pages = 1);
    // The lowest free run ending at or below `limit` (e.g. the AP trampoline).
    ErrorOr<uint64_t> allocate_below(uint64_t limit, size_t pages);
    // The lowest free run starting at or above `floor` (e.g. to prove the
    // memory above 4 GiB is managed and mapped).
    ErrorOr<uint64_t> allocate_above(uint64_t floor, size_t pages);
    ErrorOr<void> free(uint64_t physical, size_t pages);
    // Hands over RAM that init() was told to keep out (a `reserved` range:
    // e.g. boot-loader module copies no longer needed). Only whole pages
    // inside [base, base + length); each must still be unmanaged, so a
    // range can be released once. Returns the pages added.
    ErrorOr<uint64_t> release_reserved(uint64_t base, uint64_t length);

    uint64_t total_bytes() const;
    uint64_t free_bytes() const;
    uint64_t highest_address() const;
    // Where init() put the bitmaps (excluded from allocation).
    PhysRange bitmap_range() const { return m_bitmap_range; }

private:
    ErrorOr<uint64_t> find_bitmap_home(std::span<const MemoryRegion>, std::span<const PhysRange>,
                                       uint64_t bytes) const;
    void mark_managed(std::span<const MemoryRegion>, std::span<const PhysRange>);
    void exclude(uint64_t base, uint64_t end);
    // First page of a free run in [from, to), or `to` if there is none.
    uint64_t find_run(uint64_t from, uint64_t to, uint64_t pages, uint64_t align) const;
    uint64_t take_run(uint64_t first, uint64_t pages);

    mutable Spinlock m_lock { "page allocator", LockRank::PageAllocator };
    PageBitmap m_used;
    PageBitmap m_managed;
    uint64_t m_page_count { 0 };
    uint64_t m_total_pages { 0 };
    uint64_t m_free_pages { 0 };
    uint64_t m_hint { 0 };
    PhysRange m_bitmap_range { 0, 0 };
};

} // namespace fluid
