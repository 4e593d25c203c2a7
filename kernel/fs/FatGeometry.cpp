#include "kernel/fs/FatGeometry.h"

namespace fluid {

ErrorOr<FatGeometry> FatGeometry::from_boot_sector(const fat::BootSector& boot, uint64_t device_sectors)
{
    // [FAT] "Boot Sector and BPB": BS_jmpBoot is EB ?? 90 or E9 ?? ??, and
    // bytes 510/511 hold 55 AA.
    if (boot.jump[0] != 0xEB && boot.jump[0] != 0xE9)
        return Error::format(ErrorCode::Invalid, "FAT: boot sector starts with %#x, not a jump", boot.jump[0]);
    if (boot.signature[0] != 0x55 || boot.signature[1] != 0xAA)
        return Error::from(ErrorCode::Invalid, "FAT: boot sector lacks the 55 AA signature");
    // The other legal sizes (1024..4096) exist on paper only; our devices
    // and GRUB images use 512.
    if (boot.bytes_per_sector != 512)
        return Error::format(ErrorCode::Unsupported, "FAT: %u bytes per sector (only 512 is supported)",
                             boot.bytes_per_sector);
    uint32_t spc = boot.sectors_per_cluster;
    if (spc == 0 || spc > 64 || (spc & (spc - 1)))
        return Error::format(ErrorCode::Invalid, "FAT: %u sectors per cluster (not a power of two up to 64)", spc);
    if (boot.reserved_sectors == 0)
        return Error::from(ErrorCode::Invalid, "FAT: no reserved sectors (the boot sector needs one)");
    if (boot.fat_count < 1 || boot.fat_count > 2)
        return Error::format(ErrorCode::Invalid, "FAT: %u FATs (expected 1 or 2)", boot.fat_count);
    if (boot.root_entry_count == 0)
        return Error::from(ErrorCode::Invalid, "FAT: no root directory entries (FAT32?), not FAT16");
    if (boot.fat_size_16 == 0)
        return Error::from(ErrorCode::Invalid, "FAT: FAT size is 0 (FAT32?), not FAT16");
    uint32_t total = boot.total_sectors_16 ? boot.total_sectors_16 : boot.total_sectors_32;
    if (total > device_sectors)
        return Error::format(ErrorCode::Invalid, "FAT: volume has %u sectors but the device only %llu", total,
                             (unsigned long long)device_sectors);

    FatGeometry g;
    g.m_sectors_per_cluster = spc;
    g.m_reserved_sectors = boot.reserved_sectors;
    g.m_fat_count = boot.fat_count;
    g.m_fat_sectors = boot.fat_size_16;
    g.m_root_entry_count = boot.root_entry_count;
    g.m_total_sectors = total;
    g.m_root_first_sector = g.m_reserved_sectors + g.m_fat_count * g.m_fat_sectors;
    // [FAT] "FAT Type Determination": RootDirSectors rounds up.
    g.m_root_sectors = (g.m_root_entry_count * fat::entry_size + 511) / 512;
    g.m_first_data_sector = g.m_root_first_sector + g.m_root_sectors;
    if (g.m_first_data_sector >= total)
        return Error::format(ErrorCode::Invalid, "FAT: metadata (%u sectors) fills the whole volume (%u sectors)",
                             g.m_first_data_sector, total);
    g.m_cluster_count = (total - g.m_first_data_sector) / spc;
    if (g.m_cluster_count < fat::fat16_min_clusters || g.m_cluster_count > fat::fat16_max_clusters)
        return Error::format(ErrorCode::Unsupported, "FAT: %u clusters, not FAT16 (%u..%u)", g.m_cluster_count,
                             fat::fat16_min_clusters, fat::fat16_max_clusters);
    // Two bytes per cluster, plus the two reserved entries.
    uint64_t needed = (uint64_t(g.m_cluster_count) + 2) * 2;
    if (uint64_t(g.m_fat_sectors) * 512 < needed)
        return Error::format(ErrorCode::Invalid, "FAT: FAT of %u sectors cannot map %u clusters", g.m_fat_sectors,
                             g.m_cluster_count);
    return g;
}

} // namespace fluid
