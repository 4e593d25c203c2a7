#include "kernel/mm/PageAllocator.h"

#include <cinttypes>

namespace fluid {

namespace {

constexpr uint64_t page_size = PageAllocator::page_size;
constexpr uint64_t one_mib = 1024 * 1024;

uint64_t page_floor(uint64_t address) { return address & ~(page_size - 1); }

// Clamped instead of wrapping: an end near 2^64 stays near 2^64.
uint64_t page_ceil(uint64_t address)
{
    return address > UINT64_MAX - (page_size - 1) ? page_floor(UINT64_MAX) : page_floor(address + page_size - 1);
}

uint64_t end_of(uint64_t base, uint64_t length) { return base + length < base ? UINT64_MAX : base + length; }

uint64_t align_up(uint64_t value, uint64_t align) { return (value + align - 1) & ~(align - 1); }

bool is_power_of_two(uint64_t value) { return value != 0 && (value & (value - 1)) == 0; }

bool overlaps(uint64_t base, uint64_t end, uint64_t other_base, uint64_t other_end)
{
    return base < other_end && other_base < end;
}

// End (page-rounded) of any non-usable region or reserved range that
// overlaps [base, end), or 0 when the range is clear.
uint64_t first_conflict_end(std::span<const MemoryRegion> regions, std::span<const PhysRange> reserved,
                            uint64_t base, uint64_t end)
{
    for (auto& region : regions) {
        uint64_t region_end = end_of(region.base, region.length);
        if (region.type != MemoryType::Usable && overlaps(base, end, region.base, region_end))
            return page_ceil(region_end);
    }
    for (auto& range : reserved) {
        uint64_t range_end = end_of(range.base, range.length);
        if (overlaps(base, end, range.base, range_end))
            return page_ceil(range_end);
    }
    return 0;
}

} // namespace

ErrorOr<void> PageAllocator::init(std::span<const MemoryRegion> regions, std::span<const PhysRange> reserved,
                                  uintptr_t direct_map_offset)
{
    LockGuard guard(m_lock);
    if (m_page_count != 0)
        return Error::from(ErrorCode::Busy, "PageAllocator: init called twice");

    uint64_t top = 0;
    for (auto& region : regions) {
        if (region.type == MemoryType::Usable) {
            uint64_t end = page_floor(end_of(region.base, region.length));
            top = end > top ? end : top;
        }
    }
    if (top == 0)
        return Error::format(ErrorCode::NoMemory, "PageAllocator: no usable page in a map of %zu regions",
                             regions.size());

    uint64_t page_count = top / page_size;
    uint64_t words = PageBitmap::words_for(page_count);
    uint64_t bitmap_bytes = page_ceil(2 * words * sizeof(uint64_t));
    uint64_t home = TRY(find_bitmap_home(regions, reserved, bitmap_bytes));
    m_bitmap_range = { home, bitmap_bytes };
    m_page_count = page_count;

    auto* storage = reinterpret_cast<uint64_t*>(home + direct_map_offset);
    m_used = PageBitmap(storage, m_page_count);
    m_managed = PageBitmap(storage + words, m_page_count);
    mark_managed(regions, reserved);

    // Everything unmanaged is permanently "used"; everything managed is free.
    for (uint64_t i = 0; i < words; i++)
        m_used.words()[i] = ~m_managed.words()[i];
    m_total_pages = m_managed.count_ones();
    m_free_pages = m_total_pages;
    m_hint = 0;
    return {};
}

ErrorOr<uint64_t> PageAllocator::find_bitmap_home(std::span<const MemoryRegion> regions,
                                                  std::span<const PhysRange> reserved, uint64_t bytes) const
{
    // Prefer memory above 1 MiB: low memory is scarce and wanted for the AP
    // trampoline (Intel SDM 3A §9.4.4: the SIPI vector addresses < 1 MiB).
    for (uint64_t minimum : { one_mib, page_size }) {
        for (auto& region : regions) {
            if (region.type != MemoryType::Usable)
                continue;
            uint64_t start = page_ceil(region.base);
            start = start < minimum ? minimum : start;
            uint64_t end = page_floor(end_of(region.base, region.length));
            while (start < end && end - start >= bytes) {
                uint64_t conflict_end = first_conflict_end(regions, reserved, start, start + bytes);
                if (conflict_end == 0)
                    return start;
                start = conflict_end;
            }
        }
    }
    return Error::format(ErrorCode::NoMemory, "PageAllocator: no free run of %" PRIu64 " bytes for the page bitmap",
                         bytes);
}

void PageAllocator::mark_managed(std::span<const MemoryRegion> regions, std::span<const PhysRange> reserved)
{
    m_managed.fill(false);
    for (auto& region : regions) {
        if (region.type != MemoryType::Usable)
            continue;
        // Only whole pages inside the region: round the base up, the end down.
        uint64_t first = page_ceil(region.base) / page_size;
        uint64_t last = page_floor(end_of(region.base, region.length)) / page_size;
        if (first < last)
            m_managed.set_range(first, last - first, true);
    }
    // Holes win over RAM, rounded outwards: a page partly reserved is reserved.
    for (auto& region : regions) {
        if (region.type != MemoryType::Usable)
            exclude(region.base, end_of(region.base, region.length));
    }
    for (auto& range : reserved)
        exclude(range.base, end_of(range.base, range.length));
    exclude(m_bitmap_range.base, m_bitmap_range.base + m_bitmap_range.length);
    exclude(0, page_size);
}

void PageAllocator::exclude(uint64_t base, uint64_t end)
{
    uint64_t top = m_page_count * page_size;
    end = end > top ? top : end;
    if (base >= end)
        return;
    uint64_t first = page_floor(base) / page_size;
    uint64_t last = page_ceil(end) / page_size;
    m_managed.set_range(first, last - first, false);
}

uint64_t PageAllocator::find_run(uint64_t from, uint64_t to, uint64_t pages, uint64_t align) const
{
    uint64_t index = align_up(from, align);
    while (index < to && to - index >= pages) {
        uint64_t free_at = m_used.find_first(false, index, to);
        index = align_up(free_at, align);
        if (index >= to || to - index < pages)
            break;
        uint64_t used_at = m_used.find_first(true, index, index + pages);
        if (used_at == index + pages)
            return index;
        // No run can start at or before a used page and still cover it.
        index = align_up(used_at + 1, align);
    }
    return to;
}

uint64_t PageAllocator::take_run(uint64_t first, uint64_t pages)
{
    m_used.set_range(first, pages, true);
    m_free_pages -= pages;
    return first * page_size;
}

ErrorOr<uint64_t> PageAllocator::allocate(size_t pages, size_t align_pages)
{
    if (pages == 0 || !is_power_of_two(align_pages))
        return Error::format(ErrorCode::Invalid, "PageAllocator: bad request of %zu pages aligned to %zu", pages,
                             align_pages);
    LockGuard guard(m_lock);
    if (pages <= m_free_pages) {
        // Next fit: continue after the last allocation, then wrap around once.
        uint64_t first = find_run(m_hint, m_page_count, pages, align_pages);
        if (first == m_page_count)
            first = find_run(0, m_page_count, pages, align_pages);
        if (first != m_page_count) {
            m_hint = first + pages < m_page_count ? first + pages : 0;
            return take_run(first, pages);
        }
    }
    return Error::format(ErrorCode::NoMemory,
                         "PageAllocator: no free run of %zu pages aligned to %zu pages (%" PRIu64 " pages free)",
                         pages, align_pages, m_free_pages);
}

ErrorOr<uint64_t> PageAllocator::allocate_below(uint64_t limit, size_t pages)
{
    if (pages == 0)
        return Error::from(ErrorCode::Invalid, "PageAllocator: allocate_below of 0 pages");
    LockGuard guard(m_lock);
    uint64_t limit_page = limit / page_size < m_page_count ? limit / page_size : m_page_count;
    uint64_t first = find_run(0, limit_page, pages, 1);
    if (first == limit_page)
        return Error::format(ErrorCode::NoMemory, "PageAllocator: no free run of %zu pages below %#" PRIx64, pages,
                             limit);
    return take_run(first, pages);
}

ErrorOr<uint64_t> PageAllocator::allocate_above(uint64_t floor, size_t pages)
{
    if (pages == 0)
        return Error::from(ErrorCode::Invalid, "PageAllocator: allocate_above of 0 pages");
    LockGuard guard(m_lock);
    uint64_t floor_page = (floor + page_size - 1) / page_size;
    uint64_t first = floor_page < m_page_count ? find_run(floor_page, m_page_count, pages, 1) : m_page_count;
    if (first == m_page_count)
        return Error::format(ErrorCode::NoMemory, "PageAllocator: no free run of %zu pages above %#" PRIx64, pages,
                             floor);
    return take_run(first, pages);
}

ErrorOr<uint64_t> PageAllocator::release_reserved(uint64_t base, uint64_t length)
{
    LockGuard guard(m_lock);
    uint64_t top = m_page_count * page_size;
    if (base >= top || length > top - base)
        return Error::format(ErrorCode::Invalid, "PageAllocator: release of %#" PRIx64 " (+%#" PRIx64 ") is past %#" PRIx64,
                             base, length, top);
    uint64_t first = page_ceil(base) / page_size;
    uint64_t last = page_floor(base + length) / page_size;
    if (first == 0)
        first = 1; // page 0 is never handed out
    if (first >= last)
        return uint64_t(0);
    uint64_t bitmap_first = m_bitmap_range.base / page_size;
    uint64_t bitmap_last = page_ceil(m_bitmap_range.base + m_bitmap_range.length) / page_size;
    if (first < bitmap_last && bitmap_first < last)
        return Error::format(ErrorCode::Invalid, "PageAllocator: release of %#" PRIx64 ": the allocator's own bitmap",
                             base);
    if (m_managed.find_first(true, first, last) != last)
        return Error::format(ErrorCode::Invalid, "PageAllocator: release of %#" PRIx64 ": already managed memory",
                             base);
    m_managed.set_range(first, last - first, true);
    m_used.set_range(first, last - first, false);
    m_total_pages += last - first;
    m_free_pages += last - first;
    return last - first;
}

ErrorOr<void> PageAllocator::free(uint64_t physical, size_t pages)
{
    if (pages == 0 || physical % page_size != 0)
        return Error::format(ErrorCode::Invalid, "PageAllocator: free of %#" PRIx64 " (+%zu pages) is not page aligned",
                             physical, pages);
    LockGuard guard(m_lock);
    uint64_t first = physical / page_size;
    if (first >= m_page_count || pages > m_page_count - first)
        return Error::format(ErrorCode::Invalid, "PageAllocator: free of %#" PRIx64 " (+%zu pages) is past %#" PRIx64,
                             physical, pages, m_page_count * page_size);
    uint64_t unmanaged = m_managed.find_first(false, first, first + pages);
    if (unmanaged != first + pages)
        return Error::format(ErrorCode::Invalid, "PageAllocator: free of %#" PRIx64 ": page %#" PRIx64 " was never managed",
                             physical, unmanaged * page_size);
    uint64_t already_free = m_used.find_first(false, first, first + pages);
    if (already_free != first + pages)
        return Error::format(ErrorCode::Invalid, "PageAllocator: double free of %#" PRIx64 ": page %#" PRIx64 " is already free",
                             physical, already_free * page_size);
    m_used.set_range(first, pages, false);
    m_free_pages += pages;
    return {};
}

uint64_t PageAllocator::total_bytes() const
{
    LockGuard guard(m_lock);
    return m_total_pages * page_size;
}

uint64_t PageAllocator::free_bytes() const
{
    LockGuard guard(m_lock);
    return m_free_pages * page_size;
}

uint64_t PageAllocator::highest_address() const
{
    LockGuard guard(m_lock);
    return m_page_count * page_size;
}

} // namespace fluid
