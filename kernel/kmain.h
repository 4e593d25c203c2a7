#pragma once

#include <cstdint>

namespace fluid {

// The generic kernel entry, called on the boot CPU with a working stack,
// %fs TCB and constructors run (kernel/arch/x86_64/EarlyStart.cpp).
[[noreturn]] void kmain(uint32_t multiboot_magic, uint64_t multiboot_info);

} // namespace fluid
