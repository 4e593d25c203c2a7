// Memory in use, split by who holds it, for the tier soak and the unload
// check (kernel/shell/TierSoak.cpp): the page allocator's pages in use, and
// within them JIT code and data (mmap), page tables and the heap's pages.
// Whatever is left ("other") has no owner among those.
#pragma once

#include "kernel/Kernel.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/mm/Heap.h"
#include "kernel/mm/PageAllocator.h"
#include "runtime/MappedMemory.h"

#include <arch/mmu.h>

#include <cstdint>

namespace fluid {

struct MemorySnapshot {
    uint64_t pages_used { 0 };  // page allocator, bytes in use
    uint64_t heap_in_use { 0 }; // heap, bytes of live allocations
    uint64_t heap_pages { 0 };  // heap, bytes of pages it holds
    uint64_t heap_map { 0 };    // of which its PageMap's nodes (never freed)
    uint64_t jit_code { 0 };    // mmap: JIT code and data, bytes
    uint64_t jit_mappings { 0 };
    uint64_t page_tables { 0 }; // bytes
    uint64_t versions { 0 };    // live code versions (jit::Engine)

    uint64_t other() const { return pages_used - heap_pages - jit_code - page_tables; }

    // Trims the heap first: free heap spans go back to the page allocator,
    // so pages in use count live memory, not what the heap keeps for later.
    static MemorySnapshot take(KernelJit& jit)
    {
        kernel().heap->trim();
        MemorySnapshot s;
        Heap::Stats heap = kernel().heap->stats();
        s.pages_used = kernel().pages->total_bytes() - kernel().pages->free_bytes();
        s.heap_in_use = heap.bytes_in_use;
        s.heap_pages = uint64_t(heap.pages_held) * PageAllocator::page_size;
        s.heap_map = uint64_t(heap.page_map_pages) * PageAllocator::page_size;
        runtime::MappedMemoryStats mapped = runtime::mapped_memory();
        s.jit_code = mapped.bytes;
        s.jit_mappings = mapped.mappings;
        s.page_tables = arch::mmu_table_bytes();
        s.versions = jit.engine().version_count();
        return s;
    }
};

} // namespace fluid
