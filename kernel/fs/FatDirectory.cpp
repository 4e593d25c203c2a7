#include "kernel/fs/FatDirectory.h"

#include "kernel/fs/FatName.h"

#include <cstring>

namespace fluid {

ErrorOr<FatDirectory> FatDirectory::open_root(BlockDevice& device, const FatGeometry& geometry)
{
    auto chain = ClusterChain::fixed_region(device, geometry.root_first_sector(), geometry.root_sectors());
    FatDirectory directory(geometry, std::move(chain), 0);
    TRY(directory.load());
    return directory;
}

ErrorOr<FatDirectory> FatDirectory::open(BlockDevice& device, const FatGeometry& geometry, FatTable& table,
                                         uint32_t first_cluster, const char* path)
{
    auto extents = TRY(table.chain(first_cluster, path));
    FatDirectory directory(geometry, ClusterChain(device, geometry, std::move(extents)), first_cluster);
    if (directory.m_chain.capacity() > fat::max_directory_bytes)
        return Error::format(ErrorCode::Invalid, "FAT: directory %s is %llu bytes (more than 65536 entries)", path,
                             (unsigned long long)directory.m_chain.capacity());
    TRY(directory.load());
    return directory;
}

ErrorOr<void> FatDirectory::load()
{
    m_bytes.resize(m_chain.capacity());
    return m_chain.read(0, m_bytes);
}

void FatDirectory::put(size_t slot, const void* entry)
{
    memcpy(slot_bytes(slot), entry, fat::entry_size);
    size_t begin = slot * fat::entry_size;
    if (begin < m_dirty_begin)
        m_dirty_begin = begin;
    if (begin + fat::entry_size > m_dirty_end)
        m_dirty_end = begin + fat::entry_size;
}

std::vector<FatDirectory::Item> FatDirectory::items() const
{
    std::vector<Item> out;
    // Long-name state: the entries seen so far must count down to 1 with
    // one checksum, or they are orphans and ignored ([FAT] "FAT Long
    // Directory Entries").
    uint16_t units[20 * fat::long_name_chars_per_entry];
    size_t lfn_first = 0;
    int expected = 0, total = 0;
    uint8_t lfn_sum = 0;
    for (size_t slot = 0; slot < slot_count(); ++slot) {
        const uint8_t* raw = slot_bytes(slot);
        if (raw[0] == fat::entry_end)
            break;
        if (raw[0] == fat::entry_free) {
            expected = 0;
            continue;
        }
        if ((raw[11] & fat::attr_long_name_mask) == fat::attr_long_name) {
            fat::LongNameEntry lfn;
            memcpy(&lfn, raw, sizeof(lfn));
            int order = lfn.order & 0x3F;
            if (lfn.order & fat::last_long_entry) {
                if (order < 1 || order > 20) {
                    expected = 0;
                    continue;
                }
                total = expected = order;
                lfn_sum = lfn.checksum;
                lfn_first = slot;
            } else if (expected <= 1 || order != expected - 1 || lfn.checksum != lfn_sum) {
                expected = 0;
                continue;
            } else {
                expected = order;
            }
            uint16_t* at = units + (order - 1) * fat::long_name_chars_per_entry;
            memcpy(at, lfn.name1, sizeof(lfn.name1));
            memcpy(at + 5, lfn.name2, sizeof(lfn.name2));
            memcpy(at + 11, lfn.name3, sizeof(lfn.name3));
            continue;
        }
        Item item;
        memcpy(&item.entry, raw, sizeof(item.entry));
        bool has_long = expected == 1 && FatName::checksum(item.entry.name) == lfn_sum;
        expected = 0;
        if (item.entry.attributes & fat::attr_volume_id)
            continue;
        if (item.entry.name[0] == '.')
            continue; // "." and ".."
        item.slot = slot;
        item.first_slot = has_long ? lfn_first : slot;
        item.short_name = FatName::short_to_display(item.entry.name, item.entry.nt_reserved);
        if (has_long) {
            size_t length = 0;
            size_t limit = size_t(total) * fat::long_name_chars_per_entry;
            while (length < limit && units[length] != 0)
                ++length;
            item.name = FatName::from_ucs2(units, length);
        }
        if (item.name.empty())
            item.name = item.short_name;
        out.push_back(std::move(item));
    }
    return out;
}

std::optional<FatDirectory::Item> FatDirectory::find(std::string_view name) const
{
    for (auto& item : items()) {
        if (FatName::equals_ignoring_case(item.name, name) || FatName::equals_ignoring_case(item.short_name, name))
            return item;
    }
    return std::nullopt;
}

std::optional<FatDirectory::Item> FatDirectory::dot_dot() const
{
    static const uint8_t name[11] = { '.', '.', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ' };
    for (size_t slot = 0; slot < slot_count() && slot < 4; ++slot) {
        if (memcmp(slot_bytes(slot), name, 11) == 0) {
            Item item;
            item.slot = item.first_slot = slot;
            memcpy(&item.entry, slot_bytes(slot), sizeof(item.entry));
            item.name = item.short_name = "..";
            return item;
        }
    }
    return std::nullopt;
}

bool FatDirectory::short_name_taken(const uint8_t (&name)[11]) const
{
    for (size_t slot = 0; slot < slot_count(); ++slot) {
        const uint8_t* raw = slot_bytes(slot);
        if (raw[0] == fat::entry_end)
            break;
        if (raw[0] != fat::entry_free && (raw[11] & fat::attr_long_name_mask) != fat::attr_long_name
            && memcmp(raw, name, 11) == 0)
            return true;
    }
    return false;
}

ErrorOr<void> FatDirectory::choose_short_name(std::string_view name, fat::DirectoryEntry& entry,
                                              bool& needs_long) const
{
    uint8_t flags = 0;
    if (FatName::fits_short(name, entry.name, flags) && !short_name_taken(entry.name)) {
        entry.nt_reserved = flags;
        needs_long = false;
        return {};
    }
    needs_long = true;
    entry.nt_reserved = 0;
    uint8_t basis[11];
    bool needs_tail = false;
    FatName::basis_name(name, basis, needs_tail);
    if (!needs_tail && !short_name_taken(basis)) {
        memcpy(entry.name, basis, 11);
        return {};
    }
    // [FAT] "The Numeric-Tail Generation Algorithm" goes up to ~999999.
    for (uint32_t n = 1; n <= 999999; ++n) {
        FatName::with_tail(basis, n, entry.name);
        if (!short_name_taken(entry.name))
            return {};
    }
    return Error::format(ErrorCode::Exists, "FAT: no free 8.3 alias for \"%.*s\"", int(name.size()), name.data());
}

ErrorOr<FatDirectory::Item> FatDirectory::add(std::string_view name, const fat::DirectoryEntry& entry,
                                              FatTable& table)
{
    TRY(FatName::validate_long_name(name));
    if (find(name))
        return Error::format(ErrorCode::Exists, "FAT: \"%.*s\" already exists", int(name.size()), name.data());
    Item item;
    item.entry = entry;
    bool needs_long = false;
    TRY(choose_short_name(name, item.entry, needs_long));
    auto units = TRY(FatName::to_ucs2(name));
    size_t long_slots = needs_long ? (units.size() + 12) / 13 : 0;
    size_t first = TRY(reserve(long_slots + 1, table));
    uint8_t sum = FatName::checksum(item.entry.name);
    for (size_t i = 0; i < long_slots; ++i) {
        // Stored last piece first; the piece after the name's end holds one
        // 0x0000 terminator and then 0xFFFF padding.
        size_t order = long_slots - i;
        uint16_t piece[13];
        for (size_t k = 0; k < 13; ++k) {
            size_t at = (order - 1) * 13 + k;
            piece[k] = at < units.size() ? units[at] : at == units.size() ? 0x0000 : 0xFFFF;
        }
        fat::LongNameEntry lfn {};
        lfn.order = uint8_t(order | (i == 0 ? fat::last_long_entry : 0));
        memcpy(lfn.name1, piece, sizeof(lfn.name1));
        lfn.attributes = fat::attr_long_name;
        lfn.checksum = sum;
        memcpy(lfn.name2, piece + 5, sizeof(lfn.name2));
        memcpy(lfn.name3, piece + 11, sizeof(lfn.name3));
        put(first + i, &lfn);
    }
    item.first_slot = first;
    item.slot = first + long_slots;
    put(item.slot, &item.entry);
    item.short_name = FatName::short_to_display(item.entry.name, item.entry.nt_reserved);
    item.name = needs_long ? std::string(name) : item.short_name;
    return item;
}

ErrorOr<size_t> FatDirectory::reserve(size_t slots, FatTable& table)
{
    for (;;) {
        size_t run = 0;
        for (size_t slot = 0; slot < slot_count(); ++slot) {
            uint8_t first_byte = slot_bytes(slot)[0];
            if (first_byte == fat::entry_end) {
                // Everything after the end marker is free; keep a marker
                // after the run so stale bytes beyond it stay dead.
                size_t start = slot - run;
                if (slot_count() - start >= slots) {
                    size_t after = start + slots;
                    if (after < slot_count() && slot_bytes(after)[0] != fat::entry_end) {
                        uint8_t zero[fat::entry_size] = {};
                        put(after, zero);
                    }
                    return start;
                }
                break;
            }
            run = first_byte == fat::entry_free ? run + 1 : 0;
            if (run == slots)
                return slot + 1 - slots;
        }
        TRY(grow(table));
    }
}

ErrorOr<void> FatDirectory::grow(FatTable& table)
{
    if (is_root())
        return Error::format(ErrorCode::NoMemory, "FAT: root directory is full (%u entries)",
                             m_geometry.root_entry_count());
    if (m_bytes.size() + m_geometry.cluster_bytes() > fat::max_directory_bytes)
        return Error::from(ErrorCode::NoMemory, "FAT: directory is full (65536 entries)");
    auto extents = TRY(table.allocate(1, m_chain.last_cluster()));
    size_t old_size = m_bytes.size();
    m_chain.append(extents[0].first, 1);
    // New directory clusters must read as all-free ([FAT] "FAT Directory
    // Structure": zero the cluster so the first byte is an end marker).
    m_bytes.resize(old_size + m_geometry.cluster_bytes(), 0);
    if (old_size < m_dirty_begin)
        m_dirty_begin = old_size;
    m_dirty_end = m_bytes.size();
    return {};
}

void FatDirectory::update(const Item& item)
{
    put(item.slot, &item.entry);
}

void FatDirectory::remove(const Item& item)
{
    for (size_t slot = item.first_slot; slot <= item.slot; ++slot) {
        uint8_t raw[fat::entry_size];
        memcpy(raw, slot_bytes(slot), sizeof(raw));
        raw[0] = fat::entry_free;
        put(slot, raw);
    }
}

ErrorOr<void> FatDirectory::store()
{
    if (m_dirty_begin >= m_dirty_end)
        return {};
    size_t begin = m_dirty_begin / BlockDevice::sector_size * BlockDevice::sector_size;
    size_t end = (m_dirty_end + BlockDevice::sector_size - 1) / BlockDevice::sector_size * BlockDevice::sector_size;
    TRY(m_chain.write(begin, std::span<const uint8_t>(m_bytes.data() + begin, end - begin)));
    m_dirty_begin = SIZE_MAX;
    m_dirty_end = 0;
    return {};
}

} // namespace fluid
