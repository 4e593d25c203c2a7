// An I/O APIC [82093AA datasheet §3; ACPI 6.5 §5.2.12.3]: routes global
// system interrupts (GSIs) to vectors on local APICs. Reached through an
// Mmio window (index at 0x00, data at 0x10) so host tests can fake it.
#pragma once

#include "kernel/drivers/Mmio.h"

#include <cstdint>

namespace fluid::x86 {

class IoApic {
public:
    IoApic(Mmio& mmio, uint32_t gsi_base) : m_mmio(mmio), m_gsi_base(gsi_base) { }

    // Reads the version register; masks every redirection entry.
    void init();

    uint32_t gsi_base() const { return m_gsi_base; }
    uint32_t redirection_count() const { return m_count; }
    bool handles(uint32_t gsi) const { return gsi >= m_gsi_base && gsi < m_gsi_base + m_count; }

    // Routes `gsi` to `vector` on the local APIC `apic_id` (fixed delivery,
    // physical destination). `mps_flags` are the MADT override's polarity
    // and trigger bits; 0 means the ISA default, active high and edge.
    void route(uint32_t gsi, uint8_t vector, uint32_t apic_id, uint16_t mps_flags);
    void mask(uint32_t gsi);

    // Redirection entry of `gsi` (for tests and `cpus --json`).
    uint64_t entry(uint32_t gsi);

private:
    uint32_t read(uint8_t reg);
    void write(uint8_t reg, uint32_t value);

    Mmio& m_mmio;
    uint32_t m_gsi_base;
    uint32_t m_count { 0 };
};

} // namespace fluid::x86
