#include "kernel/mm/PageMap.h"

#include <cstring>

namespace fluid {

bool PageMap::page_number(uintptr_t address, uint64_t& out)
{
    // Canonical form (Intel SDM 1 §3.3.7.1): bits 63..47 are all equal.
    uint64_t high = uint64_t(address) >> 47;
    if (high != 0 && high != 0x1ffff)
        return false;
    out = (uint64_t(address) >> 12) & ((uint64_t(1) << (levels * bits_per_level)) - 1);
    return true;
}

void** PageMap::slot(uintptr_t address, bool create)
{
    uint64_t page;
    if (!page_number(address, page))
        return nullptr;
    Node* node = &m_root;
    for (unsigned level = 0; level + 1 < levels; level++) {
        void*& child = node->entries[index_at(page, level)];
        if (!child) {
            if (!create)
                return nullptr;
            auto pages = m_source.allocate_pages(1);
            if (pages.is_error())
                return nullptr;
            memset(pages.value(), 0, sizeof(Node));
            child = pages.value();
            m_pages_held++;
        }
        node = static_cast<Node*>(child);
    }
    return &node->entries[index_at(page, levels - 1)];
}

bool PageMap::set(uintptr_t address, HeapSpan* span)
{
    void** entry = slot(address, true);
    if (!entry)
        return false;
    *entry = span;
    return true;
}

void PageMap::clear(uintptr_t address)
{
    if (void** entry = slot(address, false))
        *entry = nullptr;
}

HeapSpan* PageMap::get(uintptr_t address) const
{
    // slot() only mutates when asked to create.
    void** entry = const_cast<PageMap*>(this)->slot(address, false);
    return entry ? static_cast<HeapSpan*>(*entry) : nullptr;
}

void PageMap::release(Node* node, unsigned level)
{
    for (void* child : node->entries) {
        if (!child)
            continue;
        if (level + 2 < levels)
            release(static_cast<Node*>(child), level + 1);
        m_source.free_pages(child, 1);
        m_pages_held--;
    }
}

PageMap::~PageMap() { release(&m_root, 0); }

} // namespace fluid
