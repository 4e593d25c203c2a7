// Where the heap gets its memory: whole 4 KiB pages, contiguous and
// page-aligned. In the kernel this wraps the PageAllocator; tests and the
// hosted build supply their own.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstddef>

namespace fluid {

class PageSource {
public:
    virtual ~PageSource() = default;

    // Returns a page-aligned run of `pages` pages.
    virtual ErrorOr<void*> allocate_pages(size_t pages) = 0;
    // Gives back exactly a run returned by allocate_pages (same size).
    virtual void free_pages(void* address, size_t pages) = 0;
};

} // namespace fluid
