// The classic PC master boot record: four 16-byte partition entries at
// offset 446 and the 0x55 0xAA signature at 510. Only LBA fields are used;
// the CHS fields are ignored, as every modern reader does.
#pragma once

#include "kernel/fs/BlockDevice.h"

#include <array>

namespace fluid {

struct MbrPartition {
    uint8_t index { 0 };      // 0..3, the slot in the table
    uint8_t type { 0 };       // 0 = unused
    bool bootable { false };
    uint64_t first_lba { 0 };
    uint64_t sector_count { 0 };

    bool is_used() const { return type != 0; }
    // FAT16 (<32 MiB), FAT16B and FAT16B with LBA access.
    bool is_fat16() const { return type == 0x04 || type == 0x06 || type == 0x0E; }
};

class MbrPartitionTable {
public:
    // Reads sector 0 and checks every used entry against the disk size.
    static ErrorOr<MbrPartitionTable> read(BlockDevice& disk);
    // The same checks on an already read sector.
    static ErrorOr<MbrPartitionTable> parse(const uint8_t (&sector)[BlockDevice::sector_size], uint64_t disk_sectors);

    const std::array<MbrPartition, 4>& partitions() const { return m_partitions; }
    // The first FAT16 partition, in table order.
    ErrorOr<MbrPartition> find_fat16() const;

private:
    std::array<MbrPartition, 4> m_partitions {};
};

} // namespace fluid
