// Fills a ComputeKernels table from modules/llm/*.bc compiled by the JIT
// (docs/LLM.md, "JIT-compiled kernels"). Used by fluid-host
// (host/fluid-host/JitLlmKernels.cpp) and the kernel (kernel/llm/JitLlmKernels.cpp),
// which only differ in where the bitcode comes from.
//
// Each module is loaded through the TierManager like every module: its
// exported functions start at O0 behind patchable entries and are promoted
// when hot. The table holds the entries' addresses (Engine::lookup of the
// exported name), so a promotion redirects the engine's calls too.
#pragma once

#include "jit/Engine.h"
#include "jit/TierManager.h"
#include "kernel/lib/ErrorOr.h"
#include "llm/ComputeKernels.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace fluid::llm {

// The module names the binders load the kernels under.
constexpr const char* jit_kernels_module = "llm_kernels";
constexpr const char* jit_kernels_avx2_module = "llm_kernels_avx2";

struct JitKernelsBinding {
    bool avx2 { false };                    // llm_kernels_avx2 supplied the dot products
    std::vector<jit::ModuleHandle> modules; // what was loaded (to forget/unload)
    // For each table entry (compute_kernel_symbols order), the module that supplied it.
    std::vector<std::string> sources;
};

// Whether the JIT's target CPU can run llm_kernels_avx2.bc: avx, avx2, fma
// and f16c on after its feature string is applied in order (LLVM's host
// detection reports them only when the OS saves YMM state).
bool jit_cpu_has_avx2(const jit::TargetCpu&);

// Loads `portable` (llm_kernels.bc) and, when non-empty and the CPU allows
// it, `avx2` (llm_kernels_avx2.bc) through `tiers`, and fills `kernels`:
// every entry from the portable module, the AVX2 module's entries over
// them. On error nothing in `kernels` changes and what was loaded is
// unloaded again.
ErrorOr<JitKernelsBinding> bind_jit_kernels(jit::Engine&, jit::TierManager&, std::span<const uint8_t> portable,
                                            std::span<const uint8_t> avx2, ComputeKernels& kernels);

} // namespace fluid::llm
