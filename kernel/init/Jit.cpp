// The JIT comes up after memory, the clock and ACPI: LLVM allocates, and
// compile times are read from the clock; and after storage, because the
// modules come from /modules on the boot volume (or, without one, from
// GRUB's copies). Each is compiled at O0; one that fails is reported and
// the rest still load.
#include "kernel/Kernel.h"
#include "kernel/Panic.h"
#include "kernel/drivers/Console.h"
#include "kernel/init/Init.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/jit/ModuleGuard.h"
#include "kernel/mm/PageAllocator.h"
#include "kernel/storage/Storage.h"

#include <llvm/Support/ErrorHandling.h>

namespace fluid {

// LLVM's fatal errors (e.g. a back end that cannot select an instruction)
// would call abort() deep inside a compile; make them a panic that says so.
// While LLVM reads an untrusted file (Engine::check_bitcode, contained by
// ModuleGuard) the error is the file's: that read is abandoned instead.
static void llvm_fatal_error(void*, const char* reason, bool)
{
    ModuleGuard::abandon_library_call(reason);
    panic("LLVM fatal error: %s", reason);
}

// With a boot volume the files are read from disk, so GRUB's copies (a
// model may be a gigabyte) go back to the page allocator. The entries are
// emptied so that nothing reads the freed memory through them.
static void release_boot_module_copies(BootInfo& info)
{
    uint64_t pages = 0;
    for (size_t i = 0; i < info.module_count; ++i) {
        BootModule& m = info.modules[i];
        auto released = kernel().pages->release_reserved(m.start, m.end - m.start);
        if (released.is_error())
            kprintf("memory: GRUB's copy of %s kept: %s\n", m.cmdline, released.error().message());
        else
            pages += released.value();
        m.end = m.start;
    }
    if (pages)
        kprintf("memory: %lu KiB of GRUB's module copies returned (the boot volume has the files)\n", pages * 4);
}

void init_jit()
{
    llvm::install_fatal_error_handler(llvm_fatal_error, nullptr);
    auto started = KernelJit::init();
    if (started.is_error()) {
        kprintf("jit: not available: %s\n", started.error().message());
        return;
    }
    KernelJit::get()->start_compiler();
    Fat16Volume* volume = Storage::get().boot_volume();
    KernelJit::get()->load_boot_modules(kernel().boot_info, volume);
    // Booted from a device without a driver (a USB stick): GRUB's copies are
    // read-only and there is nowhere to write /profile/profile.json.
    if (!volume)
        kprintf("profile: saving is off (no boot volume; modules and models are GRUB's read-only copies)\n");
    else
        release_boot_module_copies(kernel().boot_info);
}

} // namespace fluid
