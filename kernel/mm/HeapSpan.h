// Bookkeeping for one piece of memory the heap got from its PageSource:
// either a span of same-sized small objects or one large allocation.
// Descriptors live apart from the memory they describe, so objects can
// start at offset 0 of a span (giving natural alignment) and a stray write
// into user memory cannot corrupt the heap's metadata.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid {

struct HeapSpan {
    enum class Kind : uint8_t { Unused, Small, Large };

    static constexpr size_t pages = 16; // a small-object span is 64 KiB
    static constexpr size_t bytes = pages * 4096;
    static constexpr size_t max_objects = bytes / 16;

    Kind kind { Kind::Unused };
    uint8_t size_class { 0 };
    uint32_t object_size { 0 };
    uint32_t capacity { 0 }; // objects that fit in the span
    uint32_t in_use { 0 };
    uint32_t fresh { 0 };    // objects at index >= fresh were never handed out
    uintptr_t base { 0 };    // page-aligned start of the memory
    size_t page_count { 0 };
    uintptr_t user_address { 0 }; // Large: the pointer handed out
    void* free_list { nullptr };  // Small: freed objects, linked through their first word
    HeapSpan* next { nullptr };   // the class's partial list, or the pool's free list
    HeapSpan* prev { nullptr };
    // Small: 1 = object handed out. Lets free() catch double frees and
    // pointers into the middle of an object without trusting user memory.
    uint64_t allocated[max_objects / 64] {};

    bool is_allocated(size_t index) const { return (allocated[index / 64] >> (index % 64)) & 1; }
    void set_allocated(size_t index, bool value)
    {
        uint64_t bit = uint64_t(1) << (index % 64);
        allocated[index / 64] = value ? (allocated[index / 64] | bit) : (allocated[index / 64] & ~bit);
    }
    bool contains(uintptr_t address) const { return address >= base && address - base < page_count * 4096; }
};

} // namespace fluid
