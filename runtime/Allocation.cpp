// malloc and friends, and C++ operator new/delete, over the kernel heap
// (kernel/mm/Heap.h). Before init_memory() the heap does not exist; what
// static constructors allocate until then comes from the early arena
// (EarlyArena.h), whose blocks free() recognises and ignores.
#include "kernel/Kernel.h"
#include "kernel/Panic.h"
#include "kernel/mm/Heap.h"
#include "kernel/mm/MemoryRequest.h"
#include "runtime/EarlyArena.h"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <malloc.h>
#include <new>

using fluid::kernel;

static void* heap_allocate(size_t size, size_t alignment)
{
    fluid::Heap* heap = kernel().heap;
    void* p = heap ? heap->allocate(size, alignment) : fluid::runtime::early_allocate(size, alignment);
    if (!p)
        errno = ENOMEM;
    return p;
}

extern "C" {

void* malloc(size_t size) { return heap_allocate(size, 16); }

void free(void* pointer)
{
    if (fluid::runtime::early_owns(pointer))
        return;
    if (pointer && kernel().heap)
        kernel().heap->free(pointer);
}

void* calloc(size_t count, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(count, size, &total)) {
        errno = ENOMEM;
        return nullptr;
    }
    void* p = malloc(total);
    if (p)
        memset(p, 0, total);
    return p;
}

void* realloc(void* pointer, size_t size)
{
    if (fluid::runtime::early_owns(pointer)) {
        // Move out of the arena (into the heap once it exists).
        if (size == 0)
            return nullptr; // like glibc: realloc(p, 0) frees p
        void* moved = malloc(size);
        if (moved) {
            size_t old_size = fluid::runtime::early_size(pointer);
            memcpy(moved, pointer, old_size < size ? old_size : size);
        }
        return moved;
    }
    if (!kernel().heap)
        return pointer ? nullptr : malloc(size);
    return kernel().heap->reallocate(pointer, size);
}

void* aligned_alloc(size_t alignment, size_t size)
{
    if (alignment == 0 || (alignment & (alignment - 1))) {
        errno = EINVAL;
        return nullptr;
    }
    return heap_allocate(size, alignment < 16 ? 16 : alignment);
}

void* memalign(size_t alignment, size_t size) { return aligned_alloc(alignment, size); }

int posix_memalign(void** out, size_t alignment, size_t size)
{
    if (alignment < sizeof(void*) || (alignment & (alignment - 1)))
        return EINVAL;
    void* p = heap_allocate(size, alignment < 16 ? 16 : alignment);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

size_t malloc_usable_size(void* pointer)
{
    if (fluid::runtime::early_owns(pointer))
        return fluid::runtime::early_size(pointer);
    return pointer && kernel().heap ? kernel().heap->usable_size(pointer) : 0;
}

// The heap's figures in glibc's shape (LLVM: sys::Process::GetMallocUsage),
// counting what static initialisation took from the early arena as in use.
struct mallinfo2 mallinfo2()
{
    struct mallinfo2 info {};
    info.arena = info.uordblks = fluid::runtime::early_arena_used();
    if (fluid::Heap* heap = kernel().heap) {
        auto stats = heap->stats();
        size_t heap_bytes = stats.pages_held * 4096;
        info.arena += heap_bytes;
        info.uordblks += stats.bytes_in_use;
        info.fordblks = heap_bytes > stats.bytes_in_use ? heap_bytes - stats.bytes_in_use : 0;
        info.usmblks = stats.peak_bytes_in_use;
    }
    return info;
}

struct mallinfo mallinfo()
{
    struct mallinfo2 wide = mallinfo2();
    struct mallinfo info {};
    info.arena = int(wide.arena);
    info.uordblks = int(wide.uordblks);
    info.fordblks = int(wide.fordblks);
    info.usmblks = int(wide.usmblks);
    return info;
}

int malloc_trim(size_t)
{
    if (kernel().heap)
        kernel().heap->trim();
    return 1;
}

} // extern "C"

// Kernel code is built without exceptions: a failed new is fatal. A
// request normally never gets here: it is failed when it eats into the
// reserve (kernel/mm/MemoryRequest.h); this is what outruns the reserve too.
static void* new_or_panic(size_t size, size_t alignment)
{
    void* p = heap_allocate(size ? size : 1, alignment);
    if (p)
        return p;
    if (fluid::MemoryRequest* request = fluid::MemoryRequest::current())
        fluid::panic("out of memory: operator new(%zu) in request '%s', with the reserve used up (%s)", size,
                     request->what(), request->overdrawn() ? request->message() : "not overdrawn before");
    fluid::panic("out of memory: operator new(%zu)", size);
}

void* operator new(size_t size) { return new_or_panic(size, 16); }
void* operator new[](size_t size) { return new_or_panic(size, 16); }
void* operator new(size_t size, std::align_val_t a) { return new_or_panic(size, size_t(a)); }
void* operator new[](size_t size, std::align_val_t a) { return new_or_panic(size, size_t(a)); }
void* operator new(size_t size, const std::nothrow_t&) noexcept { return heap_allocate(size ? size : 1, 16); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return heap_allocate(size ? size : 1, 16); }
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, size_t) noexcept { free(p); }
void operator delete[](void* p, size_t) noexcept { free(p); }
void operator delete(void* p, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { free(p); }
