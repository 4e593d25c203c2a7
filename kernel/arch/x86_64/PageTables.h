// x86-64 4-level page tables [SDM 3A §4.5] for the kernel's identity map: a PML4 and, below it, tables
// allocated on demand. Mapping picks the largest page size that fits
// (1 GiB where the CPU has it, then 2 MiB, then 4 KiB); changing the
// protection of part of a large page splits it first.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstddef>
#include <cstdint>

namespace fluid {
class PageAllocator;
}

namespace fluid::x86 {

namespace pte {
constexpr uint64_t present = 1ull << 0;
constexpr uint64_t writable = 1ull << 1;
constexpr uint64_t write_through = 1ull << 3;
constexpr uint64_t cache_disable = 1ull << 4;
constexpr uint64_t huge = 1ull << 7;
constexpr uint64_t global = 1ull << 8;
constexpr uint64_t no_execute = 1ull << 63;
constexpr uint64_t address_mask = 0x000ffffffffff000ull;
}

class PageTables {
public:
    PageTables(PageAllocator& pages, bool use_gib_pages, bool use_nx);
    ErrorOr<void> init();

    // `flags` is a set of pte:: bits other than huge (present is implied). Maps virtual == `physical` + (virtual - `virtual_start`).
    ErrorOr<void> map(uint64_t virtual_start, uint64_t physical, uint64_t size, uint64_t flags);
    // Re-flags existing mappings page by page. Without pte::present in
    // `flags` the pages become unmapped.
    ErrorOr<void> protect(uint64_t virtual_start, uint64_t size, uint64_t flags);
    // The physical address and flags mapped at `address`, if any.
    bool translate(uint64_t address, uint64_t* physical, uint64_t* flags) const;

    uint64_t root() const { return m_root; }
    void activate() const;

    // Memory the tables take now, the root included. Tables are never
    // freed: a split large page stays split (measured in the tier soak,
    // docs/RELIABILITY.md: JIT code reuses the same few 2 MiB regions).
    uint64_t table_bytes() const { return m_table_pages * 4096; }

private:
    static constexpr uint64_t level_size[4] = { 1ull << 12, 1ull << 21, 1ull << 30, 1ull << 39 };
    static unsigned index(uint64_t address, unsigned level) { return (address >> (12 + 9 * level)) & 511; }
    uint64_t* table(uint64_t entry) const;
    ErrorOr<uint64_t*> allocate_table();
    ErrorOr<uint64_t*> walk(uint64_t address, unsigned target_level);
    ErrorOr<void> split(uint64_t* entry, unsigned level);
    uint64_t clean_flags(uint64_t flags) const;

    PageAllocator& m_pages;
    bool m_gib_pages;
    bool m_nx;
    uint64_t m_root { 0 };
    uint64_t m_table_pages { 0 };
};

} // namespace fluid::x86
