// The kernel's long-lived services, set up by kmain() in order and then
// read by the shell and, later, by the JIT's kernel API.
#pragma once

#include "kernel/boot/BootInfo.h"

namespace fluid {

class AcpiTables;
class Heap;
class PageAllocator;

struct Kernel {
    BootInfo boot_info;
    PageAllocator* pages { nullptr };
    Heap* heap { nullptr };
    AcpiTables* acpi { nullptr }; // null when the firmware gave no usable tables
    uint64_t boot_ns { 0 };       // clock reading when the shell became ready
    char cpu_model[64] {};
};

Kernel& kernel();

// "0.1.0"
const char* fluid_version();

} // namespace fluid
