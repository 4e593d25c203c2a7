// Interrupt vectors as generic code sees them.
#pragma once

#include <cstdint>

namespace fluid::arch {

// Sets up descriptor tables and exception handling on the boot CPU.
void cpu_init_boot();

using InterruptHandler = void (*)(uint8_t vector, void* context);

// Registers a handler for an external interrupt vector (32..255).
void register_interrupt_handler(uint8_t vector, InterruptHandler handler, void* context);

} // namespace fluid::arch
