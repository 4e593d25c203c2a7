#include "kernel/fs/FatTable.h"

#include <cstring>

namespace fluid {

ErrorOr<FatTable::CachedSector*> FatTable::load(uint32_t fat_sector)
{
    for (auto& slot : m_cache) {
        if (slot.valid && slot.index == fat_sector)
            return &slot;
    }
    CachedSector& slot = m_cache[m_victim];
    m_victim = (m_victim + 1) % cache_slots;
    if (slot.valid && slot.dirty)
        TRY(write_back(slot));
    slot.valid = false;
    // The first FAT is the one we trust; the others are copies.
    TRY(m_device->read(m_geometry.fat_first_sector() + fat_sector, 1, slot.bytes));
    slot.index = fat_sector;
    slot.valid = true;
    slot.dirty = false;
    return &slot;
}

ErrorOr<void> FatTable::write_back(CachedSector& slot)
{
    for (uint32_t copy = 0; copy < m_geometry.fat_count(); ++copy) {
        uint64_t lba = m_geometry.fat_first_sector() + uint64_t(copy) * m_geometry.fat_sectors() + slot.index;
        TRY(m_device->write(lba, 1, slot.bytes));
    }
    slot.dirty = false;
    return {};
}

ErrorOr<void> FatTable::flush()
{
    for (auto& slot : m_cache) {
        if (slot.valid && slot.dirty)
            TRY(write_back(slot));
    }
    return {};
}

ErrorOr<uint16_t> FatTable::entry(uint32_t cluster)
{
    if (cluster > m_geometry.max_cluster())
        return Error::format(ErrorCode::Invalid, "FAT: entry %u is beyond the volume (%u clusters)", cluster,
                             m_geometry.cluster_count());
    auto* slot = TRY(load(cluster / entries_per_sector));
    uint16_t value;
    memcpy(&value, slot->bytes + (cluster % entries_per_sector) * 2, 2);
    return value;
}

ErrorOr<void> FatTable::set_entry(uint32_t cluster, uint16_t value)
{
    if (!m_geometry.is_valid_cluster(cluster))
        return Error::format(ErrorCode::Invalid, "FAT: cannot set entry %u (valid clusters are 2..%u)", cluster,
                             m_geometry.max_cluster());
    auto* slot = TRY(load(cluster / entries_per_sector));
    uint16_t old;
    memcpy(&old, slot->bytes + (cluster % entries_per_sector) * 2, 2);
    memcpy(slot->bytes + (cluster % entries_per_sector) * 2, &value, 2);
    slot->dirty = true;
    if (m_free_count >= 0) {
        if (old == fat::cluster_free && value != fat::cluster_free)
            --m_free_count;
        else if (old != fat::cluster_free && value == fat::cluster_free)
            ++m_free_count;
    }
    return {};
}

ErrorOr<uint32_t> FatTable::next(uint32_t cluster, const char* what)
{
    uint16_t value = TRY(entry(cluster));
    if (value >= fat::cluster_end_min)
        return 0u;
    if (value == fat::cluster_free)
        return Error::format(ErrorCode::Invalid, "FAT: cluster chain of %s runs into free cluster %u", what, cluster);
    if (value == fat::cluster_bad)
        return Error::format(ErrorCode::Invalid, "FAT: cluster chain of %s runs into bad cluster %u", what, cluster);
    if (!m_geometry.is_valid_cluster(value))
        return Error::format(ErrorCode::Invalid, "FAT: cluster %u of %s is beyond the volume (%u clusters)", value,
                             what, m_geometry.cluster_count());
    return uint32_t(value);
}

ErrorOr<std::vector<ClusterExtent>> FatTable::chain(uint32_t first, const char* what)
{
    if (!m_geometry.is_valid_cluster(first))
        return Error::format(ErrorCode::Invalid, "FAT: cluster %u of %s is beyond the volume (%u clusters)", first,
                             what, m_geometry.cluster_count());
    std::vector<ClusterExtent> extents;
    extents.push_back({ first, 1 });
    // A chain longer than the volume must revisit a cluster: that bounds
    // the walk without remembering every cluster seen.
    uint32_t length = 1;
    for (uint32_t cluster = first;;) {
        uint32_t following = TRY(next(cluster, what));
        if (following == 0)
            break;
        if (++length > m_geometry.cluster_count())
            return Error::format(ErrorCode::Invalid, "FAT: cluster chain of %s has a cycle (at cluster %u)", what,
                                 following);
        auto& last = extents.back();
        if (following == last.first + last.count)
            ++last.count;
        else
            extents.push_back({ following, 1 });
        cluster = following;
    }
    return extents;
}

ErrorOr<uint32_t> FatTable::free_count()
{
    if (m_free_count < 0) {
        uint32_t count = 0;
        for (uint32_t c = fat::first_data_cluster; c <= m_geometry.max_cluster(); ++c) {
            if (TRY(entry(c)) == fat::cluster_free)
                ++count;
        }
        m_free_count = count;
    }
    return uint32_t(m_free_count);
}

ErrorOr<std::vector<ClusterExtent>> FatTable::allocate(uint32_t count, uint32_t previous)
{
    uint32_t available = TRY(free_count());
    if (count > available)
        return Error::format(ErrorCode::NoMemory, "FAT: volume full (need %u clusters, %u free)", count, available);
    std::vector<ClusterExtent> extents;
    uint32_t cluster = m_hint;
    // Next-fit from the last allocation keeps files contiguous when they
    // are written one after another.
    uint64_t scanned = 0;
    for (uint32_t taken = 0; taken < count; ++scanned) {
        if (scanned > 2 * uint64_t(m_geometry.cluster_count()))
            return Error::from(ErrorCode::Invalid, "FAT: free-cluster count disagrees with the FAT");
        if (!m_geometry.is_valid_cluster(cluster))
            cluster = fat::first_data_cluster;
        if (TRY(entry(cluster)) == fat::cluster_free) {
            TRY(set_entry(cluster, fat::cluster_end));
            if (previous)
                TRY(set_entry(previous, uint16_t(cluster)));
            if (!extents.empty() && extents.back().first + extents.back().count == cluster)
                ++extents.back().count;
            else
                extents.push_back({ cluster, 1 });
            previous = cluster;
            ++taken;
        }
        ++cluster;
    }
    m_hint = cluster;
    return extents;
}

ErrorOr<void> FatTable::free_chain(uint32_t first, const char* what)
{
    // Walk first so a corrupt chain is reported before anything changes.
    auto extents = TRY(chain(first, what));
    for (const auto& extent : extents) {
        for (uint32_t i = 0; i < extent.count; ++i)
            TRY(set_entry(extent.first + i, fat::cluster_free));
    }
    return {};
}

} // namespace fluid
