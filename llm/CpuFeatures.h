// Which SIMD paths the running CPU (and the OS, through XCR0) allows. The
// kernel and fluid-host are built for the x86-64 baseline; the hot dot
// products have AVX2 versions chosen at run time, so one binary runs under
// QEMU's qemu64 CPU and at full speed on the host.
#pragma once

namespace fluid::llm {

// AVX2, FMA and F16C, with YMM state enabled by the OS.
bool cpu_has_avx2();

// AVX2 as above plus AVX-VNNI (vpdpbusd on 256-bit registers).
bool cpu_has_avx_vnni();

// For tests: force the portable path (false) or re-detect (true).
void set_simd_enabled(bool enabled);

// Whether the integer dot products (Q8_0 and Q4_0 weights against Q8_0
// activations) use AVX2/AVX-VNNI: cpu_has_avx2() unless turned off. Under a
// binary translator (QEMU's TCG) integer AVX2 is emulated instruction by
// instruction and the portable code is several times faster, while the
// float paths (F16C conversions, FMA) are still faster in AVX2. Both give
// the same bits, so this only changes speed.
bool cpu_use_simd_integer_dots();
void set_simd_integer_dots_enabled(bool enabled);

} // namespace fluid::llm
