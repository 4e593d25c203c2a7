#include "kernel/acpi/Hpet.h"

#include "kernel/acpi/Structures.h"

#include <cstring>

namespace fluid {

ErrorOr<HpetInfo> parse_hpet(std::span<const uint8_t> table)
{
    // Header (36), block id (4), base address GAS (12), number (1),
    // minimum tick (2), page protection (1) = 56 bytes.
    constexpr size_t hpet_size = 56;
    if (table.size() < hpet_size || memcmp(table.data(), "HPET", 4) != 0)
        return Error::format(ErrorCode::Invalid, "HPET: table is %zu bytes or not an HPET table", table.size());
    uint32_t block_id;
    memcpy(&block_id, table.data() + 36, 4);
    acpi::GenericAddress base;
    memcpy(&base, table.data() + 40, sizeof(base));
    if (base.address_space != acpi::address_space_memory)
        return Error::format(ErrorCode::Unsupported, "HPET: registers in address space %u, not memory",
                             base.address_space);
    if (base.address == 0 || (base.address & 0x3ff))
        return Error::format(ErrorCode::Invalid, "HPET: base address 0x%lx is not a 1 KiB-aligned MMIO block",
                             uint64_t(base.address));
    HpetInfo info {};
    info.address = base.address;
    info.hpet_number = table[52];
    memcpy(&info.minimum_tick, table.data() + 53, 2);
    info.vendor_id = uint16_t(block_id >> 16);
    info.comparator_count = uint8_t(((block_id >> 8) & 0x1f) + 1);
    info.counter_is_64_bit = block_id & (1u << 13);
    return info;
}

} // namespace fluid
