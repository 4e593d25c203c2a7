#include "kernel/shell/AcpiCommands.h"

#include "kernel/Kernel.h"
#include "kernel/acpi/AcpiTables.h"

#include "kernel/drivers/Console.h"

#include <cstring>

namespace fluid {

static void list_tables(const AcpiTables& acpi)
{
    kprintf("ACPI revision %u, OEM '%s', %s with %zu tables\n", acpi.revision(), acpi.oem_id(),
            acpi.uses_xsdt() ? "XSDT" : "RSDT", acpi.table_count());
    for (size_t i = 0; i < acpi.table_count(); ++i) {
        auto table = acpi.table_at(i);
        if (table.is_error()) {
            kprintf("  #%zu: %s\n", i, table.error().message());
            continue;
        }
        acpi::SdtHeader header;
        memcpy(&header, table.value(), sizeof(header));
        kprintf("  %.4s  %6u bytes  rev %u  OEM '%.6s' '%.8s'\n", header.signature, header.length, header.revision,
                header.oem_id, header.oem_table_id);
    }
}

// Hex lines "ACPI-DUMP SIG OFFSET: bytes", easy to turn back into a file.
static void dump_table(const AcpiTables& acpi, std::string_view signature)
{
    if (signature.size() != 4) {
        kprintf("error: a table signature has 4 characters\n");
        return;
    }
    char sig[5] {};
    memcpy(sig, signature.data(), 4);
    auto table = acpi.find_table(sig);
    if (table.is_error()) {
        kprintf("error: %s\n", table.error().message());
        return;
    }
    acpi::SdtHeader header;
    memcpy(&header, table.value(), sizeof(header));
    for (uint32_t offset = 0; offset < header.length; offset += 32) {
        kprintf("ACPI-DUMP %s %04x:", sig, offset);
        for (uint32_t i = offset; i < offset + 32 && i < header.length; ++i)
            kprintf(" %02x", table.value()[i]);
        kprintf("\n");
    }
}

// The processors the firmware describes. Only the boot CPU runs until the
// SMP work (issue 5) starts the others; the list says so rather than
// pretending.
void cmd_acpi(const CommandLine& args)
{
    const AcpiTables* acpi = kernel().acpi;
    if (!acpi) {
        kprintf("error: no ACPI tables\n");
        return;
    }
    if (args[1] == "dump")
        return dump_table(*acpi, args[2]);
    list_tables(*acpi);
}

} // namespace fluid
