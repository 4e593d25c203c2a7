// CPU identification and the simple CPU operations of <arch/cpu.h>.
#include "kernel/arch/x86_64/Cpuid.h"

#include <arch/cpu.h>

#include <cstdio>
#include <cstring>

namespace fluid::x86 {

static CpuFeatures detect_features()
{
    CpuFeatures f {};
    uint32_t max = cpuid_max_leaf();
    uint32_t max_ext = cpuid_max_extended_leaf();
    CpuidResult l1 = cpuid(1);
    f.xsave = l1.ecx & (1u << 26);
    f.avx = l1.ecx & (1u << 28);
    f.fma = l1.ecx & (1u << 12);
    f.x2apic = l1.ecx & (1u << 21);
    f.rdrand = l1.ecx & (1u << 30);
    f.hypervisor = l1.ecx & (1u << 31);
    if (max >= 7) {
        CpuidResult l7 = cpuid(7, 0);
        f.avx2 = l7.ebx & (1u << 5);
        f.avx512f = l7.ebx & (1u << 16);
    }
    if (max_ext >= 0x80000001) {
        CpuidResult e1 = cpuid(0x80000001);
        f.nx = e1.edx & (1u << 20);
        f.gib_pages = e1.edx & (1u << 26);
    }
    if (max_ext >= 0x80000007)
        f.invariant_tsc = cpuid(0x80000007).edx & (1u << 8);
    return f;
}

const CpuFeatures& cpu_features()
{
    // Computed on first use; CPUID is identical on every core we support.
    static CpuFeatures features = detect_features();
    return features;
}

} // namespace fluid::x86

namespace fluid::arch {

using namespace fluid::x86;

void halt_forever()
{
    for (;;)
        asm volatile("cli; hlt");
}

void enable_interrupts() { asm volatile("sti" ::: "memory"); }
void disable_interrupts() { asm volatile("cli" ::: "memory"); }
void wait_for_interrupt() { asm volatile("sti; hlt" ::: "memory"); }

bool interrupts_enabled()
{
    uint64_t flags;
    asm volatile("pushfq; popq %0" : "=r"(flags));
    return flags & (1u << 9);
}

void cpu_model_name(char* buffer, size_t size)
{
    if (cpuid_max_extended_leaf() < 0x80000004) {
        CpuidResult v = cpuid(0);
        char vendor[13];
        memcpy(vendor, &v.ebx, 4);
        memcpy(vendor + 4, &v.edx, 4);
        memcpy(vendor + 8, &v.ecx, 4);
        vendor[12] = 0;
        snprintf(buffer, size, "%s family %u", vendor, (cpuid(1).eax >> 8) & 0xf);
        return;
    }
    char brand[49];
    for (uint32_t i = 0; i < 3; ++i) {
        CpuidResult r = cpuid(0x80000002 + i);
        memcpy(brand + i * 16, &r, 16);
    }
    brand[48] = 0;
    const char* start = brand;
    while (*start == ' ')
        ++start;
    snprintf(buffer, size, "%s", start);
}

void cpu_feature_summary(char* buffer, size_t size)
{
    const CpuFeatures& f = cpu_features();
    snprintf(buffer, size, "%s%s%s%s%s%s%s", f.avx ? "avx " : "", f.avx2 ? "avx2 " : "",
             f.fma ? "fma " : "", f.avx512f ? "avx512f " : "", f.x2apic ? "x2apic " : "",
             f.nx ? "nx " : "", f.gib_pages ? "1g-pages" : "");
}

bool running_under_hypervisor() { return cpu_features().hypervisor; }

// Hypervisors name themselves in leaf 0x40000000, EBX:ECX:EDX; QEMU's TCG
// says "TCGTCGTCGTCG" [SDM 2A: leaves 40000000H-4FFFFFFFH are reserved for
// software; QEMU target/i386/cpu.c].
bool running_under_binary_translation()
{
    if (!running_under_hypervisor())
        return false;
    CpuidResult r = cpuid(0x40000000);
    char vendor[13] = {};
    memcpy(vendor + 0, &r.ebx, 4);
    memcpy(vendor + 4, &r.ecx, 4);
    memcpy(vendor + 8, &r.edx, 4);
    return strcmp(vendor, "TCGTCGTCGTCG") == 0;
}

uint32_t boot_cpu_apic_id() { return cpuid(1).ebx >> 24; }

} // namespace fluid::arch
