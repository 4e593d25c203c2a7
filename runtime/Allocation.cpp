// malloc and friends, and C++ operator new/delete, over the kernel heap
// (kernel/mm/Heap.h). Before init_memory() the heap does not exist and
// every allocation fails: nothing in the boot path before it allocates.
#include "kernel/Kernel.h"
#include "kernel/Panic.h"
#include "kernel/mm/Heap.h"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <new>

using fluid::kernel;

static void* heap_allocate(size_t size, size_t alignment)
{
    fluid::Heap* heap = kernel().heap;
    if (!heap)
        return nullptr;
    void* p = heap->allocate(size, alignment);
    if (!p)
        errno = ENOMEM;
    return p;
}

extern "C" {

void* malloc(size_t size) { return heap_allocate(size, 16); }

void free(void* pointer)
{
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
    if (!kernel().heap)
        return nullptr;
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
    return pointer && kernel().heap ? kernel().heap->usable_size(pointer) : 0;
}

} // extern "C"

// Kernel code is built without exceptions: a failed new is fatal.
static void* new_or_panic(size_t size, size_t alignment)
{
    void* p = heap_allocate(size ? size : 1, alignment);
    if (!p)
        fluid::panic("out of memory: operator new(%zu)", size);
    return p;
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
