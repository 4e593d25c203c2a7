// Fat16Volume: the operations that change the volume.
//
// Order matters if the power fails half-way (docs/RELIABILITY.md, "Power
// cuts"). Every change that makes a directory entry point somewhere is
// written in three stages separated by flush() (FAT cache to every copy,
// then the device's write cache):
//   1. the new data, into clusters no entry points to yet, and the FAT
//      entries that allocate and chain them;
//   2. the directory sector (one sector write: the entry switches from the
//      old chain and size to the new ones at once);
//   3. the FAT entries that free what the entry no longer uses.
// A cut before 2 leaves the old file and an allocated chain nothing points
// to (lost clusters, which fsck.fat reclaims); a cut after 2 leaves the new
// file and the old chain lost. No entry ever points at a free cluster or at
// a chain shorter than its size, so no file is ever a mix of old and new.
#include "kernel/fs/Fat16Volume.h"

#include <cstring>

namespace fluid {

fat::DirectoryEntry Fat16Volume::new_entry(uint8_t attributes, uint32_t cluster, uint32_t size) const
{
    fat::DirectoryEntry entry {};
    entry.attributes = attributes;
    entry.create_time = entry.write_time = m_time;
    entry.create_date = entry.write_date = entry.access_date = m_date;
    entry.first_cluster_low = uint16_t(cluster);
    entry.file_size = size;
    return entry;
}

ErrorOr<std::vector<ClusterExtent>> Fat16Volume::allocate_for(uint64_t bytes, uint32_t previous)
{
    uint64_t clusters = (bytes + m_geometry.cluster_bytes() - 1) / m_geometry.cluster_bytes();
    if (clusters == 0)
        return std::vector<ClusterExtent> {};
    return m_table.allocate(uint32_t(clusters), previous);
}

ErrorOr<void> Fat16Volume::commit(FatDirectory& directory)
{
    TRY(directory.store());
    return flush();
}

ErrorOr<void> Fat16Volume::write_file(std::string_view path, std::span<const uint8_t> data)
{
    forget_cache();
    if (data.size() > UINT32_MAX)
        return Error::format(ErrorCode::Invalid, "FAT: %zu bytes is too large for a FAT file", data.size());
    auto location = TRY(locate(path));
    if (location.is_root || (location.item && location.item->is_directory()))
        return Error::format(ErrorCode::Invalid, "FAT: %s is a directory", location.path.c_str());
    auto extents = TRY(allocate_for(data.size(), 0));
    uint32_t first = extents.empty() ? 0 : extents[0].first;
    ClusterChain chain(*m_device, m_geometry, extents);
    auto written = chain.write(0, data);
    if (written.is_error()) {
        if (first)
            (void)m_table.free_chain(first, location.path.c_str());
        return written.release_error();
    }
    // Stage 1 done: the data and its allocated chain are on the disk.
    if (auto flushed = flush(); flushed.is_error()) {
        if (first)
            (void)m_table.free_chain(first, location.path.c_str());
        return flushed.release_error();
    }
    uint32_t old_first = 0;
    if (location.item) {
        old_first = location.item->first_cluster();
        auto& entry = location.item->entry;
        entry.first_cluster_low = uint16_t(first);
        entry.file_size = uint32_t(data.size());
        entry.write_date = entry.access_date = m_date;
        entry.write_time = m_time;
        entry.attributes |= fat::attr_archive;
        location.parent.update(*location.item);
    } else {
        auto added = location.parent.add(location.leaf, new_entry(fat::attr_archive, first, uint32_t(data.size())),
                                         m_table);
        if (added.is_error()) {
            if (first)
                (void)m_table.free_chain(first, location.path.c_str());
            (void)flush();
            return added.release_error();
        }
    }
    TRY(location.parent.store());
    TRY(m_device->flush());
    if (old_first && m_geometry.is_valid_cluster(old_first))
        TRY(m_table.free_chain(old_first, location.path.c_str()));
    return flush();
}

ErrorOr<void> Fat16Volume::extend(Location& location, const uint8_t* data, uint64_t length)
{
    auto& item = *location.item;
    auto chain = TRY(file_chain(item, location.path.c_str()));
    uint64_t old_size = item.entry.file_size;
    if (old_size + length > UINT32_MAX)
        return Error::format(ErrorCode::Invalid, "FAT: %s would grow past 4 GiB", location.path.c_str());
    uint64_t new_size = old_size + length;
    if (new_size > chain.capacity()) {
        auto extents = TRY(allocate_for(new_size - chain.capacity(), chain.last_cluster()));
        if (item.first_cluster() == 0)
            item.entry.first_cluster_low = uint16_t(extents[0].first);
        for (const auto& extent : extents)
            chain.append(extent.first, extent.count);
    }
    if (data)
        TRY(chain.write(old_size, std::span<const uint8_t>(data, length)));
    else
        TRY(chain.write_zeros(old_size, length));
    // The new clusters are chained before the entry's size covers them.
    TRY(flush());
    item.entry.file_size = uint32_t(new_size);
    item.entry.write_date = item.entry.access_date = m_date;
    item.entry.write_time = m_time;
    item.entry.attributes |= fat::attr_archive;
    location.parent.update(item);
    return commit(location.parent);
}

ErrorOr<void> Fat16Volume::append(std::string_view path, std::span<const uint8_t> data)
{
    forget_cache();
    auto location = TRY(locate(path));
    if (!location.item)
        return write_file(path, data);
    if (location.item->is_directory())
        return Error::format(ErrorCode::Invalid, "FAT: %s is a directory", location.path.c_str());
    return extend(location, data.data(), data.size());
}

ErrorOr<void> Fat16Volume::shrink(Location& location, uint32_t size)
{
    auto& item = *location.item;
    auto chain = TRY(file_chain(item, location.path.c_str()));
    uint32_t keep = (size + m_geometry.cluster_bytes() - 1) / m_geometry.cluster_bytes();
    uint32_t first_to_free = 0;
    uint32_t last_kept = 0;
    uint32_t seen = 0;
    for (const auto& extent : chain.extents()) {
        for (uint32_t i = 0; i < extent.count; ++i, ++seen) {
            if (seen + 1 == keep)
                last_kept = extent.first + i;
            else if (seen == keep)
                first_to_free = extent.first + i;
        }
    }
    item.entry.file_size = size;
    item.entry.write_date = item.entry.access_date = m_date;
    item.entry.write_time = m_time;
    if (keep == 0)
        item.entry.first_cluster_low = 0;
    location.parent.update(item);
    TRY(location.parent.store());
    TRY(m_device->flush());
    if (last_kept)
        TRY(m_table.set_entry(last_kept, fat::cluster_end));
    if (first_to_free)
        TRY(m_table.free_chain(first_to_free, location.path.c_str()));
    return flush();
}

ErrorOr<void> Fat16Volume::truncate(std::string_view path, uint32_t size)
{
    forget_cache();
    auto location = TRY(locate_existing(path));
    if (location.is_root || location.item->is_directory())
        return Error::format(ErrorCode::Invalid, "FAT: %s is a directory", location.path.c_str());
    uint32_t old_size = location.item->entry.file_size;
    if (size > old_size)
        return extend(location, nullptr, size - old_size);
    return shrink(location, size);
}

ErrorOr<void> Fat16Volume::remove(std::string_view path)
{
    forget_cache();
    auto location = TRY(locate_existing(path));
    if (location.is_root)
        return Error::from(ErrorCode::Invalid, "FAT: cannot remove the root directory");
    auto& item = *location.item;
    if (item.is_directory()) {
        auto directory = TRY(open_directory(item, location.path.c_str()));
        if (!directory.items().empty())
            return Error::format(ErrorCode::Busy, "FAT: directory %s is not empty", location.path.c_str());
    } else {
        // Fails on a corrupt chain before anything is changed.
        TRY(file_chain(item, location.path.c_str()));
    }
    location.parent.remove(item);
    TRY(location.parent.store());
    TRY(m_device->flush());
    if (item.first_cluster())
        TRY(m_table.free_chain(item.first_cluster(), location.path.c_str()));
    return flush();
}

ErrorOr<void> Fat16Volume::mkdir(std::string_view path)
{
    forget_cache();
    auto location = TRY(locate(path));
    if (location.is_root || location.item)
        return Error::format(ErrorCode::Exists, "FAT: %s already exists", location.path.c_str());
    auto extents = TRY(allocate_for(m_geometry.cluster_bytes(), 0));
    uint32_t cluster = extents[0].first;
    ClusterChain chain(*m_device, m_geometry, extents);
    // [FAT] "FAT Directory Structure": a new directory holds "." (itself)
    // and ".." (its parent, 0 for the root), then zeros.
    auto result = [&]() -> ErrorOr<void> {
        TRY(chain.write_zeros(0, chain.capacity()));
        auto dot = new_entry(fat::attr_directory, cluster, 0);
        memcpy(dot.name, ".          ", 11);
        auto dot_dot = new_entry(fat::attr_directory, location.parent.first_cluster(), 0);
        memcpy(dot_dot.name, "..         ", 11);
        fat::DirectoryEntry both[2] = { dot, dot_dot };
        TRY(chain.write(0, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(both), sizeof(both))));
        TRY(location.parent.add(location.leaf, new_entry(fat::attr_directory, cluster, 0), m_table));
        return location.parent.store();
    }();
    if (result.is_error()) {
        (void)m_table.free_chain(cluster, location.path.c_str());
        (void)flush();
        return result;
    }
    return flush();
}

ErrorOr<void> Fat16Volume::rename(std::string_view from, std::string_view to)
{
    forget_cache();
    auto source = TRY(locate_existing(from));
    if (source.is_root)
        return Error::from(ErrorCode::Invalid, "FAT: cannot rename the root directory");
    auto target = TRY(locate(to));
    if (target.is_root)
        return Error::format(ErrorCode::Exists, "FAT: %s already exists", target.path.c_str());
    bool same_directory = source.parent.first_cluster() == target.parent.first_cluster();
    if (target.item && !(same_directory && target.item->slot == source.item->slot))
        return Error::format(ErrorCode::Exists, "FAT: %s already exists", target.path.c_str());
    if (source.item->is_directory()) {
        for (uint32_t ancestor : target.ancestors) {
            if (ancestor == source.item->first_cluster())
                return Error::format(ErrorCode::Invalid, "FAT: cannot move %s into itself", source.path.c_str());
        }
    }
    if (same_directory) {
        // One in-memory copy of the directory, so both edits land together.
        // Remove first so a case-only rename does not collide with itself.
        source.parent.remove(*source.item);
        auto added = source.parent.add(target.leaf, source.item->entry, m_table);
        if (added.is_error())
            return added.release_error();
        return commit(source.parent);
    }
    return move_entry(source, target);
}

ErrorOr<void> Fat16Volume::move_entry(Location& source, Location& target)
{
    auto& item = *source.item;
    if (item.is_directory()) {
        // The moved directory's ".." must name its new parent.
        auto moved = TRY(open_directory(item, source.path.c_str()));
        if (auto dot_dot = moved.dot_dot()) {
            dot_dot->entry.first_cluster_low = uint16_t(target.parent.first_cluster());
            moved.update(*dot_dot);
            TRY(moved.store());
        }
    }
    TRY(target.parent.add(target.leaf, item.entry, m_table));
    TRY(target.parent.store());
    source.parent.remove(item);
    return commit(source.parent);
}

} // namespace fluid
