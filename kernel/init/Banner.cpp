#include "kernel/Kernel.h"
#include "kernel/drivers/Console.h"
#include "kernel/init/Init.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/mm/PageAllocator.h"

#include "jit/LlvmTarget.h"

#include <arch/clock.h>
#include <arch/cpu.h>

namespace fluid {

void print_banner()
{
    Kernel& k = kernel();
    arch::cpu_model_name(k.cpu_model, sizeof(k.cpu_model));
    char features[96];
    arch::cpu_feature_summary(features, sizeof(features));
    const BootInfo& info = k.boot_info;
    kprintf("\nFluid %s (x86_64)\n", fluid_version());
    kprintf("cpu: %s [%s], TSC %lu MHz\n", k.cpu_model, features, arch::ticks_per_second() / 1000000);
    kprintf("memory: %lu MiB usable, %lu MiB free\n", k.pages->total_bytes() >> 20, k.pages->free_bytes() >> 20);
    kprintf("boot: %s via %s, %zu module(s), command line '%s'\n", info.efi64_system_table ? "UEFI" : "BIOS",
            info.bootloader_name[0] ? info.bootloader_name : "unknown loader", info.module_count,
            info.command_line);
    if (KernelJit* jit = KernelJit::get()) {
        const jit::TargetCpu& cpu = jit->engine().cpu();
        kprintf("jit: LLVM %s, target %s %s%s%s, %zu module(s)\n", jit::llvm_version(), cpu.triple().c_str(),
                cpu.name().c_str(), cpu.features().find("+avx2") != std::string::npos ? " +avx2" : "",
                cpu.features().find("+avx512f") != std::string::npos ? " +avx512f" : "", jit->modules().size());
    }
}

} // namespace fluid
