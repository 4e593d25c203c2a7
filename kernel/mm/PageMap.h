// Maps a page address to the HeapSpan that owns it: a four-level radix
// tree over the 36-bit page number of a canonical x86-64 address (the
// same 9-bit split as the hardware page tables, Intel SDM 3A §4.5), with
// one-page nodes taken from the PageSource. free() asks it where a pointer
// came from without ever reading memory at or near that pointer, so a
// foreign pointer is recognised instead of being dereferenced.
//
// Nodes are only released when the map is destroyed: the tree covers the
// heap's address range, which grows and shrinks far less than its contents.
#pragma once

#include "kernel/mm/PageSource.h"

#include <cstddef>
#include <cstdint>

namespace fluid {

struct HeapSpan;

class PageMap {
public:
    explicit PageMap(PageSource& source) : m_source(source) { }
    ~PageMap();
    PageMap(const PageMap&) = delete;
    PageMap& operator=(const PageMap&) = delete;

    // Records `span` for the page holding `address`. False if a node could
    // not be allocated or the address is not canonical.
    bool set(uintptr_t address, HeapSpan* span);
    void clear(uintptr_t address);
    HeapSpan* get(uintptr_t address) const;

    size_t pages_held() const { return m_pages_held; }

private:
    static constexpr unsigned levels = 4;
    static constexpr unsigned bits_per_level = 9;
    static constexpr size_t fanout = size_t(1) << bits_per_level;

    struct Node {
        void* entries[fanout];
    };
    static_assert(sizeof(Node) == 4096);

    static bool page_number(uintptr_t address, uint64_t& out);
    static size_t index_at(uint64_t page, unsigned level)
    {
        return (page >> (bits_per_level * (levels - 1 - level))) & (fanout - 1);
    }
    // The leaf slot for `address`, creating nodes if `create`; nullptr if absent.
    void** slot(uintptr_t address, bool create);
    void release(Node*, unsigned level);

    PageSource& m_source;
    Node m_root {};
    size_t m_pages_held { 0 };
};

} // namespace fluid
