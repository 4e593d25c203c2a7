// What the JIT generates code for: a target triple, a CPU name and a
// feature string, in LLVM's spelling ("x86_64-pc-linux-gnu", "skylake-avx512",
// "+avx2,+fma,-avx512f,...").
//
// It is a plain value so the platform decides where it comes from: the
// hosted build asks LLVM (detect_host()), the kernel may build one from its
// own CPUID/XGETBV results. Nothing here reads the process's default triple.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

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

    // Whether `feature` ("avx2") is on once the feature string is applied
    // in order, by LLVM's rules for what each flag implies: "+avx2" turns
    // "avx" on too, "-avx" turns off everything built on AVX
    // (llvm::X86::updateImpliedFeatures). Flags only: the CPU name's own
    // features are not counted.
    bool has_feature(std::string_view feature) const;
    // The same CPU with `features` off, and everything that depends on them:
    // each such "+x" in the string becomes "-x" in place, so that LLVM and a
    // person reading the string see the same thing; a named feature that is
    // not in the string is appended as "-x".
    TargetCpu without_features(std::initializer_list<std::string_view> features) const;

private:
    std::string m_triple;
    std::string m_name;
    std::string m_features;
};

} // namespace fluid::jit
