// The steps of kmain(), in order. Each panics with a clear message if the
// machine cannot continue.
#pragma once

#include <cstdint>

namespace fluid {

class Uart16550;

void init_serial_console();
void init_boot_info(uint32_t multiboot_magic, uint64_t multiboot_info);
void init_screen_console();
void init_memory();
void init_acpi();
void init_clock();
void init_interrupts();
void init_smp();
void init_jit();
void init_llm();
void init_storage();
void print_banner();

// COM1, or null before init_serial_console().
Uart16550* serial_console();

} // namespace fluid
