// See EarlyArena.h. Each block is preceded by a 16-byte header holding its
// size, so realloc and malloc_usable_size work on arena blocks too.
#include "runtime/EarlyArena.h"

#include <atomic>
#include <cstdint>

namespace {

constexpr size_t arena_size = 1024 * 1024;
constexpr size_t header_size = 16;

alignas(4096) char arena[arena_size];
std::atomic<size_t> arena_used { 0 };
// Set by the first early_allocate. early_owns (called by every free) reads
// this instead of naming `arena`, so a kernel that never allocates early
// (the default one: it frees, but only heap memory) links without the
// megabyte of .bss.
std::atomic<char*> arena_begin { nullptr };

} // namespace

namespace fluid::runtime {

void* early_allocate(size_t size, size_t alignment)
{
    arena_begin.store(arena, std::memory_order_relaxed);
    if (alignment < header_size)
        alignment = header_size;
    size_t used = arena_used.load(std::memory_order_relaxed);
    for (;;) {
        // The block starts at the first aligned address with room for the
        // header before it.
        size_t start = (used + header_size + alignment - 1) & ~(alignment - 1);
        if (start > arena_size || size > arena_size - start)
            return nullptr;
        if (arena_used.compare_exchange_weak(used, start + size, std::memory_order_relaxed)) {
            *reinterpret_cast<size_t*>(arena + start - header_size) = size;
            return arena + start;
        }
    }
}

bool early_owns(const void* pointer)
{
    auto p = reinterpret_cast<uintptr_t>(pointer);
    auto base = reinterpret_cast<uintptr_t>(arena_begin.load(std::memory_order_relaxed));
    return base && p >= base && p < base + arena_size;
}

size_t early_size(const void* pointer)
{
    return *reinterpret_cast<const size_t*>(static_cast<const char*>(pointer) - header_size);
}

size_t early_arena_used() { return arena_used.load(std::memory_order_relaxed); }
size_t early_arena_capacity() { return arena_size; }

} // namespace fluid::runtime
