// On-memory layout of the Multiboot2 boot information structure, as GRUB
// 2.06 writes it (Multiboot2 spec 2.0 §3.6 "Boot information format").
//
// Where the spec text and GRUB's include/multiboot2.h disagree we follow
// GRUB, because GRUB is the loader we boot with:
//   * the framebuffer tag's "reserved" field is 16 bits, so the colour
//     information starts at offset 32, not 31;
//   * the ELF-symbols tag stores num/entsize/shndx as 32-bit fields.
// Every struct is only ever read through memcpy from a bounds-checked
// offset (BootInfo.cpp), never by casting an unchecked pointer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::multiboot2 {

// §3.6.1: tags start on 8-byte boundaries after an 8-byte fixed header.
constexpr size_t tag_alignment = 8;

enum class TagType : uint32_t {
    End = 0,
    CommandLine = 1,
    BootLoaderName = 2,
    Module = 3,
    BasicMemoryInfo = 4,
    BiosBootDevice = 5,
    MemoryMap = 6,
    VbeInfo = 7,
    Framebuffer = 8,
    ElfSections = 9,
    ApmTable = 10,
    Efi32SystemTable = 11,
    Efi64SystemTable = 12,
    Smbios = 13,
    AcpiOldRsdp = 14,
    AcpiNewRsdp = 15,
    Network = 16,
    EfiMemoryMap = 17,
    EfiBootServicesNotTerminated = 18,
    Efi32ImageHandle = 19,
    Efi64ImageHandle = 20,
    LoadBaseAddress = 21,
};

// §3.6.1 "Basic tags structure": the fixed part at the start of the info.
struct [[gnu::packed]] InfoHeader {
    uint32_t total_size;
    uint32_t reserved;
};
static_assert(sizeof(InfoHeader) == 8);

struct [[gnu::packed]] TagHeader {
    uint32_t type;
    uint32_t size; // includes this header, excludes the padding to 8 bytes
};
static_assert(sizeof(TagHeader) == 8);

// §3.6 "Basic memory information": KiB below 1 MiB and above 1 MiB.
struct [[gnu::packed]] BasicMemoryInfoTag {
    TagHeader header;
    uint32_t mem_lower;
    uint32_t mem_upper;
};
static_assert(sizeof(BasicMemoryInfoTag) == 16);

// §3.6 "Modules": a NUL-terminated string follows the fixed part.
struct [[gnu::packed]] ModuleTag {
    TagHeader header;
    uint32_t mod_start;
    uint32_t mod_end;
};
static_assert(sizeof(ModuleTag) == 16);

// §3.6 "Memory map": entry_size is a multiple of 8 and at least 24; newer
// loaders may append fields, so entries are stepped by entry_size.
struct [[gnu::packed]] MemoryMapTag {
    TagHeader header;
    uint32_t entry_size;
    uint32_t entry_version;
};
static_assert(sizeof(MemoryMapTag) == 16);

struct [[gnu::packed]] MemoryMapEntry {
    uint64_t base_addr;
    uint64_t length;
    uint32_t type;
    uint32_t reserved;
};
static_assert(sizeof(MemoryMapEntry) == 24);
static_assert(offsetof(MemoryMapEntry, type) == 16);

// §3.6 "Framebuffer info" (GRUB layout: 16-bit reserved, see above).
struct [[gnu::packed]] FramebufferTag {
    TagHeader header;
    uint64_t framebuffer_addr;
    uint32_t framebuffer_pitch;
    uint32_t framebuffer_width;
    uint32_t framebuffer_height;
    uint8_t framebuffer_bpp;
    uint8_t framebuffer_type;
    uint16_t reserved;
};
static_assert(sizeof(FramebufferTag) == 32);
static_assert(offsetof(FramebufferTag, framebuffer_bpp) == 28);

constexpr uint8_t framebuffer_type_indexed = 0;
constexpr uint8_t framebuffer_type_rgb = 1;
constexpr uint8_t framebuffer_type_ega_text = 2;

// Follows FramebufferTag when framebuffer_type == RGB.
struct [[gnu::packed]] FramebufferRgbInfo {
    uint8_t red_field_position;
    uint8_t red_mask_size;
    uint8_t green_field_position;
    uint8_t green_mask_size;
    uint8_t blue_field_position;
    uint8_t blue_mask_size;
};
static_assert(sizeof(FramebufferRgbInfo) == 6);

// §3.6 "ELF-Symbols": a copy of the kernel's section header table. GRUB
// loads the SHF_ALLOC-less sections too and stores their load address in
// sh_addr.
struct [[gnu::packed]] ElfSectionsTag {
    TagHeader header;
    uint32_t num;
    uint32_t entsize;
    uint32_t shndx;
};
static_assert(sizeof(ElfSectionsTag) == 20);

// ELF-64 section header (System V gABI, "Sections").
struct [[gnu::packed]] Elf64SectionHeader {
    uint32_t sh_name;
    uint32_t sh_type;
    uint64_t sh_flags;
    uint64_t sh_addr;
    uint64_t sh_offset;
    uint64_t sh_size;
    uint32_t sh_link;
    uint32_t sh_info;
    uint64_t sh_addralign;
    uint64_t sh_entsize;
};
static_assert(sizeof(Elf64SectionHeader) == 64);
static_assert(offsetof(Elf64SectionHeader, sh_addr) == 16);
static_assert(offsetof(Elf64SectionHeader, sh_link) == 40);

constexpr uint32_t elf_sht_symtab = 2;
constexpr uint32_t elf_sht_strtab = 3;

// §3.6 "EFI 64-bit system table pointer".
struct [[gnu::packed]] Efi64SystemTableTag {
    TagHeader header;
    uint64_t pointer;
};
static_assert(sizeof(Efi64SystemTableTag) == 16);

// §3.6 "Image load base physical address".
struct [[gnu::packed]] LoadBaseAddressTag {
    TagHeader header;
    uint32_t load_base_addr;
};
static_assert(sizeof(LoadBaseAddressTag) == 12);

} // namespace fluid::multiboot2
