// Memory for allocations made before the kernel heap exists: the static
// constructors of LLVM and libstdc++ (about 380 of them, 273 KB of
// allocations) run in early_start, before kmain sets up memory. They get
// bump-allocated blocks from a fixed arena in .bss; freeing one is a no-op
// (the arena is never reused), and realloc moves it to the heap.
#pragma once

#include <cstddef>

namespace fluid::runtime {

// nullptr when the arena is exhausted. `alignment` is a power of two.
void* early_allocate(size_t size, size_t alignment);
bool early_owns(const void* pointer);
// The size requested for a block early_allocate returned.
size_t early_size(const void* pointer);
// Bytes of the arena used so far (for reports: static initialisation's
// appetite).
size_t early_arena_used();
size_t early_arena_capacity();

} // namespace fluid::runtime
