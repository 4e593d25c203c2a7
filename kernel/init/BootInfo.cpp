#include "kernel/Kernel.h"
#include "kernel/KernelSymbols.h"
#include "kernel/Panic.h"
#include "kernel/drivers/Console.h"
#include "kernel/init/Init.h"

namespace fluid {

static constexpr uint32_t multiboot2_bootloader_magic = 0x36d76289; // [Multiboot2 §3.2]
// The boot information is a few KiB; anything claiming more is corrupt.
static constexpr size_t max_boot_info_size = 16u << 20;

ElfSymbolTable& kernel_symbols()
{
    static ElfSymbolTable table;
    return table;
}

void init_boot_info(uint32_t multiboot_magic, uint64_t multiboot_info)
{
    if (multiboot_magic != multiboot2_bootloader_magic)
        panic("boot: bad Multiboot2 magic 0x%x", multiboot_magic);
    BootInfo& info = kernel().boot_info;
    auto parsed = parse_multiboot2(reinterpret_cast<const void*>(multiboot_info), max_boot_info_size, info);
    if (parsed.is_error())
        panic("boot: Multiboot2 information at 0x%lx: %s", multiboot_info, parsed.error().message());

    const ElfSymbols& elf = info.elf_symbols;
    if (!elf.present) {
        kprintf("boot: no ELF symbols from the boot loader; backtraces will be numeric\n");
        return;
    }
    auto loaded = kernel_symbols().init(reinterpret_cast<const void*>(elf.symtab_address), elf.symtab_size,
                                        reinterpret_cast<const char*>(elf.strtab_address), elf.strtab_size);
    if (loaded.is_error())
        kprintf("boot: kernel symbols unusable: %s\n", loaded.error().message());
}

} // namespace fluid
