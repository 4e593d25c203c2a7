// The kernel's address space: one identity map, with permissions.
#include "kernel/arch/x86_64/Cpuid.h"
#include "kernel/arch/x86_64/Msr.h"
#include "kernel/arch/x86_64/PageTables.h"
#include "kernel/arch/x86_64/TlbShootdown.h"
#include "kernel/lib/Spinlock.h"

#include <arch/mmu.h>

#include <new>

extern "C" {
extern char __kernel_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[];
extern char boot_stack_guard[];
}

namespace fluid::arch {

using namespace fluid::x86;

alignas(PageTables) static char tables_storage[sizeof(PageTables)];
static PageTables* tables;
static uint64_t identity_top;
// Page-table changes come from any CPU (the JIT compiles on several).
static Spinlock tables_lock { "page tables", LockRank::PageTables };

static uint64_t flags_for(unsigned protection)
{
    uint64_t flags = pte::present;
    if (protection & ProtWrite)
        flags |= pte::writable;
    if (!(protection & ProtExecute))
        flags |= pte::no_execute;
    return flags;
}

static uint64_t addr(const char* symbol) { return reinterpret_cast<uint64_t>(symbol); }

ErrorOr<void> mmu_init(PageAllocator& pages, uint64_t top)
{
    const CpuFeatures& cpu = cpu_features();
    if (cpu.nx)
        write_msr(Msr::Efer, read_msr(Msr::Efer) | efer_nxe);
    tables = new (tables_storage) PageTables(pages, cpu.gib_pages, cpu.nx);
    TRY(tables->init());
    identity_top = (top + (1ull << 30) - 1) & ~((1ull << 30) - 1);
    TRY(tables->map(0, 0, identity_top, pte::writable | pte::no_execute));
    // Page 0 stays unmapped so null dereferences fault.
    TRY(tables->protect(0, 4096, 0));
    TRY(tables->protect(addr(__kernel_start), addr(__text_end) - addr(__kernel_start), flags_for(ProtRead | ProtExecute)));
    TRY(tables->protect(addr(__rodata_start), addr(__rodata_end) - addr(__rodata_start), flags_for(ProtRead)));
    TRY(tables->protect(addr(__data_start), addr(__kernel_end) - addr(__data_start), flags_for(ProtRead | ProtWrite)));
    TRY(tables->protect(addr(boot_stack_guard), 4096, 0));
    tables->activate();
    return {};
}

ErrorOr<void> mmu_protect(uint64_t address, size_t size, unsigned protection)
{
    if (!tables)
        return Error::from(ErrorCode::Invalid, "mmu: not initialised");
    uint64_t flags = protection == ProtNone ? 0 : flags_for(protection);  // 0: not present
    LockGuard guard(tables_lock);
    TRY(tables->protect(address, size, flags));
    tlb_shootdown();
    return {};
}

ErrorOr<void> mmu_map_identity(uint64_t address, size_t size, bool device)
{
    if (!tables)
        return Error::from(ErrorCode::Invalid, "mmu: not initialised");
    uint64_t start = address & ~0xfffull;
    uint64_t end = (address + size + 0xfff) & ~0xfffull;
    uint64_t flags = pte::writable | pte::no_execute | (device ? pte::cache_disable : 0);
    // Only pages that were not mapped change, and no TLB caches those.
    LockGuard guard(tables_lock);
    for (uint64_t page = start; page < end; page += 4096) {
        uint64_t physical, existing;
        if (tables->translate(page, &physical, &existing))
            continue;
        TRY(tables->map(page, page, 4096, flags));
    }
    return {};
}

uint64_t mmu_identity_top() { return identity_top; }

uint64_t mmu_table_bytes()
{
    if (!tables)
        return 0;
    LockGuard guard(tables_lock);
    return tables->table_bytes();
}

} // namespace fluid::arch
