// `fluid-host generate --jit-kernels DIR`: the LLM engine's compute kernels
// JIT-compiled from DIR/llm_kernels.bc (and DIR/llm_kernels_avx2.bc on a CPU
// with AVX2), tiered like every module, with a compiler thread that
// promotes them while generation runs (docs/LLM.md).
#pragma once

#include "jit/Engine.h"
#include "jit/TierManager.h"
#include "kernel/lib/ErrorOr.h"
#include "llm/ComputeKernels.h"
#include "llm/JitKernels.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace fluid::host {

class JitLlmKernels {
public:
    // portable_only: leave llm_kernels_avx2.bc out (`--portable`).
    static ErrorOr<std::unique_ptr<JitLlmKernels>> create(const std::string& directory, bool portable_only);
    ~JitLlmKernels();

    const llm::ComputeKernels& kernels() const { return m_kernels; }
    // "avx2" or "portable", then each entry's module and tier, e.g.
    // "jit kernels (avx2): matvec_q8_0 O3 (12034 calls), ...".
    std::string summary() const;

private:
    JitLlmKernels() = default;
    void compile_loop();

    std::unique_ptr<jit::Engine> m_engine;
    std::unique_ptr<jit::TierManager> m_tiers;
    llm::ComputeKernels m_kernels;
    llm::JitKernelsBinding m_binding;
    std::atomic<bool> m_stop { false };
    std::thread m_compiler;
};

} // namespace fluid::host
