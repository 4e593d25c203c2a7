// The general-purpose allocator behind malloc/new.
//
// Small requests (<= 2 KiB) are served from 64 KiB spans of one size class
// each (SizeClass.h); each class keeps a list of spans with free objects,
// and a span's freed objects form an intrusive free list. Larger or
// over-aligned requests get their own run of pages. Every span and large
// run is described by a HeapSpan kept outside user memory and found
// through a PageMap, so free() can reject a pointer that is not ours, or a
// double free, without trusting the memory around it.
//
// Empty spans go back to the PageSource, except one per class kept to
// absorb alloc/free ping-pong (trim() returns those too).
//
// One Spinlock guards everything: correct on any number of cores; per-core
// caches can come later without changing this interface.
#pragma once

#include "kernel/lib/Spinlock.h"
#include "kernel/mm/HeapSpan.h"
#include "kernel/mm/HeapSpanPool.h"
#include "kernel/mm/PageMap.h"
#include "kernel/mm/PageSource.h"
#include "kernel/mm/SizeClass.h"

#include <cstddef>
#include <cstdint>

namespace fluid {

class Heap {
public:
    // Told about frees the heap refused: the pointer and why. Called
    // without the heap lock held.
    using InvalidFreeHandler = void (*)(const void* pointer, const char* reason);

    explicit Heap(PageSource&);
    // Returns every page to the PageSource, live allocations included.
    ~Heap();
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;

    // nullptr on failure or if alignment is not a power of two. Alignment
    // is at least 16; size 0 returns a unique minimal allocation.
    void* allocate(size_t size, size_t alignment = 16);
    void free(void*);
    // C realloc semantics; new_size 0 frees and returns nullptr, like glibc.
    void* reallocate(void*, size_t new_size);
    // 0 for a pointer this heap did not hand out.
    size_t usable_size(const void*) const;

    struct Stats {
        size_t bytes_in_use;       // usable bytes of live allocations
        size_t peak_bytes_in_use;
        size_t pages_held;         // pages currently taken from the PageSource
        size_t allocation_count;   // successful allocations so far
        size_t free_count;         // successful frees so far
        size_t page_map_pages;     // of pages_held: the PageMap's nodes
    };
    Stats stats() const;

    void trim();
    void set_invalid_free_handler(InvalidFreeHandler handler);
    size_t invalid_free_count() const;

private:
    static constexpr size_t page_size = 4096;

    // `problem` is set when heap corruption was detected on the way.
    void* allocate_small(size_t class_index, const char*& problem);
    void* allocate_large(size_t size, size_t alignment);
    void* pop_object(HeapSpan&, const char*& problem);
    static bool is_free_object(const HeapSpan&, uintptr_t address);
    HeapSpan* create_span(size_t class_index);
    void release_span(HeapSpan&);
    const char* free_small(HeapSpan&, uintptr_t address);
    void free_large(HeapSpan&);
    // The span owning `address`, or nullptr with `reason` set.
    HeapSpan* find_owner(uintptr_t address, const char*& reason) const;
    size_t usable_size_locked(const HeapSpan&, uintptr_t address) const;
    bool is_linked(const HeapSpan&) const;
    void link_partial(HeapSpan&);
    void unlink_partial(HeapSpan&);
    void note_allocated(size_t bytes);
    void report_invalid(const void* pointer, const char* reason);

    PageSource& m_source;
    mutable Spinlock m_lock { "heap", LockRank::Heap };
    PageMap m_page_map;
    HeapSpanPool m_span_pool;
    HeapSpan* m_partial[size_class::count] {};
    size_t m_span_pages { 0 }; // pages in small spans and large runs
    Stats m_stats {};
    size_t m_invalid_frees { 0 };
    InvalidFreeHandler m_invalid_free_handler { nullptr };
};

} // namespace fluid
