#include "llm/JitKernels.h"

namespace fluid::llm {

bool jit_cpu_has_avx2(const jit::TargetCpu& cpu)
{
    // By LLVM's rules for the feature string: what the code generator will
    // actually allow (the kernel under QEMU's TCG turns the AVX family off,
    // kernel/jit/KernelJit.cpp).
    return cpu.has_feature("avx2") && cpu.has_feature("fma") && cpu.has_feature("f16c");
}

// Loads one module tiered and assigns every table entry it defines.
// `required`: each entry must be there (the portable module); otherwise
// missing entries are left alone (the AVX2 module has only some).
static ErrorOr<void> bind_module(jit::Engine& engine, jit::TierManager& tiers, const char* name,
                                 std::span<const uint8_t> bitcode, bool required, ComputeKernels& kernels,
                                 JitKernelsBinding& binding)
{
    jit::ModuleHandle handle = TRY(tiers.load(name, bitcode));
    binding.modules.push_back(handle);
    for (size_t i = 0; i < compute_kernel_count; ++i) {
        auto address = engine.lookup(handle, compute_kernel_symbols[i]);
        if (address.is_error()) {
            if (!required)
                continue;
            return Error::format(ErrorCode::NotFound, "llm: module %s does not define %s", name,
                                 compute_kernel_symbols[i]);
        }
        assign_compute_kernel(kernels, compute_kernel_symbols[i], *address);
        binding.sources[i] = name;
    }
    return {};
}

ErrorOr<JitKernelsBinding> bind_jit_kernels(jit::Engine& engine, jit::TierManager& tiers,
                                            std::span<const uint8_t> portable, std::span<const uint8_t> avx2,
                                            ComputeKernels& kernels)
{
    JitKernelsBinding binding;
    binding.sources.resize(compute_kernel_count);
    ComputeKernels table;
    auto bound = bind_module(engine, tiers, jit_kernels_module, portable, true, table, binding);
    if (!bound.is_error() && !avx2.empty() && jit_cpu_has_avx2(engine.cpu())) {
        bound = bind_module(engine, tiers, jit_kernels_avx2_module, avx2, false, table, binding);
        binding.avx2 = !bound.is_error();
    }
    if (bound.is_error()) {
        for (jit::ModuleHandle handle : binding.modules) {
            tiers.forget(handle);
            (void)engine.unload(handle);
        }
        return bound.release_error();
    }
    kernels = table;
    return binding;
}

} // namespace fluid::llm
