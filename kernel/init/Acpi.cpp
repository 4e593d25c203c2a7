#include "kernel/Kernel.h"
#include "kernel/acpi/AcpiTables.h"
#include "kernel/acpi/PhysicalMemoryView.h"
#include "kernel/drivers/Console.h"
#include "kernel/init/Init.h"

#include <arch/clock.h>
#include <arch/mmu.h>

#include <new>

namespace fluid {

namespace {

// ACPI tables are read in place through the identity map; the view only
// refuses what the map does not cover.
class IdentityMemoryView final : public PhysicalMemoryView {
public:
    const uint8_t* map(uint64_t physical, size_t length) const override
    {
        uint64_t top = arch::mmu_identity_top();
        if (physical < 4096 || physical >= top || length > top - physical)
            return nullptr;
        return reinterpret_cast<const uint8_t*>(physical);
    }
};

IdentityMemoryView identity_view;
alignas(AcpiTables) char acpi_storage[sizeof(AcpiTables)];

} // namespace

void init_acpi()
{
    const BootInfo& info = kernel().boot_info;
    if (!info.rsdp_address) {
        kprintf("acpi: the boot loader passed no RSDP; power-off falls back to the emulator exit\n");
        return;
    }
    auto tables = AcpiTables::from_rsdp(reinterpret_cast<const uint8_t*>(info.rsdp_address), info.rsdp_length,
                                        identity_view);
    if (tables.is_error()) {
        kprintf("acpi: %s\n", tables.error().message());
        return;
    }
    kernel().acpi = new (acpi_storage) AcpiTables(tables.release_value());
    kprintf("acpi: revision %u, %zu tables\n", kernel().acpi->revision(), kernel().acpi->table_count());
}

// After ACPI, because a machine without a PIT has its HPET and PM timer
// described there.
void init_clock()
{
    const char* reference = arch::clock_init(kernel().acpi);
    kprintf("clock: TSC %lu MHz, calibrated against %s\n", arch::ticks_per_second() / 1000000, reference);
}

} // namespace fluid
