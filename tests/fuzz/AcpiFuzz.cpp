// libFuzzer target for the ACPI code (kernel/acpi): the RSDP, the root
// table, the FADT, DSDT AML (_S5_), the MADT and the HPET table. The input
// is a small physical address space: physical address N is input byte N,
// the RSDP sits at 0, and everything past the end is unmapped (map() gives
// nullptr, as in the kernel for memory it cannot read).
//
// Checksums would stop almost every mutation at the first table, so byte 0
// picks a mode: odd values fix every checksum the harness can find before
// parsing (the RSDP's and every table whose signature it recognises), even
// values leave the bytes exactly as they are. Bit 1 also feeds the whole
// input straight to the MADT, HPET and AML parsers.
#include "kernel/acpi/AcpiTables.h"
#include "kernel/acpi/Aml.h"
#include "kernel/acpi/Hpet.h"
#include "kernel/acpi/Madt.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

using namespace fluid;

namespace {

class FuzzMemory final : public PhysicalMemoryView {
public:
    explicit FuzzMemory(std::vector<uint8_t>& bytes) : m_bytes(bytes) { }
    const uint8_t* map(uint64_t physical, size_t length) const override
    {
        if (physical > m_bytes.size() || length > m_bytes.size() - physical)
            return nullptr;
        return m_bytes.data() + physical;
    }

private:
    std::vector<uint8_t>& m_bytes;
};

void fix_checksum(uint8_t* bytes, size_t length, size_t checksum_offset)
{
    bytes[checksum_offset] = 0;
    uint8_t sum = 0;
    for (size_t i = 0; i < length; ++i)
        sum = uint8_t(sum + bytes[i]);
    bytes[checksum_offset] = uint8_t(-sum);
}

void fix_checksums(std::vector<uint8_t>& memory)
{
    if (memory.size() >= sizeof(acpi::Rsdp)) {
        fix_checksum(memory.data(), acpi::rsdp_v1_size, offsetof(acpi::Rsdp, checksum));
        fix_checksum(memory.data(), sizeof(acpi::Rsdp), offsetof(acpi::Rsdp, extended_checksum));
    }
    static const char* const signatures[] = { "XSDT", "RSDT", "FACP", "DSDT", "APIC", "HPET", "SSDT" };
    for (size_t at = sizeof(acpi::Rsdp); at + sizeof(acpi::SdtHeader) <= memory.size(); at += 4) {
        bool known = false;
        for (const char* signature : signatures)
            known = known || memcmp(memory.data() + at, signature, 4) == 0;
        uint32_t length;
        memcpy(&length, memory.data() + at + offsetof(acpi::SdtHeader, length), 4);
        if (known && length >= sizeof(acpi::SdtHeader) && length <= memory.size() - at)
            fix_checksum(memory.data() + at, length, offsetof(acpi::SdtHeader, checksum));
    }
}

void exercise_madt(std::span<const uint8_t> table)
{
    auto madt = Madt::parse(table);
    if (madt.is_error())
        return;
    for (uint8_t irq = 0; irq < 16; ++irq)
        (void)madt->gsi_for_isa_irq(irq);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    std::vector<uint8_t> memory(data + 1, data + size);
    if (mode & 2) {
        std::span<const uint8_t> raw(memory.data(), memory.size());
        exercise_madt(raw);
        (void)parse_hpet(raw);
        (void)acpi::find_s5_sleep_types(raw);
    }
    if (mode & 1)
        fix_checksums(memory);
    FuzzMemory view(memory);
    size_t rsdp_length = memory.size() < sizeof(acpi::Rsdp) ? memory.size() : sizeof(acpi::Rsdp);
    auto tables = AcpiTables::from_rsdp(memory.data(), rsdp_length, view);
    if (tables.is_error())
        return 0;
    for (size_t i = 0; i < tables->table_count() && i < 64; ++i)
        (void)tables->table_at(i);
    (void)tables->s5_sleep_control();
    (void)tables->reset_register();
    for (size_t index = 0; index < 4; ++index) {
        auto apic = tables->find_table("APIC", index);
        if (apic.is_error())
            break;
        uint32_t length;
        memcpy(&length, *apic + offsetof(acpi::SdtHeader, length), 4);
        exercise_madt({ *apic, length });
    }
    if (auto hpet = tables->find_table("HPET"); !hpet.is_error()) {
        uint32_t length;
        memcpy(&length, *hpet + offsetof(acpi::SdtHeader, length), 4);
        (void)parse_hpet({ *hpet, length });
    }
    return 0;
}
