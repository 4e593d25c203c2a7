#include "kernel/acpi/Madt.h"

#include "kernel/acpi/Structures.h"

#include <cstring>

namespace fluid {

// Interrupt controller structure types and their minimum lengths
// [ACPI 6.5 §5.2.12, Table 5.21 onwards].
enum MadtEntryType : uint8_t {
    LocalApic = 0,          // 8 bytes
    IoApic = 1,             // 12
    InterruptOverride = 2,  // 10
    LocalApicNmi = 4,       // 6
    LocalApicAddress = 5,   // 12
    LocalX2Apic = 9,        // 16
    LocalX2ApicNmi = 0x0a,  // 12
};

static constexpr size_t madt_fixed_size = sizeof(acpi::SdtHeader) + 8; // + local APIC address, flags
static constexpr uint32_t flag_enabled = 1, flag_online_capable = 2;

template<typename T>
static T read_at(std::span<const uint8_t> bytes, size_t offset)
{
    T value;
    memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
}

static ErrorOr<void> require(std::span<const uint8_t> entry, size_t size, const char* what, size_t offset)
{
    if (entry.size() < size)
        return Error::format(ErrorCode::Invalid, "MADT: %s entry at offset %zu is %zu bytes, needs %zu", what, offset,
                             entry.size(), size);
    return {};
}

ErrorOr<void> Madt::parse_entry(uint8_t type, std::span<const uint8_t> e, size_t offset)
{
    switch (type) {
    case LocalApic: {
        TRY(require(e, 8, "local APIC", offset));
        uint32_t flags = read_at<uint32_t>(e, 4);
        m_processors.push_back({ e[2], e[3], bool(flags & flag_enabled), bool(flags & flag_online_capable), false });
        break;
    }
    case LocalX2Apic: {
        TRY(require(e, 16, "x2APIC", offset));
        uint32_t flags = read_at<uint32_t>(e, 8);
        m_processors.push_back({ read_at<uint32_t>(e, 12), read_at<uint32_t>(e, 4), bool(flags & flag_enabled),
                                 bool(flags & flag_online_capable), true });
        break;
    }
    case IoApic:
        TRY(require(e, 12, "I/O APIC", offset));
        m_io_apics.push_back({ e[2], read_at<uint32_t>(e, 4), read_at<uint32_t>(e, 8) });
        break;
    case InterruptOverride:
        TRY(require(e, 10, "interrupt source override", offset));
        m_overrides.push_back({ e[2], e[3], read_at<uint32_t>(e, 4), read_at<uint16_t>(e, 8) });
        break;
    case LocalApicNmi:
        TRY(require(e, 6, "local APIC NMI", offset));
        m_nmis.push_back({ e[2], read_at<uint16_t>(e, 3), e[5] });
        break;
    case LocalX2ApicNmi:
        TRY(require(e, 12, "x2APIC NMI", offset));
        m_nmis.push_back({ read_at<uint32_t>(e, 4), read_at<uint16_t>(e, 2), e[8] });
        break;
    case LocalApicAddress:
        TRY(require(e, 12, "local APIC address override", offset));
        m_local_apic_address = read_at<uint64_t>(e, 4);
        break;
    default:
        break; // other controllers (GIC, SAPIC, ...) do not concern x86-64 PCs
    }
    return {};
}

ErrorOr<Madt> Madt::parse(std::span<const uint8_t> table)
{
    if (table.size() < madt_fixed_size)
        return Error::format(ErrorCode::Invalid, "MADT: %zu bytes is shorter than its fixed part", table.size());
    if (memcmp(table.data(), "APIC", 4) != 0)
        return Error::from(ErrorCode::Invalid, "MADT: signature is not APIC");
    uint32_t length = read_at<uint32_t>(table, 4);
    if (length < madt_fixed_size || length > table.size())
        return Error::format(ErrorCode::Invalid, "MADT: length %u does not fit the %zu bytes given", length,
                             table.size());
    Madt madt;
    madt.m_local_apic_address = read_at<uint32_t>(table, 36);
    madt.m_pcat_compat = read_at<uint32_t>(table, 40) & 1;
    for (size_t offset = madt_fixed_size; offset < length;) {
        if (length - offset < 2)
            return Error::format(ErrorCode::Invalid, "MADT: entry header at offset %zu runs past the end", offset);
        uint8_t type = table[offset], size = table[offset + 1];
        if (size < 2 || size > length - offset)
            return Error::format(ErrorCode::Invalid, "MADT: entry of type %u at offset %zu has bad length %u", type,
                                 offset, size);
        TRY(madt.parse_entry(type, table.subspan(offset, size), offset));
        offset += size;
    }
    return madt;
}

uint32_t Madt::gsi_for_isa_irq(uint8_t irq) const
{
    for (const MadtInterruptOverride& o : m_overrides)
        if (o.bus == 0 && o.source == irq)
            return o.gsi;
    return irq;
}

} // namespace fluid
