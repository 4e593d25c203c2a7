// Model-specific registers [SDM 4]. Thin wrappers so callers name the MSR.
#pragma once

#include <cstdint>

namespace fluid::x86 {

enum class Msr : uint32_t {
    ApicBase = 0x1b,
    X2ApicFirst = 0x800, // x2APIC register n at 0x800 + n [SDM 3A §11.12.1.2]
    Efer = 0xc0000080,
    FsBase = 0xc0000100,
    GsBase = 0xc0000101,
    KernelGsBase = 0xc0000102,
};

inline uint64_t read_msr(Msr msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(static_cast<uint32_t>(msr)));
    return (uint64_t(hi) << 32) | lo;
}

inline void write_msr(Msr msr, uint64_t value)
{
    asm volatile("wrmsr" ::"c"(static_cast<uint32_t>(msr)), "a"(uint32_t(value)), "d"(uint32_t(value >> 32)));
}

constexpr uint64_t efer_nxe = 1u << 11;
constexpr uint64_t apic_base_enable = 1u << 11;  // IA32_APIC_BASE.EN
constexpr uint64_t apic_base_x2apic = 1u << 10;  // IA32_APIC_BASE.EXTD
constexpr uint64_t apic_base_bsp = 1u << 8;      // IA32_APIC_BASE.BSP

inline Msr x2apic_msr(uint32_t mmio_offset) { return Msr(uint32_t(Msr::X2ApicFirst) + (mmio_offset >> 4)); }

} // namespace fluid::x86
