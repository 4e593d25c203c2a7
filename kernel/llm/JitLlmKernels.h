// The kernel's binding of the LLM engine's compute kernels to the JIT
// (docs/LLM.md, "JIT-compiled kernels"): /modules/llm/llm_kernels.bc and,
// when the JIT's CPU has AVX2/FMA/F16C, /modules/llm/llm_kernels_avx2.bc
// from the boot volume, loaded through the TierManager (O0 first, promoted
// by the compiler CPU when hot). /modules/llm/ is not scanned at boot: the
// AVX2 module must not be compiled for a CPU without AVX2.
//
//   auto kernels = TRY(bind_jit_llm_kernels(*KernelJit::get(), volume));
//   transformer.set_kernels(*kernels);
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "llm/ComputeKernels.h"

namespace fluid {

class KernelJit;
class Fat16Volume;

// Loads and binds the modules on the first call; later calls return the
// same table (the modules stay loaded and keep their tiers). The table
// lives as long as the kernel.
ErrorOr<const llm::ComputeKernels*> bind_jit_llm_kernels(KernelJit&, Fat16Volume&);

// One line for the shell: which modules supplied the kernels and the tier
// each entry runs at now ("" before the first bind).
void describe_jit_llm_kernels(KernelJit&, char* out, size_t size);

} // namespace fluid
