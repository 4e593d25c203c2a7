// A mounted FAT16 volume: path lookup, reading and writing files and
// directories, following Microsoft "FAT: General Overview of On-Disk
// Format" v1.03 ([FAT]). Paths are absolute ("/dir/sub/file.ext"), looked
// up without regard to ASCII case, by long or 8.3 name.
//
// Every mutation leaves the volume consistent (both FATs equal, no lost or
// cross-linked clusters) when it returns: new data is written before the
// directory entry that points to it, and old clusters are freed last.
// Nothing is cached across calls except FAT sectors, which every mutation
// flushes, and the chain of the last file read.
#pragma once

#include "kernel/fs/BlockDevice.h"
#include "kernel/fs/FatDirectory.h"
#include "kernel/fs/FatFile.h"
#include "kernel/fs/FatGeometry.h"
#include "kernel/fs/FatTable.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fluid {

struct FatEntryInfo {
    std::string name;       // long name, or the 8.3 name if there is none
    std::string short_name; // the 8.3 alias, e.g. "ONCEUP~1.GGU"
    uint32_t size { 0 };
    bool is_directory { false };
    uint8_t attributes { 0 };
    uint32_t first_cluster { 0 };
};

struct FatStatfs {
    uint64_t total_bytes { 0 };
    uint64_t free_bytes { 0 };
    uint32_t cluster_bytes { 0 };
    uint32_t total_clusters { 0 };
    uint32_t free_clusters { 0 };
};

class Fat16Volume {
public:
    // Checks the BPB against `device`; the device must outlive the volume.
    static ErrorOr<Fat16Volume> mount(BlockDevice& device);

    const FatGeometry& geometry() const { return m_geometry; }
    // DOS date and time stamped on entries we create or modify
    // ([FAT] "Date and Time Formats"); there is no clock here.
    void set_timestamp(uint16_t date, uint16_t time) { m_date = date, m_time = time; }

    ErrorOr<FatEntryInfo> stat(std::string_view path);
    ErrorOr<std::vector<FatEntryInfo>> list(std::string_view path);
    ErrorOr<FatFile> open(std::string_view path);
    ErrorOr<size_t> read(std::string_view path, uint64_t offset, std::span<uint8_t> out);

    // Creates the file or replaces its contents. The new data goes to new
    // clusters before the old ones are freed, so replacing a file needs
    // free space for both copies for a moment.
    ErrorOr<void> write_file(std::string_view path, std::span<const uint8_t> data);
    // Appends to the file, creating it if needed.
    ErrorOr<void> append(std::string_view path, std::span<const uint8_t> data);
    // Shrinks, or grows with zeros.
    ErrorOr<void> truncate(std::string_view path, uint32_t size);
    // A file, or an empty directory.
    ErrorOr<void> remove(std::string_view path);
    ErrorOr<void> mkdir(std::string_view path);
    // Within a directory or across directories; the target must not exist.
    ErrorOr<void> rename(std::string_view from, std::string_view to);
    ErrorOr<FatStatfs> statfs();
    ErrorOr<void> flush();

private:
    // The directory holding a path's last component, and that component.
    struct Location {
        FatDirectory parent;
        std::optional<FatDirectory::Item> item;
        std::string leaf;
        std::string path;
        std::vector<uint32_t> ancestors; // clusters of parent and above
        bool is_root { false };
    };

    Fat16Volume(BlockDevice& device, const FatGeometry& geometry)
        : m_device(&device)
        , m_geometry(geometry)
        , m_table(device, geometry)
    {
    }

    ErrorOr<Location> locate(std::string_view path);
    ErrorOr<Location> locate_existing(std::string_view path);
    ErrorOr<FatDirectory> open_directory(const FatDirectory::Item&, const char* path);
    ErrorOr<ClusterChain> file_chain(const FatDirectory::Item&, const char* path);
    FatEntryInfo info_of(const FatDirectory::Item&) const;
    fat::DirectoryEntry new_entry(uint8_t attributes, uint32_t cluster, uint32_t size) const;
    ErrorOr<std::vector<ClusterExtent>> allocate_for(uint64_t bytes, uint32_t previous);
    ErrorOr<void> extend(Location&, const uint8_t* data, uint64_t length);
    ErrorOr<void> shrink(Location&, uint32_t size);
    ErrorOr<void> move_entry(Location& from, Location& to);
    ErrorOr<void> commit(FatDirectory&);
    void forget_cache() { m_cached_path.clear(); }

    BlockDevice* m_device;
    FatGeometry m_geometry;
    FatTable m_table;
    uint16_t m_date { (46 << 9) | (1 << 5) | 1 }; // 2026-01-01
    uint16_t m_time { 0 };
    std::string m_cached_path;
    FatFile m_cached_file;
};

} // namespace fluid
