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

ErrorOr<std::vector<uint8_t>> read_whole(Fat16Volume& volume, const char* path)
{
    auto info = TRY(volume.stat(path));
    if (info.is_directory)
        return Error::format(ErrorCode::Invalid, "%s is a directory", path);
    std::vector<uint8_t> bytes(info.size);
    size_t got = TRY(volume.read(path, 0, bytes));
    if (got != info.size)
        return Error::format(ErrorCode::IoError, "%s: read %zu of %u bytes", path, got, info.size);
    return bytes;
}

} // namespace

ErrorOr<const llm::ComputeKernels*> bind_jit_llm_kernels(KernelJit& jit, Fat16Volume& volume)
{
    std::lock_guard guard(s_lock);
    if (s_bound)
        return &s_kernels;
    std::vector<uint8_t> portable = TRY(read_whole(volume, "/modules/llm/llm_kernels.bc"));
    // The /modules/ALLOWED manifest covers these too (docs/MODULES.md).
    if (auto allowed = jit.check_allowed(volume, "llm_kernels.bc", portable); allowed.is_error())
        return Error::format(ErrorCode::Invalid, "/modules/llm/llm_kernels.bc: %s", allowed.error().message());
    std::vector<uint8_t> avx2;
    if (llm::jit_cpu_has_avx2(jit.engine().cpu())) {
        auto read = read_whole(volume, "/modules/llm/llm_kernels_avx2.bc");
        auto allowed = read.is_error() ? ErrorOr<void>() : jit.check_allowed(volume, "llm_kernels_avx2.bc", read.value());
        if (allowed.is_error())
            kprintf("llm: /modules/llm/llm_kernels_avx2.bc: %s; using the portable kernels\n", allowed.error().message());
        else if (!read.is_error())
            avx2 = std::move(read.value());
    }
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
