// mmap, munmap and mprotect over the kernel's page allocator. The kernel
// runs on one identity map (virtual == physical) in which every free page
// is already mapped read/write and no-execute, so "mapping" anonymous
// memory means taking pages from kernel().pages, zeroing them (LLVM relies
// on anonymous memory being zero) and applying the requested protection
// with arch::mmu_protect. JITLink's InProcessMemoryManager is the client:
// it maps read/write, copies code in, then makes the pages read-only or
// read+execute, and unmaps them when the code is freed.
//
// W^X: a request for writable *and* executable pages fails with EACCES;
// code pages are only ever RX. munmap puts pages back to read/write+NX
// before returning them, because the next owner (the heap) expects that.
//
// Only whole ranges handed out by mmap may be unmapped or reprotected: a
// list of live mappings (from the heap; rarely more than a few hundred)
// guards the page allocator and the kernel image against wild pointers.
#include "kernel/Kernel.h"
#include "kernel/Panic.h"
#include "kernel/mm/MemoryRequest.h"
#include "kernel/mm/PageAllocator.h"
#include "kernel/lib/Spinlock.h"
#include "runtime/MappedMemory.h"
#include "runtime/Runtime.h"

#include <arch/mmu.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

using fluid::kernel;

namespace {

constexpr size_t page_size = fluid::PageAllocator::page_size;
constexpr uint64_t jit_reach_limit = 1ull << 31;

struct Mapping {
    uint64_t start;
    size_t pages;
    Mapping* next;
};

fluid::Spinlock mappings_lock { "mmap records", fluid::LockRank::Mappings };
Mapping* mappings;
// Under mappings_lock: the figures of fluid::runtime::mapped_memory().
fluid::runtime::MappedMemoryStats totals;

unsigned arch_protection(int prot)
{
    unsigned result = fluid::arch::ProtNone;
    if (prot & PROT_READ)
        result |= fluid::arch::ProtRead;
    if (prot & PROT_WRITE)
        result |= fluid::arch::ProtRead | fluid::arch::ProtWrite;
    if (prot & PROT_EXEC)
        result |= fluid::arch::ProtRead | fluid::arch::ProtExecute;
    return result;
}

bool write_and_execute(int prot) { return (prot & PROT_WRITE) && (prot & PROT_EXEC); }

// The mapping that wholly contains [start, start + pages), or nullptr.
// Called with mappings_lock held.
Mapping* find_mapping(uint64_t start, size_t pages, Mapping**& link)
{
    for (link = &mappings; *link; link = &(*link)->next) {
        Mapping* m = *link;
        if (start >= m->start && start + pages * page_size <= m->start + m->pages * page_size)
            return m;
    }
    return nullptr;
}

size_t page_count(size_t length) { return (length + page_size - 1) / page_size; }

} // namespace

fluid::runtime::MappedMemoryStats fluid::runtime::mapped_memory()
{
    fluid::LockGuard guard(mappings_lock);
    return totals;
}

extern "C" {

void* mmap(void* hint, size_t length, int prot, int flags, int fd, off_t offset)
{
    // Files are not mappable (no file system), nor are fixed addresses:
    // the identity map decides where memory is.
    if (!(flags & MAP_ANONYMOUS) || (flags & MAP_FIXED) || length == 0) {
        errno = (flags & MAP_ANONYMOUS) ? EINVAL : ENODEV;
        return MAP_FAILED;
    }
    if (write_and_execute(prot)) {
        FLUID_UNSUPPORTED("mmap(PROT_WRITE|PROT_EXEC)");
        errno = EACCES;
        return MAP_FAILED;
    }
    if (!kernel().pages) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    auto* record = static_cast<Mapping*>(malloc(sizeof(Mapping)));
    if (!record) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    size_t pages = page_count(length);
    // Below 2 GiB when possible: JIT code reaches kernel functions with
    // 32-bit PC-relative calls, which JITLink refuses beyond +-2 GiB.
    uint64_t start;
    // JIT code for a module load or tier compile counts against the memory
    // reserve like the heap's pages (kernel/mm/MemoryRequest.h).
    fluid::MemoryRequest::note_allocation(pages * page_size, kernel().pages->free_bytes());
    if (auto low = kernel().pages->allocate_below(jit_reach_limit, pages); !low.is_error()) {
        start = low.value();
    } else if (auto any = kernel().pages->allocate(pages); !any.is_error()) {
        start = any.value();
    } else {
        free(record);
        errno = ENOMEM;
        return MAP_FAILED;
    }
    memset(reinterpret_cast<void*>(start), 0, pages * page_size);
    if ((prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) != (PROT_READ | PROT_WRITE)) {
        if (fluid::arch::mmu_protect(start, pages * page_size, arch_protection(prot)).is_error()) {
            (void)kernel().pages->free(start, pages);
            free(record);
            errno = ENOMEM;
            return MAP_FAILED;
        }
    }
    *record = { start, pages, nullptr };
    fluid::LockGuard guard(mappings_lock);
    record->next = mappings;
    mappings = record;
    totals.bytes += pages * page_size;
    ++totals.mappings;
    ++totals.maps;
    return reinterpret_cast<void*>(start);
}

void* mmap64(void* hint, size_t length, int prot, int flags, int fd, off_t offset)
{
    return mmap(hint, length, prot, flags, fd, offset);
}

// May unmap part of a mapping; the record is split to match.
int munmap(void* address, size_t length)
{
    uint64_t start = reinterpret_cast<uint64_t>(address);
    size_t pages = page_count(length);
    if (start % page_size || length == 0) {
        errno = EINVAL;
        return -1;
    }
    Mapping* tail = nullptr;
    {
        fluid::LockGuard guard(mappings_lock);
        Mapping** link;
        Mapping* m = find_mapping(start, pages, link);
        if (!m) {
            errno = EINVAL;
            return -1;
        }
        uint64_t end = start + pages * page_size;
        uint64_t m_end = m->start + m->pages * page_size;
        totals.bytes -= pages * page_size;
        ++totals.unmaps;
        if (start == m->start && end == m_end) {
            *link = m->next;
            tail = m; // freed below, outside the lock
            --totals.mappings;
        } else if (start == m->start) {
            m->start = end;
            m->pages = (m_end - end) / page_size;
        } else {
            m->pages = (start - m->start) / page_size;
            if (end < m_end) {
                // A hole in the middle: the part after it becomes its own
                // record. malloc under our spinlock is fine: the heap
                // never calls mmap.
                auto* after = static_cast<Mapping*>(malloc(sizeof(Mapping)));
                if (!after)
                    fluid::panic("munmap: out of memory splitting a mapping");
                *after = { end, size_t(m_end - end) / page_size, m->next };
                m->next = after;
                ++totals.mappings;
            }
        }
    }
    free(tail);
    if (fluid::arch::mmu_protect(start, pages * page_size, fluid::arch::ProtRead | fluid::arch::ProtWrite).is_error())
        fluid::panic("munmap: cannot restore %#lx+%zu pages to read/write", start, pages);
    if (kernel().pages->free(start, pages).is_error())
        fluid::panic("munmap: page allocator rejects %#lx+%zu pages", start, pages);
    return 0;
}

int mprotect(void* address, size_t length, int prot)
{
    uint64_t start = reinterpret_cast<uint64_t>(address);
    size_t pages = page_count(length);
    if (start % page_size) {
        errno = EINVAL;
        return -1;
    }
    if (write_and_execute(prot)) {
        FLUID_UNSUPPORTED("mprotect(PROT_WRITE|PROT_EXEC)");
        errno = EACCES;
        return -1;
    }
    {
        fluid::LockGuard guard(mappings_lock);
        Mapping** link;
        if (!find_mapping(start, pages, link)) {
            errno = ENOMEM; // POSIX: not (wholly) mapped
            return -1;
        }
    }
    if (length && fluid::arch::mmu_protect(start, pages * page_size, arch_protection(prot)).is_error()) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

// Advice is optional by definition; identity-mapped memory is always resident.
int madvise(void*, size_t, int) { return 0; }
int posix_madvise(void*, size_t, int) { return 0; }
int mlock(const void*, size_t) { return 0; }
int munlock(const void*, size_t) { return 0; }

// LLVM asks getpagesize(); sys::Process::getPageSize.
int getpagesize() { return int(page_size); }

long sysconf(int name)
{
    switch (name) {
    case _SC_PAGESIZE:
        return long(page_size);
    case _SC_NPROCESSORS_CONF:
    case _SC_NPROCESSORS_ONLN:
        return 1; // library code runs on the boot CPU only, for now
    case _SC_PHYS_PAGES:
        return kernel().pages ? long(kernel().pages->total_bytes() / page_size) : 0;
    case _SC_AVPHYS_PAGES:
        return kernel().pages ? long(kernel().pages->free_bytes() / page_size) : 0;
    case _SC_ARG_MAX:
        return 4096;
    case _SC_CLK_TCK:
        return 100;
    case _SC_OPEN_MAX:
        return 16;
    default:
        errno = EINVAL;
        return -1;
    }
}

} // extern "C"
