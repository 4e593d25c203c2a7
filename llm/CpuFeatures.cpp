#include "llm/CpuFeatures.h"

#include <atomic>
#include <cpuid.h>
#include <cstdint>

namespace fluid::llm {

// 0: not yet detected, 1: no, 2: yes. Detection is idempotent, so racing
// first calls only repeat the work.
static std::atomic<int> s_avx2 { 0 };
static std::atomic<int> s_vnni { 0 };
static std::atomic<bool> s_enabled { true };
static std::atomic<bool> s_integer_enabled { true };

static bool detect_avx2()
{
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return false;
    const bool osxsave = ecx & (1u << 27), avx = ecx & (1u << 28), fma = ecx & (1u << 12), f16c = ecx & (1u << 29);
    if (!osxsave || !avx || !fma || !f16c)
        return false;
    uint32_t xcr0_low, xcr0_high;
    asm volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 0x6) != 0x6) // SSE and AVX state saved by the OS
        return false;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return false;
    return ebx & (1u << 5);
}

static bool detect_avx_vnni()
{
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx))
        return false;
    return eax & (1u << 4);
}

bool cpu_has_avx_vnni()
{
    if (!cpu_has_avx2())
        return false;
    int state = s_vnni.load(std::memory_order_relaxed);
    if (state == 0) {
        state = detect_avx_vnni() ? 2 : 1;
        s_vnni.store(state, std::memory_order_relaxed);
    }
    return state == 2;
}

bool cpu_has_avx2()
{
    if (!s_enabled.load(std::memory_order_relaxed))
        return false;
    int state = s_avx2.load(std::memory_order_relaxed);
    if (state == 0) {
        state = detect_avx2() ? 2 : 1;
        s_avx2.store(state, std::memory_order_relaxed);
    }
    return state == 2;
}

void set_simd_enabled(bool enabled)
{
    s_enabled.store(enabled, std::memory_order_relaxed);
}

bool cpu_use_simd_integer_dots()
{
    return s_integer_enabled.load(std::memory_order_relaxed) && cpu_has_avx2();
}

void set_simd_integer_dots_enabled(bool enabled)
{
    s_integer_enabled.store(enabled, std::memory_order_relaxed);
}

} // namespace fluid::llm
