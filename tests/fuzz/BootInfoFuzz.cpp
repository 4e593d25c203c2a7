// libFuzzer target for the Multiboot2 boot information parser
// (kernel/boot/BootInfo): the input is the info structure GRUB would hand
// the kernel. The parser must return an error or a BootInfo whose counts
// stay inside its fixed tables and whose strings are NUL-terminated; it may
// never read outside the input (ASan and UBSan watch).
#include "kernel/boot/BootInfo.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace fluid;

namespace {

void require(bool condition)
{
    if (!condition)
        abort();
}

bool terminated(const char* text, size_t capacity) { return memchr(text, 0, capacity) != nullptr; }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // GRUB aligns the structure to 8 bytes (Multiboot2 §3.6.1); a uint64_t
    // vector gives the same alignment and an exact-size heap block for ASan.
    std::vector<uint8_t> bytes(data, data + size);
    static BootInfo info;
    auto parsed = parse_multiboot2(bytes.data(), bytes.size(), info);
    if (parsed.is_error()) {
        require(parsed.error().message()[0] != '\0');
        return 0;
    }
    require(info.region_count <= BootInfo::max_regions);
    require(info.module_count <= BootInfo::max_modules);
    require(info.info_size <= size);
    require(terminated(info.command_line, sizeof(info.command_line)));
    require(terminated(info.bootloader_name, sizeof(info.bootloader_name)));
    for (size_t i = 0; i < info.module_count; ++i)
        require(terminated(info.modules[i].cmdline, sizeof(info.modules[i].cmdline)));
    if (info.rsdp_address != 0) {
        // The RSDP copy must lie inside the info structure.
        uint64_t start = reinterpret_cast<uintptr_t>(bytes.data());
        require(info.rsdp_address >= start && info.rsdp_address + info.rsdp_length <= start + size);
    }
    return 0;
}
