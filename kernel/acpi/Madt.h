// The Multiple APIC Description Table [ACPI 6.5 §5.2.12]: which processors
// exist (by local APIC or x2APIC id), where the I/O APICs are, how ISA IRQs
// map onto global system interrupts, and which LINT pins carry NMIs.
// Portable: it reads a table's bytes and checks every entry's length first.
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <span>
#include <vector>

namespace fluid {

struct MadtProcessor {
    uint32_t acpi_uid;    // processor UID (ACPI id)
    uint32_t apic_id;     // local APIC id, or x2APIC id
    bool enabled;         // usable now
    bool online_capable;  // may be enabled later (ACPI 6.3+)
    bool x2apic;          // came from an x2APIC entry
};

struct MadtIoApic {
    uint8_t id;
    uint32_t address;
    uint32_t gsi_base;
};

struct MadtInterruptOverride {
    uint8_t bus;     // 0 = ISA
    uint8_t source;  // the ISA IRQ
    uint32_t gsi;    // the global system interrupt it arrives on
    uint16_t flags;  // MPS INTI flags: polarity (bits 0-1), trigger mode (bits 2-3)
};

struct MadtNmi {
    uint32_t acpi_uid; // 0xff (or 0xffffffff for x2APIC) = every processor
    uint16_t flags;
    uint8_t lint;      // LINT0 or LINT1
};

class Madt {
public:
    // `table` is the whole MADT, header included (its length and checksum
    // already checked by AcpiTables::find_table or the caller).
    static ErrorOr<Madt> parse(std::span<const uint8_t> table);

    uint64_t local_apic_address() const { return m_local_apic_address; }
    bool has_legacy_pics() const { return m_pcat_compat; }
    const std::vector<MadtProcessor>& processors() const { return m_processors; }
    const std::vector<MadtIoApic>& io_apics() const { return m_io_apics; }
    const std::vector<MadtInterruptOverride>& overrides() const { return m_overrides; }
    const std::vector<MadtNmi>& nmis() const { return m_nmis; }

    // The GSI an ISA IRQ arrives on, after overrides (identity otherwise).
    uint32_t gsi_for_isa_irq(uint8_t irq) const;

private:
    ErrorOr<void> parse_entry(uint8_t type, std::span<const uint8_t> entry, size_t offset);

    uint64_t m_local_apic_address { 0 };
    bool m_pcat_compat { false };
    std::vector<MadtProcessor> m_processors;
    std::vector<MadtIoApic> m_io_apics;
    std::vector<MadtInterruptOverride> m_overrides;
    std::vector<MadtNmi> m_nmis;
};

} // namespace fluid
