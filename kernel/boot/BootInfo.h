// What the kernel learns from the boot loader, copied out of the Multiboot2
// boot information structure (Multiboot2 §3.6) into fixed-size fields so
// nothing later depends on the loader's memory staying intact (except the
// RSDP copy, whose address points back into the info structure).
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "kernel/mm/MemoryRegion.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace fluid {

struct BootModule {
    uint64_t start;
    uint64_t end; // one past the last byte
    char cmdline[128];

    // The first word of the command line: the file name tools/mkimage.sh
    // gives each module2 line in grub.cfg ("fib.bc", "default.gguf",
    // "ALLOWED").
    std::string_view name() const
    {
        std::string_view line(cmdline, strnlen(cmdline, sizeof(cmdline)));
        return line.substr(0, line.find(' '));
    }
};

struct FramebufferInfo {
    bool present = false;
    uint64_t address = 0;
    uint32_t pitch = 0, width = 0, height = 0;
    uint8_t bpp = 0;
    uint8_t type = 0; // 0 indexed, 1 RGB, 2 EGA text
    uint8_t red_position = 0, red_size = 0;
    uint8_t green_position = 0, green_size = 0;
    uint8_t blue_position = 0, blue_size = 0;
};

// From the ELF-symbols tag: the kernel's .symtab and its linked string
// table, at the physical addresses GRUB loaded them to (sh_addr).
struct ElfSymbols {
    bool present = false;
    uint64_t symtab_address = 0, symtab_size = 0;
    uint64_t strtab_address = 0, strtab_size = 0;
};

struct BootInfo {
    static constexpr size_t max_regions = 128, max_modules = 64;

    // The memory map. Adjacent entries of one type are merged. If the
    // table still overflows, Usable entries are dropped first, smallest first (forgetting
    // RAM is safe; forgetting a reserved hole is not) and counted in
    // regions_dropped; a map with more than max_regions non-usable entries
    // is rejected.
    MemoryRegion regions[max_regions];
    size_t region_count = 0;
    size_t regions_dropped = 0;

    // Modules past max_modules are ignored and counted.
    BootModule modules[max_modules];
    size_t module_count = 0;
    size_t modules_dropped = 0;

    // Strings longer than the buffer are truncated, always NUL-terminated.
    char command_line[256] = {};
    char bootloader_name[64] = {};

    FramebufferInfo framebuffer;
    ElfSymbols elf_symbols;

    // Address of the RSDP copy inside the info structure; tag 15 (ACPI 2.0+
    // RSDP) wins over tag 14 (ACPI 1.0 RSDP) when both are present.
    uint64_t rsdp_address = 0;
    uint32_t rsdp_length = 0;

    uint64_t efi64_system_table = 0;
    bool efi_boot_services_not_terminated = false;
    uint64_t load_base_address = 0;

    // The info structure itself, so the allocator can keep it reserved.
    uint64_t info_address = 0;
    uint32_t info_size = 0;

    uint64_t basic_mem_lower_kib = 0, basic_mem_upper_kib = 0;
};

// Parses the boot information at `info` (whose numeric value is taken as
// its physical address). At most max_size bytes are ever read. `out` is
// reset first; on error its contents are unspecified.
ErrorOr<void> parse_multiboot2(const void* info, size_t max_size, BootInfo& out);

} // namespace fluid
