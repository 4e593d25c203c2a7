// kmain: the boot sequence, one step per line. Each step lives in the
// file named beside it; docs/ARCHITECTURE.md walks through them.
#include "kernel/kmain.h"

#include "kernel/Kernel.h"
#include "kernel/KernelSymbols.h"
#include "kernel/Panic.h"
#include "kernel/drivers/Console.h"
#include "kernel/init/Init.h"
#include "kernel/shell/Shell.h"

#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/interrupts.h>

namespace fluid {

Kernel& kernel()
{
    static Kernel instance;
    return instance;
}

const char* fluid_version() { return "0.1.0"; }

void kmain(uint32_t multiboot_magic, uint64_t multiboot_info)
{
    init_serial_console();                          // init/Consoles.cpp
    arch::cpu_init_boot();                          // arch/x86_64/Interrupts.cpp: GDT, TSS, IST, IDT
    init_boot_info(multiboot_magic, multiboot_info); // init/BootInfo.cpp
    init_screen_console();                          // init/Consoles.cpp: VGA text or framebuffer
    init_memory();                                  // init/Memory.cpp: pages, paging, heap
    init_acpi();                                    // init/Acpi.cpp
    init_clock();                                   // init/Acpi.cpp: TSC against the PIT, HPET or PM timer
    init_interrupts();                              // init/Smp.cpp: APICs, timer, serial IRQ
    init_smp();                                     // init/Smp.cpp: every other CPU to its idle loop
    init_storage();                                 // init/Storage.cpp: ATA disks, MBR, FAT16
    init_jit();                                     // init/Jit.cpp: LLVM ORC, boot modules at O0
    init_llm();                                     // init/Llm.cpp: which dot products the LLM uses
    print_banner();                                 // init/Banner.cpp
    kernel().boot_ns = arch::now_ns();
    kprintf("fluid: ready\n");
    Shell shell(console());
    shell.run();
}

} // namespace fluid
