// Multiboot2 boot information parser (Multiboot2 §3.6).
//
// The info structure comes from the boot loader and is treated as
// untrusted: every size and offset is checked against the tag that holds
// it and the tag against total_size before a byte is read, and all reads
// go through memcpy so misaligned fields are harmless.
#include "kernel/boot/BootInfo.h"

#include "kernel/boot/Multiboot2.h"

#include <cinttypes>
#include <cstring>
#include <new>

namespace fluid {

namespace {

using namespace multiboot2;

// One tag, already checked to lie inside the info structure.
struct Tag {
    uint32_t type;
    uint32_t size;
    const uint8_t* bytes; // starts at the tag header
    size_t offset;        // from the start of the info structure
};

template<typename T>
T read_struct(const Tag& tag)
{
    T value;
    memcpy(&value, tag.bytes, sizeof(T));
    return value;
}

ErrorOr<void> require_size(const Tag& tag, size_t minimum, const char* what)
{
    if (tag.size < minimum) {
        return Error::format(ErrorCode::Invalid,
                             "Multiboot2: %s tag at offset %zu is %u bytes, needs at least %zu",
                             what, tag.offset, tag.size, minimum);
    }
    return {};
}

// Copies the NUL-terminated string at `offset` inside `tag` into `dest`,
// truncating to fit. The terminator must lie inside the tag (§3.6 says
// strings are zero-terminated; we refuse to read past the tag to find it).
ErrorOr<void> copy_string(const Tag& tag, size_t offset, char* dest, size_t capacity,
                          const char* what)
{
    TRY(require_size(tag, offset + 1, what));
    const uint8_t* start = tag.bytes + offset;
    size_t available = tag.size - offset;
    const void* nul = memchr(start, 0, available);
    if (!nul) {
        return Error::format(ErrorCode::Invalid,
                             "Multiboot2: %s string at offset %zu is not NUL-terminated within its tag",
                             what, tag.offset);
    }
    size_t length = static_cast<size_t>(static_cast<const uint8_t*>(nul) - start);
    size_t copied = length < capacity - 1 ? length : capacity - 1;
    memcpy(dest, start, copied);
    dest[copied] = '\0';
    return {};
}

MemoryType memory_type_from_multiboot(uint32_t type)
{
    // §3.6 "Memory map": 1 available, 3 ACPI, 4 preserve on hibernation,
    // 5 defective; "all other values currently indicated a reserved area".
    if (type >= 1 && type <= 5)
        return static_cast<MemoryType>(type);
    return MemoryType::Reserved;
}

ErrorOr<void> add_region(BootInfo& out, uint64_t base, uint64_t length, MemoryType type)
{
    if (length == 0)
        return {};
    // A range that wraps past 2^64 is clamped rather than rejected: its
    // start is still meaningful, and the allocator never reaches the top.
    if (base + length < base)
        length = UINT64_MAX - base;
    if (out.region_count > 0) {
        MemoryRegion& last = out.regions[out.region_count - 1];
        if (last.type == type && last.base + last.length == base) {
            last.length += length;
            return {};
        }
    }
    if (out.region_count < BootInfo::max_regions) {
        out.regions[out.region_count++] = { base, length, type };
        return {};
    }
    out.regions_dropped++;
    if (type == MemoryType::Usable)
        return {};
    // Keeping a hole matters more than keeping RAM: evict the smallest
    // Usable entry, losing as little memory as possible.
    MemoryRegion* victim = nullptr;
    for (size_t i = 0; i < out.region_count; i++) {
        MemoryRegion& region = out.regions[i];
        if (region.type == MemoryType::Usable && (!victim || region.length < victim->length))
            victim = &region;
    }
    if (victim) {
        *victim = { base, length, type };
        return {};
    }
    return Error::format(ErrorCode::Unsupported,
                         "Multiboot2: memory map has more than %zu non-usable regions",
                         BootInfo::max_regions);
}

ErrorOr<void> parse_memory_map(const Tag& tag, BootInfo& out)
{
    TRY(require_size(tag, sizeof(MemoryMapTag), "memory map"));
    auto header = read_struct<MemoryMapTag>(tag);
    if (header.entry_size < sizeof(MemoryMapEntry) || header.entry_size % 8 != 0) {
        return Error::format(ErrorCode::Invalid,
                             "Multiboot2: memory map entry_size %u (must be a multiple of 8, >= %zu)",
                             header.entry_size, sizeof(MemoryMapEntry));
    }
    size_t entries_bytes = tag.size - sizeof(MemoryMapTag);
    if (entries_bytes % header.entry_size != 0) {
        return Error::format(ErrorCode::Invalid,
                             "Multiboot2: memory map holds %zu bytes, not a multiple of entry_size %u",
                             entries_bytes, header.entry_size);
    }
    for (size_t at = sizeof(MemoryMapTag); at < tag.size; at += header.entry_size) {
        MemoryMapEntry entry;
        memcpy(&entry, tag.bytes + at, sizeof(entry));
        TRY(add_region(out, entry.base_addr, entry.length, memory_type_from_multiboot(entry.type)));
    }
    return {};
}

ErrorOr<void> parse_module(const Tag& tag, BootInfo& out)
{
    TRY(require_size(tag, sizeof(ModuleTag), "module"));
    auto header = read_struct<ModuleTag>(tag);
    if (header.mod_end < header.mod_start) {
        return Error::format(ErrorCode::Invalid, "Multiboot2: module at offset %zu ends (%#x) before it starts (%#x)",
                             tag.offset, header.mod_end, header.mod_start);
    }
    if (out.module_count == BootInfo::max_modules) {
        out.modules_dropped++;
        return {};
    }
    BootModule& module = out.modules[out.module_count];
    module.start = header.mod_start;
    module.end = header.mod_end;
    TRY(copy_string(tag, sizeof(ModuleTag), module.cmdline, sizeof(module.cmdline), "module"));
    out.module_count++;
    return {};
}

ErrorOr<void> parse_framebuffer(const Tag& tag, BootInfo& out)
{
    TRY(require_size(tag, sizeof(FramebufferTag), "framebuffer"));
    auto header = read_struct<FramebufferTag>(tag);
    FramebufferInfo& fb = out.framebuffer;
    fb.address = header.framebuffer_addr;
    fb.pitch = header.framebuffer_pitch;
    fb.width = header.framebuffer_width;
    fb.height = header.framebuffer_height;
    fb.bpp = header.framebuffer_bpp;
    fb.type = header.framebuffer_type;
    if (fb.type == framebuffer_type_rgb) {
        TRY(require_size(tag, sizeof(FramebufferTag) + sizeof(FramebufferRgbInfo), "RGB framebuffer"));
        FramebufferRgbInfo rgb;
        memcpy(&rgb, tag.bytes + sizeof(FramebufferTag), sizeof(rgb));
        fb.red_position = rgb.red_field_position;
        fb.red_size = rgb.red_mask_size;
        fb.green_position = rgb.green_field_position;
        fb.green_size = rgb.green_mask_size;
        fb.blue_position = rgb.blue_field_position;
        fb.blue_size = rgb.blue_mask_size;
    }
    fb.present = true;
    return {};
}

Elf64SectionHeader read_section(const Tag& tag, const ElfSectionsTag& header, uint32_t index)
{
    Elf64SectionHeader section;
    memcpy(&section, tag.bytes + sizeof(ElfSectionsTag) + size_t(index) * header.entsize, sizeof(section));
    return section;
}

ErrorOr<void> parse_elf_sections(const Tag& tag, BootInfo& out)
{
    TRY(require_size(tag, sizeof(ElfSectionsTag), "ELF-symbols"));
    auto header = read_struct<ElfSectionsTag>(tag);
    if (header.num == 0)
        return {};
    if (header.entsize < sizeof(Elf64SectionHeader)) {
        return Error::format(ErrorCode::Unsupported,
                             "Multiboot2: ELF-symbols entsize %u; only ELF-64 section headers (%zu bytes) are supported",
                             header.entsize, sizeof(Elf64SectionHeader));
    }
    uint64_t table_bytes = uint64_t(header.num) * header.entsize;
    if (table_bytes > tag.size - sizeof(ElfSectionsTag)) {
        return Error::format(ErrorCode::Invalid,
                             "Multiboot2: ELF-symbols tag holds %u headers of %u bytes but is only %u bytes",
                             header.num, header.entsize, tag.size);
    }
    for (uint32_t i = 0; i < header.num; i++) {
        auto symtab = read_section(tag, header, i);
        if (symtab.sh_type != elf_sht_symtab)
            continue;
        if (symtab.sh_link >= header.num) {
            return Error::format(ErrorCode::Invalid, "Multiboot2: .symtab links to section %u of %u",
                                 symtab.sh_link, header.num);
        }
        auto strtab = read_section(tag, header, symtab.sh_link);
        // A zero sh_addr means the loader did not place the section in memory.
        if (symtab.sh_addr == 0 || strtab.sh_addr == 0)
            return {};
        out.elf_symbols = { true, symtab.sh_addr, symtab.sh_size, strtab.sh_addr, strtab.sh_size };
        return {};
    }
    return {};
}

ErrorOr<void> parse_rsdp(const Tag& tag, BootInfo& out, bool is_new, bool& saw_new)
{
    // ACPI 6.5 §5.2.5.3: the 1.0 RSDP is 20 bytes, the 2.0+ one 36.
    size_t rsdp_size = is_new ? 36 : 20;
    TRY(require_size(tag, sizeof(TagHeader) + rsdp_size, is_new ? "new ACPI RSDP" : "old ACPI RSDP"));
    if (!is_new && saw_new)
        return {};
    saw_new = saw_new || is_new;
    out.rsdp_address = reinterpret_cast<uintptr_t>(tag.bytes + sizeof(TagHeader));
    out.rsdp_length = tag.size - uint32_t(sizeof(TagHeader));
    return {};
}

struct ParseState {
    bool saw_new_rsdp = false;
};

ErrorOr<void> parse_tag(const Tag& tag, BootInfo& out, ParseState& state)
{
    switch (static_cast<TagType>(tag.type)) {
    case TagType::CommandLine:
        return copy_string(tag, sizeof(TagHeader), out.command_line, sizeof(out.command_line), "command line");
    case TagType::BootLoaderName:
        return copy_string(tag, sizeof(TagHeader), out.bootloader_name, sizeof(out.bootloader_name),
                           "boot loader name");
    case TagType::Module:
        return parse_module(tag, out);
    case TagType::BasicMemoryInfo: {
        TRY(require_size(tag, sizeof(BasicMemoryInfoTag), "basic memory info"));
        auto info = read_struct<BasicMemoryInfoTag>(tag);
        out.basic_mem_lower_kib = info.mem_lower;
        out.basic_mem_upper_kib = info.mem_upper;
        return {};
    }
    case TagType::MemoryMap:
        return parse_memory_map(tag, out);
    case TagType::Framebuffer:
        return parse_framebuffer(tag, out);
    case TagType::ElfSections:
        return parse_elf_sections(tag, out);
    case TagType::Efi64SystemTable:
        TRY(require_size(tag, sizeof(Efi64SystemTableTag), "EFI64 system table"));
        out.efi64_system_table = read_struct<Efi64SystemTableTag>(tag).pointer;
        return {};
    case TagType::AcpiOldRsdp:
        return parse_rsdp(tag, out, false, state.saw_new_rsdp);
    case TagType::AcpiNewRsdp:
        return parse_rsdp(tag, out, true, state.saw_new_rsdp);
    case TagType::EfiBootServicesNotTerminated:
        out.efi_boot_services_not_terminated = true;
        return {};
    case TagType::LoadBaseAddress:
        TRY(require_size(tag, sizeof(LoadBaseAddressTag), "load base address"));
        out.load_base_address = read_struct<LoadBaseAddressTag>(tag).load_base_addr;
        return {};
    default:
        // §3.6.1: a loader may add tags we do not know; their size lets us skip them.
        return {};
    }
}

} // namespace

ErrorOr<void> parse_multiboot2(const void* info, size_t max_size, BootInfo& out)
{
    // Placement-new instead of assigning a temporary: BootInfo is ~12 KiB
    // and this runs on the small boot stack.
    new (&out) BootInfo;
    if (!info)
        return Error::from(ErrorCode::Invalid, "Multiboot2: boot information pointer is null");
    auto address = reinterpret_cast<uintptr_t>(info);
    if (address % tag_alignment != 0)
        return Error::format(ErrorCode::Invalid, "Multiboot2: boot information at %#" PRIxPTR " is not 8-byte aligned", address);
    if (max_size < sizeof(InfoHeader))
        return Error::format(ErrorCode::Invalid, "Multiboot2: only %zu bytes available for the boot information", max_size);

    auto bytes = static_cast<const uint8_t*>(info);
    InfoHeader header;
    memcpy(&header, bytes, sizeof(header));
    // The smallest valid structure is the fixed header plus an end tag.
    if (header.total_size < sizeof(InfoHeader) + sizeof(TagHeader))
        return Error::format(ErrorCode::Invalid, "Multiboot2: total_size %u is too small", header.total_size);
    if (header.total_size > max_size)
        return Error::format(ErrorCode::Invalid, "Multiboot2: total_size %u exceeds the %zu bytes available",
                             header.total_size, max_size);
    out.info_address = address;
    out.info_size = header.total_size;

    ParseState state;
    size_t offset = sizeof(InfoHeader);
    while (offset + sizeof(TagHeader) <= header.total_size) {
        TagHeader tag_header;
        memcpy(&tag_header, bytes + offset, sizeof(tag_header));
        if (tag_header.size < sizeof(TagHeader))
            return Error::format(ErrorCode::Invalid, "Multiboot2: tag type %u at offset %zu has size %u (< 8)",
                                 tag_header.type, offset, tag_header.size);
        if (tag_header.size > header.total_size - offset)
            return Error::format(ErrorCode::Invalid,
                                 "Multiboot2: tag type %u at offset %zu has size %u, past total_size %u",
                                 tag_header.type, offset, tag_header.size, header.total_size);
        if (tag_header.type == static_cast<uint32_t>(TagType::End))
            return {};
        TRY(parse_tag(Tag { tag_header.type, tag_header.size, bytes + offset, offset }, out, state));
        offset += (size_t(tag_header.size) + tag_alignment - 1) & ~(tag_alignment - 1);
    }
    return Error::format(ErrorCode::Invalid, "Multiboot2: no end tag within total_size %u", header.total_size);
}

} // namespace fluid
