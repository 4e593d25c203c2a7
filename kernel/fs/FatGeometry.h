// Where things are on a FAT16 volume, computed from a checked BPB
// ([FAT] "Boot Sector and BPB", "FAT Type Determination").
#pragma once

#include "kernel/fs/FatLayout.h"
#include "kernel/lib/ErrorOr.h"

namespace fluid {

class FatGeometry {
public:
    // Rejects anything that is not a FAT16 volume fitting in `device_sectors`.
    static ErrorOr<FatGeometry> from_boot_sector(const fat::BootSector&, uint64_t device_sectors);

    uint32_t sectors_per_cluster() const { return m_sectors_per_cluster; }
    uint32_t cluster_bytes() const { return m_sectors_per_cluster * 512; }
    uint32_t fat_count() const { return m_fat_count; }
    uint32_t fat_first_sector() const { return m_reserved_sectors; }
    uint32_t fat_sectors() const { return m_fat_sectors; }
    uint32_t root_first_sector() const { return m_root_first_sector; }
    uint32_t root_sectors() const { return m_root_sectors; }
    uint32_t root_entry_count() const { return m_root_entry_count; }
    uint32_t first_data_sector() const { return m_first_data_sector; }
    uint32_t total_sectors() const { return m_total_sectors; }
    uint32_t cluster_count() const { return m_cluster_count; }
    // Valid data clusters are 2..max_cluster().
    uint32_t max_cluster() const { return m_cluster_count + 1; }
    bool is_valid_cluster(uint32_t cluster) const
    {
        return cluster >= fat::first_data_cluster && cluster <= max_cluster();
    }
    uint64_t cluster_lba(uint32_t cluster) const
    {
        return m_first_data_sector + uint64_t(cluster - fat::first_data_cluster) * m_sectors_per_cluster;
    }

private:
    uint32_t m_sectors_per_cluster { 0 };
    uint32_t m_reserved_sectors { 0 };
    uint32_t m_fat_count { 0 };
    uint32_t m_fat_sectors { 0 };
    uint32_t m_root_entry_count { 0 };
    uint32_t m_root_first_sector { 0 };
    uint32_t m_root_sectors { 0 };
    uint32_t m_first_data_sector { 0 };
    uint32_t m_total_sectors { 0 };
    uint32_t m_cluster_count { 0 };
};

} // namespace fluid
