// CPUID and control-register access [SDM 2A, CPUID; SDM 3A §2.5].
#pragma once

#include <cstdint>

namespace fluid::x86 {

struct CpuidResult {
    uint32_t eax, ebx, ecx, edx;
};

inline CpuidResult cpuid(uint32_t leaf, uint32_t subleaf = 0)
{
    CpuidResult r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

inline uint32_t cpuid_max_leaf() { return cpuid(0).eax; }
inline uint32_t cpuid_max_extended_leaf() { return cpuid(0x80000000).eax; }

inline uint64_t read_cr0() { uint64_t v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
inline uint64_t read_cr2() { uint64_t v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
inline uint64_t read_cr3() { uint64_t v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
inline uint64_t read_cr4() { uint64_t v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
inline void write_cr3(uint64_t v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
inline void write_cr4(uint64_t v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }

inline uint64_t rdtsc()
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t(hi) << 32) | lo;
}

// Feature bits we test in more than one place.
struct CpuFeatures {
    bool nx;             // 8000_0001h EDX 20
    bool gib_pages;      // 8000_0001h EDX 26
    bool xsave;          // 1 ECX 26
    bool avx;            // 1 ECX 28
    bool avx2;           // 7 EBX 5
    bool fma;            // 1 ECX 12
    bool avx512f;        // 7 EBX 16
    bool x2apic;         // 1 ECX 21
    bool rdrand;         // 1 ECX 30
    bool invariant_tsc;  // 8000_0007h EDX 8
    bool hypervisor;     // 1 ECX 31
};

const CpuFeatures& cpu_features();

} // namespace fluid::x86
