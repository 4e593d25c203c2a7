// Fat16Volume: mounting, path lookup and the read side. The operations
// that change the volume are in Fat16VolumeWrite.cpp.
#include "kernel/fs/Fat16Volume.h"

#include <cstring>

namespace fluid {

namespace {

constexpr size_t max_path = 1024;

// How much of a path fits in an error message.
int shown(std::string_view path) { return int(path.size() > 80 ? 80 : path.size()); }

// Splits "/a//b/c" into {"a", "b", "c"}.
ErrorOr<std::vector<std::string_view>> split_path(std::string_view path)
{
    if (path.empty() || path[0] != '/')
        return Error::format(ErrorCode::Invalid, "FAT: path \"%.*s\" is not absolute", shown(path), path.data());
    if (path.size() > max_path)
        return Error::format(ErrorCode::Invalid, "FAT: path of %zu bytes is longer than %zu", path.size(), max_path);
    std::vector<std::string_view> parts;
    size_t at = 0;
    while (at < path.size()) {
        size_t slash = path.find('/', at);
        if (slash == std::string_view::npos)
            slash = path.size();
        if (slash > at)
            parts.push_back(path.substr(at, slash - at));
        at = slash + 1;
    }
    for (auto part : parts) {
        if (part == "." || part == "..")
            return Error::format(ErrorCode::Invalid, "FAT: path \"%.*s\" contains \".\" or \"..\"", shown(path),
                                 path.data());
    }
    return parts;
}

} // namespace

ErrorOr<Fat16Volume> Fat16Volume::mount(BlockDevice& device)
{
    if (device.sector_count() == 0)
        return Error::from(ErrorCode::Invalid, "FAT: the device is empty");
    fat::BootSector boot;
    TRY(device.read(0, 1, &boot));
    auto geometry = TRY(FatGeometry::from_boot_sector(boot, device.sector_count()));
    Fat16Volume volume(device, geometry);
    // [FAT] "FAT Data Structure": FAT[0] holds the media byte in its low
    // eight bits; a mismatch means we are not looking at a FAT.
    uint16_t media_entry = TRY(volume.m_table.entry(0));
    if ((media_entry & 0xFF) != boot.media)
        return Error::format(ErrorCode::Invalid, "FAT: FAT[0] is %#x but the media byte is %#x", media_entry,
                             boot.media);
    return volume;
}

ErrorOr<FatDirectory> Fat16Volume::open_directory(const FatDirectory::Item& item, const char* path)
{
    if (!item.is_directory())
        return Error::format(ErrorCode::Invalid, "FAT: %s is not a directory", path);
    if (item.entry.first_cluster_high != 0 || !m_geometry.is_valid_cluster(item.first_cluster()))
        return Error::format(ErrorCode::Invalid, "FAT: directory %s starts at cluster %u, outside 2..%u", path,
                             item.first_cluster() | (uint32_t(item.entry.first_cluster_high) << 16),
                             m_geometry.max_cluster());
    return FatDirectory::open(*m_device, m_geometry, m_table, item.first_cluster(), path);
}

ErrorOr<Fat16Volume::Location> Fat16Volume::locate(std::string_view path)
{
    auto parts = TRY(split_path(path));
    auto root = TRY(FatDirectory::open_root(*m_device, m_geometry));
    Location location { std::move(root), std::nullopt, {}, std::string(path), { 0 }, parts.empty() };
    if (parts.empty())
        return location;
    std::string walked;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        walked += '/';
        walked += parts[i];
        auto item = location.parent.find(parts[i]);
        if (!item)
            return Error::format(ErrorCode::NotFound, "FAT: %s not found", walked.c_str());
        location.parent = TRY(open_directory(*item, walked.c_str()));
        location.ancestors.push_back(item->first_cluster());
    }
    location.leaf = std::string(parts.back());
    location.item = location.parent.find(parts.back());
    return location;
}

ErrorOr<Fat16Volume::Location> Fat16Volume::locate_existing(std::string_view path)
{
    auto location = TRY(locate(path));
    if (!location.is_root && !location.item)
        return Error::format(ErrorCode::NotFound, "FAT: %s not found", location.path.c_str());
    return location;
}

ErrorOr<ClusterChain> Fat16Volume::file_chain(const FatDirectory::Item& item, const char* path)
{
    uint32_t size = item.entry.file_size;
    uint32_t cluster = item.first_cluster();
    if (item.entry.first_cluster_high != 0)
        return Error::format(ErrorCode::Invalid, "FAT: %s has a FAT32 cluster number on FAT16", path);
    if (cluster == 0) {
        if (size != 0)
            return Error::format(ErrorCode::Invalid, "FAT: %s is %u bytes but has no clusters", path, size);
        return ClusterChain(*m_device, m_geometry, {});
    }
    auto extents = TRY(m_table.chain(cluster, path));
    ClusterChain chain(*m_device, m_geometry, std::move(extents));
    if (chain.capacity() < size)
        return Error::format(ErrorCode::Invalid, "FAT: %s is %u bytes but its cluster chain holds only %llu", path,
                             size, (unsigned long long)chain.capacity());
    return chain;
}

FatEntryInfo Fat16Volume::info_of(const FatDirectory::Item& item) const
{
    FatEntryInfo info;
    info.name = item.name;
    info.short_name = item.short_name;
    info.is_directory = item.is_directory();
    info.size = info.is_directory ? 0 : item.entry.file_size;
    info.attributes = item.entry.attributes;
    info.first_cluster = item.first_cluster();
    return info;
}

ErrorOr<FatEntryInfo> Fat16Volume::stat(std::string_view path)
{
    auto location = TRY(locate_existing(path));
    if (location.is_root) {
        FatEntryInfo info;
        info.name = "/";
        info.is_directory = true;
        info.attributes = fat::attr_directory;
        return info;
    }
    return info_of(*location.item);
}

ErrorOr<std::vector<FatEntryInfo>> Fat16Volume::list(std::string_view path)
{
    auto location = TRY(locate_existing(path));
    std::vector<FatEntryInfo> out;
    auto add_all = [&](const FatDirectory& directory) {
        for (const auto& item : directory.items())
            out.push_back(info_of(item));
    };
    if (location.is_root) {
        add_all(location.parent);
    } else {
        auto directory = TRY(open_directory(*location.item, location.path.c_str()));
        add_all(directory);
    }
    return out;
}

ErrorOr<FatFile> Fat16Volume::open(std::string_view path)
{
    auto location = TRY(locate_existing(path));
    if (location.is_root || location.item->is_directory())
        return Error::format(ErrorCode::Invalid, "FAT: %s is a directory", location.path.c_str());
    auto chain = TRY(file_chain(*location.item, location.path.c_str()));
    return FatFile(std::move(chain), location.item->entry.file_size);
}

ErrorOr<size_t> Fat16Volume::read(std::string_view path, uint64_t offset, std::span<uint8_t> out)
{
    // Sequential reads of one big file come as many calls; keeping its
    // chain saves a path walk and a FAT walk per call.
    if (m_cached_path.empty() || m_cached_path != path) {
        forget_cache();
        m_cached_file = TRY(open(path));
        m_cached_path = std::string(path);
    }
    return m_cached_file.read_at(offset, out);
}

ErrorOr<FatStatfs> Fat16Volume::statfs()
{
    FatStatfs fs;
    fs.cluster_bytes = m_geometry.cluster_bytes();
    fs.total_clusters = m_geometry.cluster_count();
    fs.free_clusters = TRY(m_table.free_count());
    fs.total_bytes = uint64_t(fs.total_clusters) * fs.cluster_bytes;
    fs.free_bytes = uint64_t(fs.free_clusters) * fs.cluster_bytes;
    return fs;
}

ErrorOr<void> Fat16Volume::flush()
{
    TRY(m_table.flush());
    return m_device->flush();
}

} // namespace fluid
