#include "kernel/arch/x86_64/PageTables.h"

#include "kernel/mm/PageAllocator.h"

#include <cstring>

namespace fluid::x86 {

constexpr uint64_t PageTables::level_size[4];

PageTables::PageTables(PageAllocator& pages, bool use_gib_pages, bool use_nx)
    : m_pages(pages)
    , m_gib_pages(use_gib_pages)
    , m_nx(use_nx)
{
}

ErrorOr<void> PageTables::init()
{
    uint64_t* root = TRY(allocate_table());
    m_root = reinterpret_cast<uint64_t>(root);
    return {};
}

uint64_t* PageTables::table(uint64_t entry) const
{
    // Tables live in identity-mapped memory.
    return reinterpret_cast<uint64_t*>(entry & pte::address_mask);
}

ErrorOr<uint64_t*> PageTables::allocate_table()
{
    uint64_t physical = TRY(m_pages.allocate(1));
    auto* table = reinterpret_cast<uint64_t*>(physical);
    memset(table, 0, 4096);
    ++m_table_pages;
    return table;
}

uint64_t PageTables::clean_flags(uint64_t flags) const
{
    flags &= pte::present | pte::writable | pte::write_through | pte::cache_disable | pte::global | pte::no_execute;
    if (!m_nx)
        flags &= ~pte::no_execute;
    return flags;
}

// Turns a large page at `level` (1 = 2 MiB, 2 = 1 GiB) into a table of
// 512 pages one level down with the same flags and addresses.
ErrorOr<void> PageTables::split(uint64_t* entry, unsigned level)
{
    uint64_t* child = TRY(allocate_table());
    uint64_t base = *entry & pte::address_mask & ~(level_size[level] - 1);
    uint64_t flags = *entry & ~pte::address_mask;
    if (level == 1)
        flags &= ~pte::huge; // 4 KiB entries use bit 7 for PAT
    for (unsigned i = 0; i < 512; ++i)
        child[i] = (base + i * level_size[level - 1]) | flags;
    // The parent becomes a table pointer; permissions are decided below.
    *entry = reinterpret_cast<uint64_t>(child) | pte::present | pte::writable;
    return {};
}

// The entry for `address` at `target_level` (0 = 4 KiB PTE), creating
// tables and splitting large pages on the way down.
ErrorOr<uint64_t*> PageTables::walk(uint64_t address, unsigned target_level)
{
    uint64_t* current = reinterpret_cast<uint64_t*>(m_root);
    for (unsigned level = 3; level > target_level; --level) {
        uint64_t* entry = &current[index(address, level)];
        if (!(*entry & pte::present)) {
            uint64_t* child = TRY(allocate_table());
            *entry = reinterpret_cast<uint64_t>(child) | pte::present | pte::writable;
        } else if (*entry & pte::huge) {
            TRY(split(entry, level));
        }
        current = table(*entry);
    }
    return &current[index(address, target_level)];
}

ErrorOr<void> PageTables::map(uint64_t virtual_start, uint64_t physical, uint64_t size, uint64_t flags)
{
    if ((virtual_start | physical | size) & 0xfff)
        return Error::format(ErrorCode::Invalid, "paging: map of 0x%lx+0x%lx is not page-aligned", virtual_start, size);
    uint64_t bits = clean_flags(flags) | pte::present;
    uint64_t offset = 0;
    while (offset < size) {
        uint64_t va = virtual_start + offset, pa = physical + offset, left = size - offset;
        unsigned level = 0;
        for (unsigned candidate = m_gib_pages ? 2 : 1; candidate > 0; --candidate) {
            uint64_t s = level_size[candidate];
            if (((va | pa) & (s - 1)) == 0 && left >= s) {
                level = candidate;
                break;
            }
        }
        uint64_t* entry = TRY(walk(va, level));
        *entry = pa | bits | (level ? pte::huge : 0);
        offset += level_size[level];
    }
    return {};
}

ErrorOr<void> PageTables::protect(uint64_t virtual_start, uint64_t size, uint64_t flags)
{
    if ((virtual_start | size) & 0xfff)
        return Error::format(ErrorCode::Invalid, "paging: protect of 0x%lx+0x%lx is not page-aligned", virtual_start, size);
    uint64_t bits = clean_flags(flags);
    uint64_t end = virtual_start + size;
    uint64_t va = virtual_start;
    while (va < end) {
        // Find the level of the existing mapping; split when the request
        // covers only part of a large page.
        uint64_t* current = reinterpret_cast<uint64_t*>(m_root);
        unsigned level = 3;
        uint64_t* entry = &current[index(va, 3)];
        for (;;) {
            // A 4 KiB page unmapped by an earlier protect(…, 0) comes back
            // identity-mapped: the kernel has a single identity map.
            if (!(*entry & pte::present) && level == 0) {
                *entry = va & pte::address_mask;
                break;
            }
            if (!(*entry & pte::present))
                return Error::format(ErrorCode::Invalid, "paging: 0x%lx is not mapped", va);
            if (level == 0 || (*entry & pte::huge)) {
                uint64_t s = level_size[level];
                if (level > 0 && ((va & (s - 1)) || end - va < s)) {
                    TRY(split(entry, level));
                } else {
                    break;
                }
            }
            current = table(*entry);
            --level;
            entry = &current[index(va, level)];
        }
        uint64_t address = *entry & pte::address_mask;
        uint64_t huge_bit = level ? pte::huge : 0;
        *entry = (bits & pte::present) ? (address | bits | huge_bit) : (address | huge_bit);
        asm volatile("invlpg (%0)" ::"r"(va) : "memory");
        va += level_size[level];
    }
    return {};
}

bool PageTables::translate(uint64_t address, uint64_t* physical, uint64_t* flags) const
{
    uint64_t* current = reinterpret_cast<uint64_t*>(m_root);
    for (unsigned level = 3;; --level) {
        uint64_t entry = current[index(address, level)];
        if (!(entry & pte::present))
            return false;
        if (level == 0 || (entry & pte::huge)) {
            uint64_t s = level_size[level];
            *physical = (entry & pte::address_mask & ~(s - 1)) + (address & (s - 1));
            *flags = entry & ~pte::address_mask;
            return true;
        }
        current = table(entry);
    }
}

void PageTables::activate() const { asm volatile("mov %0, %%cr3" ::"r"(m_root) : "memory"); }

} // namespace fluid::x86
