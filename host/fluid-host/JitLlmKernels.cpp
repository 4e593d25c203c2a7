#include "host/fluid-host/JitLlmKernels.h"

#include "host/fluid-host/HostPlatform.h"
#include "host/fluid-host/HostTiering.h"

#include <cinttypes>
#include <cstdio>

namespace fluid::host {

// Bumped by the TierManager when a kernel crosses a threshold; the
// compiler thread sleeps on it.
static std::atomic<uint64_t> s_kernel_work { 0 };

static void kernel_work_queued()
{
    s_kernel_work.fetch_add(1, std::memory_order_release);
    s_kernel_work.notify_one();
}

ErrorOr<std::unique_ptr<JitLlmKernels>> JitLlmKernels::create(const std::string& directory, bool portable_only)
{
    std::unique_ptr<JitLlmKernels> self(new JitLlmKernels);
    jit::EngineConfig config = TRY(make_engine_config());
    TRY(add_jit_hot_export(config));
    self->m_engine = TRY(jit::Engine::create(std::move(config)));
    self->m_tiers = std::make_unique<jit::TierManager>(*self->m_engine,
                                                       jit::TierManager::Platform { now_ns, kernel_work_queued });
    set_hot_target(self->m_tiers.get());
    std::vector<uint8_t> portable = TRY(read_file((directory + "/llm_kernels.bc").c_str()));
    // The AVX2 module is optional: without it (or on a CPU without AVX2)
    // the portable module supplies every entry.
    std::vector<uint8_t> avx2_bytes;
    if (!portable_only) {
        auto avx2 = read_file((directory + "/llm_kernels_avx2.bc").c_str());
        if (!avx2.is_error())
            avx2_bytes = std::move(avx2.value());
    }
    self->m_binding = TRY(llm::bind_jit_kernels(*self->m_engine, *self->m_tiers, portable, avx2_bytes,
                                                self->m_kernels));
    self->m_compiler = std::thread([raw = self.get()] { raw->compile_loop(); });
    return self;
}

JitLlmKernels::~JitLlmKernels()
{
    if (m_compiler.joinable()) {
        m_stop.store(true);
        kernel_work_queued();
        m_compiler.join();
    }
    set_hot_target(nullptr);
}

void JitLlmKernels::compile_loop()
{
    while (!m_stop.load()) {
        const uint64_t seen = s_kernel_work.load(std::memory_order_acquire);
        while (true) {
            auto compiled = m_tiers->compile_one();
            if (compiled.is_error()) {
                fprintf(stderr, "fluid-host: tier: %s\n", compiled.error().message());
                return;
            }
            if (!*compiled)
                break;
        }
        // Code the generation threads may still run is freed once it is
        // retired; they never hold on to a version across calls, and
        // nothing here frees while they run (reclaim is left to exit).
        if (m_stop.load())
            return;
        s_kernel_work.wait(seen, std::memory_order_acquire);
    }
}

std::string JitLlmKernels::summary() const
{
    std::string text = m_binding.avx2 ? "jit kernels (portable + avx2):" : "jit kernels (portable):";
    const auto profile = m_tiers->profile();
    for (size_t i = 0; i < llm::compute_kernel_count; ++i) {
        const char* symbol = llm::compute_kernel_symbols[i];
        for (const auto& p : profile) {
            if (p.module != m_binding.sources[i] || p.name != symbol)
                continue;
            char item[160];
            snprintf(item, sizeof item, "%s %s %s (%" PRIu64 " calls)", i ? "," : "", symbol + 10,
                     jit::opt_level_name(p.tier), p.calls);
            text += item;
        }
    }
    return text;
}

} // namespace fluid::host
