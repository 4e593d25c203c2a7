#include "kernel/fs/MbrPartitionTable.h"

#include <cstring>

namespace fluid {

namespace {

struct [[gnu::packed]] MbrEntry {
    uint8_t status;
    uint8_t chs_first[3];
    uint8_t type;
    uint8_t chs_last[3];
    uint32_t first_lba;
    uint32_t sector_count;
};
static_assert(sizeof(MbrEntry) == 16);
static_assert(offsetof(MbrEntry, type) == 4);
static_assert(offsetof(MbrEntry, first_lba) == 8);

constexpr size_t table_offset = 446;
constexpr size_t signature_offset = 510;

} // namespace

ErrorOr<MbrPartitionTable> MbrPartitionTable::read(BlockDevice& disk)
{
    uint8_t sector[BlockDevice::sector_size];
    if (disk.sector_count() == 0)
        return Error::from(ErrorCode::Invalid, "MBR: the disk is empty");
    TRY(disk.read(0, 1, sector));
    return parse(sector, disk.sector_count());
}

ErrorOr<MbrPartitionTable> MbrPartitionTable::parse(const uint8_t (&sector)[BlockDevice::sector_size],
                                                    uint64_t disk_sectors)
{
    if (sector[signature_offset] != 0x55 || sector[signature_offset + 1] != 0xAA)
        return Error::format(ErrorCode::Invalid, "MBR: signature is %02x %02x, not 55 aa", sector[signature_offset],
                             sector[signature_offset + 1]);
    MbrPartitionTable table;
    for (uint8_t i = 0; i < 4; ++i) {
        MbrEntry entry;
        memcpy(&entry, sector + table_offset + i * sizeof(MbrEntry), sizeof(entry));
        if (entry.status != 0x00 && entry.status != 0x80)
            return Error::format(ErrorCode::Invalid, "MBR: partition %u has status %#x (not 0 or 0x80)", i,
                                 entry.status);
        MbrPartition& partition = table.m_partitions[i];
        partition.index = i;
        if (entry.type == 0)
            continue;
        uint64_t first = entry.first_lba;
        uint64_t count = entry.sector_count;
        // Sector 0 is the MBR itself, so no partition may start there.
        if (first == 0 || count == 0 || first > disk_sectors || count > disk_sectors - first)
            return Error::format(ErrorCode::Invalid,
                                 "MBR: partition %u (sectors %llu..+%llu) is outside the disk (%llu sectors)", i,
                                 (unsigned long long)first, (unsigned long long)count,
                                 (unsigned long long)disk_sectors);
        partition.type = entry.type;
        partition.bootable = entry.status == 0x80;
        partition.first_lba = first;
        partition.sector_count = count;
    }
    return table;
}

ErrorOr<MbrPartition> MbrPartitionTable::find_fat16() const
{
    for (const auto& partition : m_partitions) {
        if (partition.is_fat16())
            return partition;
    }
    return Error::from(ErrorCode::NotFound, "MBR: no FAT16 partition (type 04, 06 or 0e)");
}

} // namespace fluid
