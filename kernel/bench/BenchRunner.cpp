#include "kernel/bench/BenchRunner.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace fluid::bench {

static std::string symbol_of(const std::string& workload, const char* suffix)
{
    return "bench_" + workload + "_" + suffix;
}

// The address of `name` if the instance exports it as int64_t(int64_t x
// arity); 0 otherwise (missing, or another signature: calling it would be
// undefined).
static uint64_t find_function(const jit::ModuleInfo& info, const std::string& name, unsigned arity)
{
    for (const auto& function : info.functions)
        if (function.name == name && function.callable && function.arity == arity)
            return function.address;
    return 0;
}

TierResult BenchRunner::run_jit_tier(const Workload& workload, jit::OptLevel level, int64_t* n)
{
    TierResult result;
    result.present = true;
    // A fresh instance per tier, so the compile time is this tier's alone.
    auto handle = m_engine.load_module("bench_" + workload.name, workload.bitcode, level);
    if (handle.is_error()) {
        result.error = handle.error().message();
        return result;
    }
    const jit::ModuleInfo* info = m_engine.module_info(handle.value());
    result.compile_ns = info->compile_ns();
    EntryPoints entry;
    entry.run = reinterpret_cast<int64_t (*)(int64_t)>(find_function(*info, symbol_of(workload.name, "run"), 1));
    entry.check = reinterpret_cast<int64_t (*)()>(find_function(*info, symbol_of(workload.name, "check"), 0));
    entry.default_n = reinterpret_cast<int64_t (*)()>(find_function(*info, symbol_of(workload.name, "default_n"), 0));
    if (!entry.run || !entry.check) {
        result.error = "module bench_" + workload.name + " does not export int64_t bench_" + workload.name +
                       "_run(int64_t) and int64_t bench_" + workload.name + "_check(void)";
    } else {
        if (*n == 0)
            *n = choose_n(entry);
        uint64_t compile_ns = result.compile_ns;
        result = run_entry_points(entry, *n);
        result.compile_ns = compile_ns;
    }
    (void)m_engine.unload(handle.value());
    return result;
}

// UBSan's -fsanitize=function reads a signature word in front of the
// callee, which JIT-compiled code does not have (see jit/EngineCall.cpp).
[[clang::no_sanitize("function")]] int64_t BenchRunner::choose_n(const EntryPoints& entry) const
{
    if (m_options.n > 0)
        return m_options.n;
    int64_t n = entry.default_n ? entry.default_n() : 1;
    return n > 0 ? n : 1;
}

[[clang::no_sanitize("function")]] TierResult BenchRunner::run_entry_points(const EntryPoints& entry, int64_t n)
{
    TierResult result;
    result.present = true;
    int64_t verdict = entry.check();
    result.check_passed = verdict == 1;
    if (!result.check_passed) {
        // A wrong answer is a failure, never a timing.
        char text[64];
        snprintf(text, sizeof(text), "self-check returned %ld", static_cast<long>(verdict));
        result.error = text;
        return result;
    }
    result.checksum = entry.run(n); // the warm-up call
    std::vector<uint64_t> times;
    times.reserve(m_options.iterations);
    for (unsigned i = 0; i < m_options.iterations; ++i) {
        uint64_t start = m_now_ns();
        int64_t checksum = entry.run(n);
        times.push_back(m_now_ns() - start);
        if (checksum != result.checksum) {
            char text[96];
            snprintf(text, sizeof(text), "run(%ld) returned %ld, then %ld", static_cast<long>(n),
                     static_cast<long>(result.checksum), static_cast<long>(checksum));
            result.error = text;
            return result;
        }
    }
    std::sort(times.begin(), times.end());
    result.median_ns = times.empty() ? 0 : times[times.size() / 2];
    result.timed = true;
    return result;
}

// Calls run(n) through the tiered entry until tiering has swapped it to
// O3; false if it did not get there (an error in result.tiered, or just
// not in time: then untimed but not failed).
[[clang::no_sanitize("function")]] bool BenchRunner::climb_to_o3(const Workload& workload, const EntryPoints& entry,
                                                                 int64_t n, WorkloadResult& result)
{
    TierResult& tiered = result.tiered;
    int64_t verdict = entry.check();
    tiered.check_passed = verdict == 1;
    if (!tiered.check_passed) {
        char text[64];
        snprintf(text, sizeof(text), "self-check returned %ld", static_cast<long>(verdict));
        tiered.error = text;
        return false;
    }
    jit::TierManager& tiers = *m_tiering.tiers;
    std::string module = "bench_" + workload.name;
    std::string run_name = symbol_of(workload.name, "run");
    bool can_climb = tiers.policy().enabled;
    // `tier pin` keeps a function where it is: waiting would only time out.
    for (const auto& function : tiers.profile())
        if (function.module == module && function.name == run_name && function.pinned)
            can_climb = false;
    uint64_t start = m_now_ns();
    int64_t first = 0;
    // The module may be at O3 already (an earlier bench, a saved profile).
    bool at_o3 = true;
    while (tiers.tier_of(module, run_name) != jit::OptLevel::O3) {
        if (!can_climb || m_now_ns() - start > m_tiering.limit_ns) {
            at_o3 = false;
            break;
        }
        int64_t checksum = entry.run(n);
        if (result.tiered_calls++ == 0) {
            first = checksum;
        } else if (checksum != first) {
            char text[112];
            snprintf(text, sizeof(text), "run(%ld) returned %ld, then %ld while tiering", static_cast<long>(n),
                     static_cast<long>(first), static_cast<long>(checksum));
            tiered.error = text;
            return false;
        }
        if (m_tiering.compile_pending)
            m_tiering.compile_pending();
    }
    // The tiers it got to, even if not O3 in time.
    for (const auto& function : tiers.profile()) {
        if (function.module != module || function.name != run_name)
            continue;
        for (const jit::TierEvent& event : function.events) {
            result.tier_compile_ns[static_cast<unsigned>(event.level)] = event.compile_ns;
            if (event.level == jit::OptLevel::O3) {
                result.swapped_after_calls = event.at_calls;
                result.swapped_by_back_edges = event.by_back_edges;
            }
        }
    }
    return at_o3;
}

void BenchRunner::run_tiered(const Workload& workload, int64_t n, WorkloadResult& result)
{
    if (!m_tiering.tiers || workload.tiered.id == 0 || m_tiering.limit_ns == 0)
        return;
    result.tiered.present = true;
    const jit::ModuleInfo* info = m_engine.module_info(workload.tiered);
    EntryPoints entry;
    if (info) {
        entry.run = reinterpret_cast<int64_t (*)(int64_t)>(find_function(*info, symbol_of(workload.name, "run"), 1));
        entry.check = reinterpret_cast<int64_t (*)()>(find_function(*info, symbol_of(workload.name, "check"), 0));
    }
    if (!entry.run || !entry.check) {
        result.tiered.error = "the tiered instance of bench_" + workload.name + " has no run and check functions";
        return;
    }
    if (!climb_to_o3(workload, entry, n, result))
        return;
    // Timed like every other way: check, warm-up, the median.
    result.tiered = run_entry_points(entry, n);
    result.tiered.compile_ns = result.tier_compile_ns[3];
}

WorkloadResult BenchRunner::run(const Workload& workload)
{
    WorkloadResult result;
    result.name = workload.name;
    result.iterations = m_options.iterations;
    int64_t n = 0;
    result.o0 = run_jit_tier(workload, jit::OptLevel::O0, &n);
    result.o3 = run_jit_tier(workload, jit::OptLevel::O3, &n);
    if (workload.aot) {
        EntryPoints entry { workload.aot->run, workload.aot->check, workload.aot->default_n };
        if (n == 0)
            n = choose_n(entry);
        result.aot = run_entry_points(entry, n);
    }
    if (n == 0)
        n = m_options.n > 0 ? m_options.n : 1;
    run_tiered(workload, n, result);
    result.n = n;
    // The same source must compute the same checksum however it was compiled.
    struct Named {
        const char* name;
        const TierResult* tier;
    };
    for (Named other : { Named { "O3", &result.o3 }, Named { "AOT", &result.aot }, Named { "tiered O3", &result.tiered } }) {
        if (other.tier->timed && result.o0.timed && other.tier->checksum != result.o0.checksum) {
            char text[128];
            snprintf(text, sizeof(text), "checksums differ: %ld at O0, %ld at %s", static_cast<long>(result.o0.checksum),
                     static_cast<long>(other.tier->checksum), other.name);
            result.error = text;
        }
    }
    return result;
}

} // namespace fluid::bench
