#include "kernel/fs/ClusterChain.h"

#include <cstring>

namespace fluid {

ClusterChain::ClusterChain(BlockDevice& device, const FatGeometry& geometry, std::vector<ClusterExtent> extents)
    : m_device(&device)
    , m_geometry(geometry)
{
    for (const auto& extent : extents)
        append(extent.first, extent.count);
}

ClusterChain ClusterChain::fixed_region(BlockDevice& device, uint64_t lba, uint64_t sectors)
{
    ClusterChain chain;
    chain.m_device = &device;
    chain.m_runs.push_back({ lba, sectors });
    chain.m_sectors = sectors;
    return chain;
}

uint32_t ClusterChain::cluster_total() const
{
    uint32_t total = 0;
    for (const auto& extent : m_extents)
        total += extent.count;
    return total;
}

void ClusterChain::append(uint32_t first_cluster, uint32_t count)
{
    if (count == 0)
        return;
    uint64_t lba = m_geometry.cluster_lba(first_cluster);
    uint64_t sectors = uint64_t(count) * m_geometry.sectors_per_cluster();
    if (!m_extents.empty() && m_extents.back().first + m_extents.back().count == first_cluster) {
        m_extents.back().count += count;
        m_runs.back().sectors += sectors;
    } else {
        m_extents.push_back({ first_cluster, count });
        m_runs.push_back({ lba, sectors });
    }
    m_sectors += sectors;
}

const ClusterChain::Run* ClusterChain::find(uint64_t sector, uint64_t& within) const
{
    // Chains of big files have few runs, so a linear walk is cheap.
    for (const auto& run : m_runs) {
        if (sector < run.sectors) {
            within = sector;
            return &run;
        }
        sector -= run.sectors;
    }
    return nullptr;
}

ErrorOr<void> ClusterChain::transfer(uint64_t offset, uint8_t* in, const uint8_t* out, uint64_t length) const
{
    if (offset > capacity() || length > capacity() - offset)
        return Error::format(ErrorCode::Invalid, "FAT: access of %llu bytes at %llu is past the chain (%llu bytes)",
                             (unsigned long long)length, (unsigned long long)offset,
                             (unsigned long long)capacity());
    constexpr uint64_t ss = BlockDevice::sector_size;
    uint8_t bounce[ss];
    while (length > 0) {
        uint64_t within = 0;
        const Run* run = find(offset / ss, within);
        if (!run)
            return Error::from(ErrorCode::Invalid, "FAT: chain map is inconsistent");
        uint64_t lba = run->lba + within;
        uint64_t skip = offset % ss;
        if (skip == 0 && length >= ss) {
            // Straight to or from the caller's buffer, up to the end of the run.
            uint64_t sectors = length / ss;
            if (sectors > run->sectors - within)
                sectors = run->sectors - within;
            if (in)
                TRY(m_device->read(lba, sectors, in));
            else
                TRY(m_device->write(lba, sectors, out));
            uint64_t bytes = sectors * ss;
            offset += bytes, length -= bytes;
            in = in ? in + bytes : in;
            out = out ? out + bytes : out;
            continue;
        }
        uint64_t piece = ss - skip < length ? ss - skip : length;
        TRY(m_device->read(lba, 1, bounce));
        if (in) {
            memcpy(in, bounce + skip, piece);
            in += piece;
        } else {
            memcpy(bounce + skip, out, piece);
            TRY(m_device->write(lba, 1, bounce));
            out += piece;
        }
        offset += piece, length -= piece;
    }
    return {};
}

ErrorOr<void> ClusterChain::read(uint64_t offset, std::span<uint8_t> out) const
{
    return transfer(offset, out.data(), nullptr, out.size());
}

ErrorOr<void> ClusterChain::write(uint64_t offset, std::span<const uint8_t> data)
{
    return transfer(offset, nullptr, data.data(), data.size());
}

ErrorOr<void> ClusterChain::write_zeros(uint64_t offset, uint64_t length)
{
    static const uint8_t zeros[4096] = {};
    while (length > 0) {
        uint64_t piece = length < sizeof(zeros) ? length : sizeof(zeros);
        TRY(transfer(offset, nullptr, zeros, piece));
        offset += piece, length -= piece;
    }
    return {};
}

} // namespace fluid
