// One directory of a FAT16 volume, loaded whole into memory: the fixed
// root region or a subdirectory's cluster chain ([FAT] "FAT Directory
// Structure"). Edits change the copy and mark bytes dirty; store() writes
// the dirty sectors back. A directory is at most 2 MiB, so this is cheap.
#pragma once

#include "kernel/fs/ClusterChain.h"
#include "kernel/fs/FatLayout.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fluid {

class FatDirectory {
public:
    struct Item {
        size_t first_slot { 0 }; // first long-name entry, or `slot`
        size_t slot { 0 };       // the 8.3 entry
        fat::DirectoryEntry entry {};
        std::string name;       // long name if valid, else the 8.3 name
        std::string short_name; // "ONCEUP~1.GGU"

        bool is_directory() const { return entry.attributes & fat::attr_directory; }
        uint32_t first_cluster() const { return entry.first_cluster_low; }
    };

    static ErrorOr<FatDirectory> open_root(BlockDevice&, const FatGeometry&);
    static ErrorOr<FatDirectory> open(BlockDevice&, const FatGeometry&, FatTable&, uint32_t first_cluster,
                                      const char* path);

    bool is_root() const { return m_first_cluster == 0; }
    // 0 for the root, as in a ".." entry ([FAT] "FAT Directory Structure").
    uint32_t first_cluster() const { return m_first_cluster; }

    // Live entries, without ".", "..", the volume label and orphaned
    // long-name entries.
    std::vector<Item> items() const;
    std::optional<Item> find(std::string_view name) const;
    // The 8.3 entry named "..", if this is a subdirectory.
    std::optional<Item> dot_dot() const;

    // Adds `name` with long-name entries and an alias when it needs them.
    // `entry` supplies everything but the 8.3 name and case bits.
    ErrorOr<Item> add(std::string_view name, const fat::DirectoryEntry& entry, FatTable&);
    void update(const Item&);
    void remove(const Item&);
    ErrorOr<void> store();

private:
    FatDirectory(const FatGeometry& geometry, ClusterChain chain, uint32_t first_cluster)
        : m_geometry(geometry)
        , m_chain(std::move(chain))
        , m_first_cluster(first_cluster)
    {
    }

    ErrorOr<void> load();
    size_t slot_count() const { return m_bytes.size() / fat::entry_size; }
    uint8_t* slot_bytes(size_t slot) { return m_bytes.data() + slot * fat::entry_size; }
    const uint8_t* slot_bytes(size_t slot) const { return m_bytes.data() + slot * fat::entry_size; }
    void put(size_t slot, const void* entry);
    bool short_name_taken(const uint8_t (&name)[11]) const;
    ErrorOr<void> choose_short_name(std::string_view name, fat::DirectoryEntry& entry, bool& needs_long) const;
    ErrorOr<size_t> reserve(size_t slots, FatTable&);
    ErrorOr<void> grow(FatTable&);

    FatGeometry m_geometry;
    ClusterChain m_chain;
    uint32_t m_first_cluster;
    std::vector<uint8_t> m_bytes;
    size_t m_dirty_begin { SIZE_MAX };
    size_t m_dirty_end { 0 };
};

} // namespace fluid
