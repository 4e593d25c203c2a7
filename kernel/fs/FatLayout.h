// On-disk structures of FAT16, from Microsoft "FAT: General Overview of
// On-Disk Format" v1.03 (cited below as [FAT] with the section). All
// fields are little-endian, as is every machine we build for.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::fat {

// [FAT] "Boot Sector and BPB": the BPB common to all FAT types followed by
// the FAT12/FAT16 extension at offset 36.
struct [[gnu::packed]] BootSector {
    uint8_t jump[3];
    char oem_name[8];
    uint16_t bytes_per_sector;
    uint8_t sectors_per_cluster;
    uint16_t reserved_sectors;
    uint8_t fat_count;
    uint16_t root_entry_count;
    uint16_t total_sectors_16;
    uint8_t media;
    uint16_t fat_size_16;
    uint16_t sectors_per_track;
    uint16_t head_count;
    uint32_t hidden_sectors;
    uint32_t total_sectors_32;
    uint8_t drive_number;
    uint8_t reserved1;
    uint8_t boot_signature;
    uint32_t volume_id;
    char volume_label[11];
    char file_system_type[8];
    uint8_t boot_code[448];
    uint8_t signature[2];
};
static_assert(sizeof(BootSector) == 512);
static_assert(offsetof(BootSector, bytes_per_sector) == 11);
static_assert(offsetof(BootSector, root_entry_count) == 17);
static_assert(offsetof(BootSector, fat_size_16) == 22);
static_assert(offsetof(BootSector, total_sectors_32) == 32);
static_assert(offsetof(BootSector, volume_label) == 43);
static_assert(offsetof(BootSector, signature) == 510);

// [FAT] "FAT Directory Structure".
struct [[gnu::packed]] DirectoryEntry {
    uint8_t name[11];
    uint8_t attributes;
    uint8_t nt_reserved; // bits 3/4: base/extension stored upper, shown lower
    uint8_t create_time_tenths;
    uint16_t create_time;
    uint16_t create_date;
    uint16_t access_date;
    uint16_t first_cluster_high; // always 0 on FAT16
    uint16_t write_time;
    uint16_t write_date;
    uint16_t first_cluster_low;
    uint32_t file_size;
};
static_assert(sizeof(DirectoryEntry) == 32);
static_assert(offsetof(DirectoryEntry, attributes) == 11);
static_assert(offsetof(DirectoryEntry, first_cluster_high) == 20);
static_assert(offsetof(DirectoryEntry, write_time) == 22);
static_assert(offsetof(DirectoryEntry, first_cluster_low) == 26);
static_assert(offsetof(DirectoryEntry, file_size) == 28);

// [FAT] "FAT Long Directory Entries": 13 UCS-2 characters per entry.
struct [[gnu::packed]] LongNameEntry {
    uint8_t order; // 1-based; 0x40 marks the last (first stored) entry
    uint16_t name1[5];
    uint8_t attributes; // always attr_long_name
    uint8_t type;       // 0
    uint8_t checksum;   // of the 8.3 name that follows
    uint16_t name2[6];
    uint16_t first_cluster_low; // 0
    uint16_t name3[2];
};
static_assert(sizeof(LongNameEntry) == 32);
static_assert(offsetof(LongNameEntry, attributes) == 11);
static_assert(offsetof(LongNameEntry, checksum) == 13);
static_assert(offsetof(LongNameEntry, name2) == 14);
static_assert(offsetof(LongNameEntry, first_cluster_low) == 26);
static_assert(offsetof(LongNameEntry, name3) == 28);

constexpr size_t entry_size = 32;
constexpr size_t long_name_chars_per_entry = 13;
constexpr size_t max_long_name = 255;
constexpr uint8_t last_long_entry = 0x40;

constexpr uint8_t attr_read_only = 0x01;
constexpr uint8_t attr_hidden = 0x02;
constexpr uint8_t attr_system = 0x04;
constexpr uint8_t attr_volume_id = 0x08;
constexpr uint8_t attr_directory = 0x10;
constexpr uint8_t attr_archive = 0x20;
constexpr uint8_t attr_long_name = 0x0F;
constexpr uint8_t attr_long_name_mask = 0x3F;

constexpr uint8_t nt_lower_base = 0x08;
constexpr uint8_t nt_lower_extension = 0x10;

// [FAT] "FAT Directory Structure", DIR_Name[0].
constexpr uint8_t entry_free = 0xE5;
constexpr uint8_t entry_end = 0x00;
constexpr uint8_t entry_kanji_e5 = 0x05;

// [FAT] "FAT Data Structure": FAT16 entry values.
constexpr uint16_t cluster_free = 0x0000;
constexpr uint16_t cluster_bad = 0xFFF7;
constexpr uint16_t cluster_end_min = 0xFFF8;
constexpr uint16_t cluster_end = 0xFFFF;
constexpr uint32_t first_data_cluster = 2;

// [FAT] "FAT Type Determination": a count of clusters, not the label,
// decides the type.
constexpr uint32_t fat16_min_clusters = 4085;
constexpr uint32_t fat16_max_clusters = 65524;

// [FAT] "FAT Directory Structure": a directory holds at most 65536 entries.
constexpr size_t max_directory_bytes = 65536 * entry_size;

} // namespace fluid::fat
