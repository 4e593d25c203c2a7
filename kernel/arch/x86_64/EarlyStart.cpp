// From boot/entry.S to kmain(): the last steps before ordinary C++ may run.
// Compiled with -fno-stack-protector (the canary does not exist yet).
#include "kernel/arch/x86_64/ThreadControlBlock.h"
#include "kernel/kmain.h"

#include <cstdint>

extern "C" {
using Constructor = void (*)();
extern Constructor __init_array_start[];
extern Constructor __init_array_end[];
}

// The C++ ABI's handle for this "shared object"; __cxa_atexit takes it.
extern "C" void* __dso_handle;
void* __dso_handle = &__dso_handle;

extern "C" [[noreturn]] void early_start(uint32_t multiboot_magic, uint32_t multiboot_info)
{
    // 1. %fs: TCB, canary and static TLS, before any library code runs.
    fluid::x86::install_boot_thread_control_block();
    // 2. Static constructors, in link order.
    for (Constructor* ctor = __init_array_start; ctor != __init_array_end; ++ctor)
        (*ctor)();
    fluid::kmain(multiboot_magic, multiboot_info);
}
