// The file allocation table of a FAT16 volume ([FAT] "FAT Data Structure"):
// one 16-bit entry per cluster, every copy kept identical. Reads go through
// a small write-back sector cache; flush() writes dirty sectors to every
// FAT copy. Chains are returned as extents (runs of consecutive clusters)
// so file data can move in a few large device transfers.
#pragma once

#include "kernel/fs/BlockDevice.h"
#include "kernel/fs/FatGeometry.h"

#include <vector>

namespace fluid {

struct ClusterExtent {
    uint32_t first { 0 };
    uint32_t count { 0 };
};

class FatTable {
public:
    FatTable(BlockDevice& device, const FatGeometry& geometry)
        : m_device(&device)
        , m_geometry(geometry)
    {
    }

    ErrorOr<uint16_t> entry(uint32_t cluster);
    ErrorOr<void> set_entry(uint32_t cluster, uint16_t value);

    // The chain starting at `first`, which must be a valid cluster. `what`
    // names the owner (a path) for error messages. Detects free, bad and
    // out-of-range links and cycles.
    ErrorOr<std::vector<ClusterExtent>> chain(uint32_t first, const char* what);

    // Allocates `count` clusters (contents undefined) as a new chain,
    // linked after `previous` when it is non-zero. Returns their extents.
    ErrorOr<std::vector<ClusterExtent>> allocate(uint32_t count, uint32_t previous);
    // Marks `first` and every cluster after it free.
    ErrorOr<void> free_chain(uint32_t first, const char* what);

    ErrorOr<uint32_t> free_count();
    ErrorOr<void> flush();

private:
    static constexpr size_t cache_slots = 8;
    static constexpr uint32_t entries_per_sector = BlockDevice::sector_size / 2;
    struct CachedSector {
        uint32_t index { 0 }; // sector within the FAT
        bool valid { false };
        bool dirty { false };
        uint8_t bytes[BlockDevice::sector_size];
    };

    ErrorOr<CachedSector*> load(uint32_t fat_sector);
    ErrorOr<void> write_back(CachedSector&);
    // The next cluster of a chain, or 0 at its end.
    ErrorOr<uint32_t> next(uint32_t cluster, const char* what);

    BlockDevice* m_device;
    FatGeometry m_geometry;
    CachedSector m_cache[cache_slots];
    size_t m_victim { 0 };
    uint32_t m_hint { fat::first_data_cluster };
    int64_t m_free_count { -1 }; // -1 until first counted
};

} // namespace fluid
