#include "kernel/llm/JitLlmKernels.h"

#include "kernel/drivers/Console.h"
#include "kernel/fs/Fat16Volume.h"
#include "kernel/jit/KernelJit.h"
#include "llm/JitKernels.h"

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

namespace fluid {

namespace {

std::mutex s_lock;
llm::ComputeKernels s_kernels;
llm::JitKernelsBinding s_binding;
bool s_bound { false };

// One kernel module, checked as `load` checks a module: its size against
// free memory, the /modules/ALLOWED manifest (docs/MODULES.md), and LLVM's
// reader under containment (Engine::check_bitcode), with no lock held.
ErrorOr<std::vector<uint8_t>> read_checked(KernelJit& jit, Fat16Volume& volume, const char* name)
{
    std::string path = std::string("/modules/llm/") + name;
    std::vector<uint8_t> bytes = TRY(KernelJit::read_module_file(volume, path));
    if (auto allowed = jit.check_allowed(volume, name, bytes); allowed.is_error())
        return Error::format(ErrorCode::Invalid, "%s: %s", path.c_str(), allowed.error().message());
    TRY(jit.engine().check_bitcode(name, bytes));
    return bytes;
}

} // namespace

ErrorOr<const llm::ComputeKernels*> bind_jit_llm_kernels(KernelJit& jit, Fat16Volume& volume)
{
    {
        std::lock_guard guard(s_lock);
        if (s_bound)
            return &s_kernels;
    }
    std::vector<uint8_t> portable = TRY(read_checked(jit, volume, "llm_kernels.bc"));
    std::vector<uint8_t> avx2;
    if (llm::jit_cpu_has_avx2(jit.engine().cpu())) {
        auto read = read_checked(jit, volume, "llm_kernels_avx2.bc");
        if (!read.is_error())
            avx2 = std::move(read.value());
        else if (read.error().code() != ErrorCode::NotFound)
            kprintf("llm: %s; using the portable kernels\n", read.error().message());
    }
    std::lock_guard guard(s_lock);
    if (s_bound)
        return &s_kernels;
    s_binding = TRY(llm::bind_jit_kernels(jit.engine(), jit.tiers(), portable, avx2, s_kernels));
    s_bound = true;
    return &s_kernels;
}

void describe_jit_llm_kernels(KernelJit& jit, char* out, size_t size)
{
    std::lock_guard guard(s_lock);
    if (size == 0)
        return;
    out[0] = '\0';
    if (!s_bound)
        return;
    size_t used = static_cast<size_t>(
        snprintf(out, size, "jit kernels (%s):", s_binding.avx2 ? "portable + avx2" : "portable"));
    for (size_t i = 0; i < llm::compute_kernel_count && used < size; ++i) {
        const char* symbol = llm::compute_kernel_symbols[i];
        jit::OptLevel tier = jit.tiers().tier_of(s_binding.sources[i], symbol);
        used += static_cast<size_t>(snprintf(out + used, size - used, "%s %s %s", i ? "," : "", symbol + 10,
                                             jit::opt_level_name(tier)));
    }
}

} // namespace fluid
