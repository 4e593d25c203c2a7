// The CPU interface generic kernel code uses. Another architecture would
// provide the same header under its own include path.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::arch {

[[noreturn]] void halt_forever();
void enable_interrupts();
void disable_interrupts();
bool interrupts_enabled();
void wait_for_interrupt();

// "Intel(R) Xeon(R) ..." or a fallback built from the vendor id.
void cpu_model_name(char* buffer, size_t size);

// Short feature summary for the banner, e.g. "sse4.2 avx avx2 fma x2apic".
void cpu_feature_summary(char* buffer, size_t size);

// The local APIC id of the CPU running this [SDM 2A, CPUID leaf 1 EBX 31:24].
uint32_t boot_cpu_apic_id();

// True when a hypervisor says so through CPUID [SDM 2A, CPUID leaf 1 ECX bit 31].
bool running_under_hypervisor();

// True under a binary translator (QEMU's TCG) rather than hardware
// virtualisation: vector instructions there cost what their emulation costs.
bool running_under_binary_translation();

} // namespace fluid::arch
