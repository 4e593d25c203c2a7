#include "kernel/arch/x86_64/IoApic.h"

namespace fluid::x86 {

constexpr uint32_t select_register = 0x00;
constexpr uint32_t window_register = 0x10;
constexpr uint8_t version_register = 0x01;
constexpr uint8_t first_redirection = 0x10;

constexpr uint32_t entry_masked = 1u << 16;
constexpr uint32_t entry_level = 1u << 15;
constexpr uint32_t entry_active_low = 1u << 13;

uint32_t IoApic::read(uint8_t reg)
{
    m_mmio.write32(select_register, reg);
    return m_mmio.read32(window_register);
}

void IoApic::write(uint8_t reg, uint32_t value)
{
    m_mmio.write32(select_register, reg);
    m_mmio.write32(window_register, value);
}

void IoApic::init()
{
    // Bits 23:16 hold the index of the last entry [82093AA §3.2.2].
    m_count = ((read(version_register) >> 16) & 0xff) + 1;
    for (uint32_t i = 0; i < m_count; ++i)
        mask(m_gsi_base + i);
}

void IoApic::mask(uint32_t gsi)
{
    if (!handles(gsi))
        return;
    uint8_t reg = uint8_t(first_redirection + 2 * (gsi - m_gsi_base));
    write(reg, entry_masked);
    write(reg + 1, 0);
}

void IoApic::route(uint32_t gsi, uint8_t vector, uint32_t apic_id, uint16_t mps_flags)
{
    if (!handles(gsi))
        return;
    uint32_t low = vector;
    // MPS INTI flags: polarity 3 = active low; trigger 3 = level
    // [ACPI 6.5 Table 5.50].
    if ((mps_flags & 3) == 3)
        low |= entry_active_low;
    if (((mps_flags >> 2) & 3) == 3)
        low |= entry_level;
    uint8_t reg = uint8_t(first_redirection + 2 * (gsi - m_gsi_base));
    // Destination first, then the low half unmasks it.
    write(reg + 1, apic_id << 24);
    write(reg, low);
}

uint64_t IoApic::entry(uint32_t gsi)
{
    if (!handles(gsi))
        return 0;
    uint8_t reg = uint8_t(first_redirection + 2 * (gsi - m_gsi_base));
    return (uint64_t(read(reg + 1)) << 32) | read(reg);
}

} // namespace fluid::x86
