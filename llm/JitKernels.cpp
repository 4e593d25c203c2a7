#include "llm/JitKernels.h"

namespace fluid::llm {

bool jit_cpu_has_avx2(const jit::TargetCpu& cpu)
{
    // LLVM's feature strings apply in order, and turning a feature off
    // turns off what depends on it: a string ending in "-avx" after
    // "+avx2,+fma,+f16c" leaves none of them. (The kernel under QEMU's TCG
    // now turns each AVX-family flag off itself, kernel/jit/KernelJit.cpp.)
    bool avx = false, avx2 = false, fma = false, f16c = false;
    const std::string& features = cpu.features();
    size_t start = 0;
    while (start < features.size()) {
        size_t end = features.find(',', start);
        if (end == std::string::npos)
            end = features.size();
        const std::string flag = features.substr(start, end - start);
        start = end + 1;
        if (flag.size() < 2)
            continue;
        const bool on = flag[0] == '+';
        const std::string name = flag.substr(1);
        if (name == "avx") {
            avx = on;
            if (!on)
                avx2 = fma = f16c = false;
        } else if (name == "avx2") {
            avx2 = on;
        } else if (name == "fma") {
            fma = on;
        } else if (name == "f16c") {
            f16c = on;
        }
    }
    return avx && avx2 && fma && f16c;
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
