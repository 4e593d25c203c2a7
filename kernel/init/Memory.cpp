// Physical pages, the final page tables and the heap, in that order: the
// page allocator needs only the boot map; the page tables need pages; the
// heap needs both.
#include "kernel/Kernel.h"
#include "kernel/Panic.h"
#include "kernel/drivers/Console.h"
#include "kernel/init/Init.h"
#include "kernel/mm/Heap.h"
#include "kernel/mm/MemoryRequest.h"
#include "kernel/mm/PageAllocator.h"
#include "kernel/mm/PageSource.h"

#include <arch/mmu.h>

#include <new>

extern "C" char __kernel_start[], __kernel_end[];

namespace fluid {

namespace {

// The heap takes whole pages from the page allocator; the identity map
// makes physical and virtual addresses the same. A request that takes the
// machine into its reserve is marked for it here (kernel/mm/MemoryRequest.h).
class KernelPageSource final : public PageSource {
public:
    explicit KernelPageSource(PageAllocator& pages) : m_pages(pages) { }
    ErrorOr<void*> allocate_pages(size_t count) override
    {
        MemoryRequest::note_allocation(count * 4096, m_pages.free_bytes());
        uint64_t physical = TRY(m_pages.allocate(count));
        return reinterpret_cast<void*>(physical);
    }
    void free_pages(void* address, size_t count) override
    {
        auto result = m_pages.free(reinterpret_cast<uint64_t>(address), count);
        if (result.is_error())
            panic("heap returned pages the allocator rejects: %s", result.error().message());
    }

private:
    PageAllocator& m_pages;
};

constexpr size_t max_reserved = BootInfo::max_modules + 8;

size_t collect_reserved(const BootInfo& info, PhysRange* out)
{
    size_t n = 0;
    auto add = [&](uint64_t base, uint64_t end) {
        if (end > base && n < max_reserved)
            out[n++] = { base, end - base };
    };
    // Real-mode IVT, BIOS data, EBDA and option ROMs; later the AP trampoline.
    add(0, 1u << 20);
    add(reinterpret_cast<uint64_t>(__kernel_start), reinterpret_cast<uint64_t>(__kernel_end));
    add(info.info_address, info.info_address + info.info_size);
    for (size_t i = 0; i < info.module_count; ++i)
        add(info.modules[i].start, info.modules[i].end);
    if (info.elf_symbols.present) {
        add(info.elf_symbols.symtab_address, info.elf_symbols.symtab_address + info.elf_symbols.symtab_size);
        add(info.elf_symbols.strtab_address, info.elf_symbols.strtab_address + info.elf_symbols.strtab_size);
    }
    return n;
}

alignas(PageAllocator) char page_allocator_storage[sizeof(PageAllocator)];
alignas(KernelPageSource) char page_source_storage[sizeof(KernelPageSource)];
alignas(Heap) char heap_storage[sizeof(Heap)];

} // namespace

void init_memory()
{
    BootInfo& info = kernel().boot_info;
    PhysRange reserved[max_reserved];
    size_t reserved_count = collect_reserved(info, reserved);

    auto* pages = new (page_allocator_storage) PageAllocator();
    auto result = pages->init(std::span(info.regions, info.region_count), std::span(reserved, reserved_count), 0);
    if (result.is_error())
        panic("memory: page allocator: %s", result.error().message());
    kernel().pages = pages;

    // Map everything up to 4 GiB (MMIO lives there) or the top of RAM.
    uint64_t top = pages->highest_address() > (4ull << 30) ? pages->highest_address() : (4ull << 30);
    if (auto mapped = arch::mmu_init(*pages, top); mapped.is_error())
        panic("memory: page tables: %s", mapped.error().message());
    const FramebufferInfo& fb = info.framebuffer;
    if (fb.present && fb.type == 1) {
        if (auto mapped = arch::mmu_map_identity(fb.address, uint64_t(fb.pitch) * fb.height, false); mapped.is_error())
            panic("memory: framebuffer mapping: %s", mapped.error().message());
    }

    // Enough for the largest request the kernel must be able to abandon
    // (an LLVM compile of a big module); a sixteenth of RAM, within bounds.
    uint64_t reserve = pages->total_bytes() / 16;
    MemoryRequest::set_reserve_bytes(reserve < (4ull << 20) ? (4ull << 20) : reserve > (64ull << 20) ? (64ull << 20) : reserve);

    auto* source = new (page_source_storage) KernelPageSource(*pages);
    kernel().heap = new (heap_storage) Heap(*source);
}

} // namespace fluid
