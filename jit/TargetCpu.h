// What the JIT generates code for: a target triple, a CPU name and a
// feature string, in LLVM's spelling ("x86_64-pc-linux-gnu", "skylake-avx512",
// "+avx2,+fma,-avx512f,...").
//
// It is a plain value so the platform decides where it comes from: the
// hosted build asks LLVM (detect_host()), the kernel may build one from its
// own CPUID/XGETBV results. Nothing here reads the process's default triple.
#pragma once

#include <string>

namespace fluid::jit {

class TargetCpu {
public:
    // The triple modules are compiled for. A Linux/glibc triple on purpose:
    // the kernel provides the glibc ABI (the stack canary at %fs:0x28, the
    // same data layout and calling convention as the LLVM archives it links).
    static constexpr const char* default_triple = "x86_64-pc-linux-gnu";

    // Baseline x86-64 (SSE2 only): safe on every CPU, QEMU's qemu64 included.
    TargetCpu();
    TargetCpu(std::string triple, std::string name, std::string features);

    // Asks LLVM's host detection, which on x86 uses CPUID and XGETBV only
    // (it works without an OS, as long as OSXSAVE/XCR0 are set up).
    static TargetCpu detect_host();

    const std::string& triple() const { return m_triple; }
    const std::string& name() const { return m_name; }
    const std::string& features() const { return m_features; }

private:
    std::string m_triple;
    std::string m_name;
    std::string m_features;
};

} // namespace fluid::jit
