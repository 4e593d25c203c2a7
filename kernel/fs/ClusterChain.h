// Byte-addressed I/O over a list of sector runs: the extents of a cluster
// chain, or the fixed root directory region of FAT16. Whole sectors inside
// one run move in a single device transfer; only the unaligned edges go
// through a one-sector bounce buffer.
#pragma once

#include "kernel/fs/BlockDevice.h"
#include "kernel/fs/FatGeometry.h"
#include "kernel/fs/FatTable.h"

#include <span>
#include <vector>

namespace fluid {

class ClusterChain {
public:
    ClusterChain() = default;
    ClusterChain(BlockDevice& device, const FatGeometry& geometry, std::vector<ClusterExtent> extents);
    // [FAT] "FAT Type Determination": the FAT16 root directory is a fixed
    // run of sectors before the data region, not a chain.
    static ClusterChain fixed_region(BlockDevice& device, uint64_t lba, uint64_t sectors);

    uint64_t capacity() const { return m_sectors * BlockDevice::sector_size; }
    uint32_t cluster_total() const;
    uint32_t last_cluster() const
    {
        return m_extents.empty() ? 0 : m_extents.back().first + m_extents.back().count - 1;
    }
    const std::vector<ClusterExtent>& extents() const { return m_extents; }
    void append(uint32_t first_cluster, uint32_t count);

    // Both fail if the range goes past capacity().
    ErrorOr<void> read(uint64_t offset, std::span<uint8_t> out) const;
    // `data` may be empty-with-size via write_zeros.
    ErrorOr<void> write(uint64_t offset, std::span<const uint8_t> data);
    ErrorOr<void> write_zeros(uint64_t offset, uint64_t length);

private:
    struct Run {
        uint64_t lba;
        uint64_t sectors;
    };
    // The run holding sector `sector` of the chain and the sector's index in it.
    const Run* find(uint64_t sector, uint64_t& within) const;
    ErrorOr<void> transfer(uint64_t offset, uint8_t* in, const uint8_t* out, uint64_t length) const;

    BlockDevice* m_device { nullptr };
    FatGeometry m_geometry {}; // a copy: handles may outlive a moved volume
    std::vector<ClusterExtent> m_extents;
    std::vector<Run> m_runs;
    uint64_t m_sectors { 0 };
};

} // namespace fluid
