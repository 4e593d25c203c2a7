#include "host/fluid-host/HostTiering.h"

#include "host/fluid-host/HostPlatform.h"

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <thread>
#include <ctime>

namespace fluid::host {

static std::atomic<jit::TierManager*> s_hot_target { nullptr };
// Bumped by TierManager's work_queued; the compiler thread sleeps on it.
static std::atomic<uint64_t> s_work_queued { 0 };

static void jit_hot(uint64_t id)
{
    if (jit::TierManager* tiers = s_hot_target.load(std::memory_order_acquire))
        tiers->on_hot(id);
}

static void work_queued()
{
    s_work_queued.fetch_add(1, std::memory_order_release);
    s_work_queued.notify_one();
}

ErrorOr<void> add_jit_hot_export(jit::EngineConfig& config)
{
    return config.exports.add("__fluid_jit_hot", reinterpret_cast<const void*>(&jit_hot));
}

void set_hot_target(jit::TierManager* tiers)
{
    s_hot_target.store(tiers, std::memory_order_release);
}

// JIT-compiled code has no UBSan function signature word.
[[clang::no_sanitize("function")]] static int64_t call_at(uint64_t address, const std::vector<int64_t>& a)
{
    using I = int64_t;
    switch (a.size()) {
    case 0: return reinterpret_cast<I (*)()>(address)();
    case 1: return reinterpret_cast<I (*)(I)>(address)(a[0]);
    case 2: return reinterpret_cast<I (*)(I, I)>(address)(a[0], a[1]);
    case 3: return reinterpret_cast<I (*)(I, I, I)>(address)(a[0], a[1], a[2]);
    case 4: return reinterpret_cast<I (*)(I, I, I, I)>(address)(a[0], a[1], a[2], a[3]);
    case 5: return reinterpret_cast<I (*)(I, I, I, I, I)>(address)(a[0], a[1], a[2], a[3], a[4]);
    default: return reinterpret_cast<I (*)(I, I, I, I, I, I)>(address)(a[0], a[1], a[2], a[3], a[4], a[5]);
    }
}

// Calls are timed in this thread's CPU time: on a shared machine the wall
// clock also counts the time other processes ran, and batches of tens of
// milliseconds are preempted often. (Swap latency stays on the wall clock:
// waiting for the compiler thread is part of it.)
static uint64_t thread_cpu_ns()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return uint64_t(now.tv_sec) * 1'000'000'000u + uint64_t(now.tv_nsec);
}

// Median over `batches` of the time per call of `calls` calls, after a
// warm-up; every call must return `expected`.
static ErrorOr<double> time_calls(uint64_t address, const std::vector<int64_t>& args, int64_t expected,
                                  uint64_t calls, unsigned batches)
{
    for (uint64_t i = 0; i < std::max<uint64_t>(1, calls / 10); ++i)
        call_at(address, args);
    std::vector<double> per_call;
    for (unsigned b = 0; b < batches; ++b) {
        bool same = true;
        uint64_t start = thread_cpu_ns();
        for (uint64_t i = 0; i < calls; ++i)
            same &= call_at(address, args) == expected;
        uint64_t elapsed = thread_cpu_ns() - start;
        if (!same)
            return Error::from(ErrorCode::Invalid, "tier: a call returned another result than the first");
        per_call.push_back(double(elapsed) / double(calls));
    }
    std::sort(per_call.begin(), per_call.end());
    return per_call[per_call.size() / 2];
}

static const jit::TierFunctionProfile* profile_of(const std::vector<jit::TierFunctionProfile>& profile,
                                                  const std::string& function)
{
    for (const auto& p : profile)
        if (p.name == function)
            return &p;
    return nullptr;
}

// Every tier pinned in turn, on a manager whose policy never promotes, so
// O0 is the real tier-0 code (call and loop counters).
static ErrorOr<void> measure_pinned(jit::Engine& engine, const std::string& module, std::span<const uint8_t> bitcode,
                                    const TierMeasureOptions& options, TierMeasurement& m)
{
    jit::TierManager tiers(engine, { now_ns, nullptr });
    jit::TierPolicy policy = tiers.policy();
    policy.enabled = false;
    tiers.set_policy(policy);
    jit::ModuleHandle handle = TRY(tiers.load(module, bitcode));
    uint64_t address = TRY(engine.lookup(handle, m.function));
    int64_t expected = call_at(address, m.args);
    m.calls_per_batch = options.calls;
    if (!m.calls_per_batch) {
        uint64_t start = thread_cpu_ns();
        call_at(address, m.args);
        uint64_t once = std::max<uint64_t>(1, thread_cpu_ns() - start);
        m.calls_per_batch = std::clamp<uint64_t>(20'000'000 / once, 1, 1'000'000);
    }
    for (unsigned level = 0; level < 4; ++level) {
        TierTiming& t = m.tiers[level];
        t.level = jit::OptLevel(level);
        if (level > 0)
            TRY(tiers.pin(module, m.function, t.level));
        auto profile = tiers.profile();
        auto* p = profile_of(profile, m.function);
        if (!p || p->events.empty())
            return Error::from(ErrorCode::NotFound, "tier: the function is not tiered (not exported?)");
        t.compile_ns = p->events.back().compile_ns;
        t.result = call_at(address, m.args);
        t.ns_per_call = TRY(time_calls(address, m.args, expected, m.calls_per_batch, m.batches));
    }
    tiers.forget(handle);
    TRY(engine.unload(handle));
    return {};
}

static ErrorOr<void> measure_uninstrumented(jit::Engine& engine, const std::string& module,
                                            std::span<const uint8_t> bitcode, TierMeasurement& m)
{
    jit::ModuleHandle handle = TRY(engine.load_module(module, bitcode, jit::OptLevel::O3));
    uint64_t address = TRY(engine.lookup(handle, m.function));
    m.uninstrumented_result = call_at(address, m.args);
    auto time = time_calls(address, m.args, m.uninstrumented_result, m.calls_per_batch, m.batches);
    TRY(engine.unload(handle));
    m.uninstrumented_o3_ns = TRY(std::move(time));
    return {};
}

// The default policy with a compiler thread that sleeps until work is
// queued, while this thread calls the function until it runs at O3.
static ErrorOr<void> measure_automatic(jit::Engine& engine, const std::string& module,
                                       std::span<const uint8_t> bitcode, const TierMeasureOptions& options,
                                       TierMeasurement& m)
{
    jit::TierManager tiers(engine, { now_ns, work_queued });
    set_hot_target(&tiers);
    auto loaded = tiers.load(module, bitcode);
    if (loaded.is_error()) {
        set_hot_target(nullptr);
        return loaded.release_error();
    }
    jit::ModuleHandle handle = *loaded;
    auto address = engine.lookup(handle, m.function);
    std::atomic<bool> stop { false }, reached { false };
    std::atomic<bool> failed { false };
    std::thread compiler([&] {
        while (true) {
            uint64_t seen = s_work_queued.load(std::memory_order_acquire);
            while (true) {
                auto compiled = tiers.compile_one();
                if (compiled.is_error()) {
                    fprintf(stderr, "fluid-host: tier: %s\n", compiled.error().message());
                    failed.store(true);
                    break;
                }
                if (!*compiled)
                    break;
                // Asked here, not by the caller: tier_of takes the lock compiles hold.
                if (tiers.tier_of(module, m.function) == jit::OptLevel::O3)
                    reached.store(true, std::memory_order_release);
            }
            if (stop.load() || failed.load())
                return;
            s_work_queued.wait(seen, std::memory_order_acquire);
        }
    });
    uint64_t deadline = now_ns() + options.auto_time_limit_ns;
    bool same = true;
    if (!address.is_error()) {
        int64_t expected = m.tiers[0].result;
        while (!reached.load(std::memory_order_acquire) && !failed.load() && now_ns() < deadline) {
            same &= call_at(*address, m.args) == expected;
            ++m.auto_calls;
        }
    }
    stop.store(true);
    work_queued();
    compiler.join();
    set_hot_target(nullptr);
    auto profile = tiers.profile();
    if (auto* p = profile_of(profile, m.function)) {
        for (size_t i = 1; i < p->events.size(); ++i) {
            const jit::TierEvent& e = p->events[i];
            m.auto_events.push_back({ e.level, e.at_calls, e.by_back_edges, e.swapped_ns - e.queued_ns, e.compile_ns });
        }
        m.auto_reached_o3 = p->tier == jit::OptLevel::O3;
    }
    tiers.forget(handle);
    (void)engine.unload(handle);
    if (address.is_error())
        return address.release_error();
    if (!same)
        return Error::from(ErrorCode::Invalid, "tier: a call returned another result while tiers were swapped");
    if (failed.load())
        return Error::from(ErrorCode::Invalid, "tier: a compile failed");
    return {};
}

ErrorOr<TierMeasurement> measure_tiers(jit::Engine& engine, const std::string& module,
                                       std::span<const uint8_t> bitcode, const std::string& function,
                                       const std::vector<int64_t>& args, const TierMeasureOptions& options)
{
    TierMeasurement m;
    m.module = module;
    m.function = function;
    m.args = args;
    m.batches = std::max(1u, options.batches);
    TRY(measure_pinned(engine, module, bitcode, options, m));
    TRY(measure_uninstrumented(engine, module, bitcode, m));
    m.counter_overhead = m.uninstrumented_o3_ns > 0 ? m.tiers[3].ns_per_call / m.uninstrumented_o3_ns - 1 : 0;
    m.results_agree = m.uninstrumented_result == m.tiers[0].result;
    for (auto& t : m.tiers) {
        m.results_agree &= t.result == m.tiers[0].result;
        double saving = m.tiers[0].ns_per_call - t.ns_per_call;
        t.break_even_calls = t.level != jit::OptLevel::O0 && saving > 0 ? double(t.compile_ns) / saving : -1;
    }
    TRY(measure_automatic(engine, module, bitcode, options, m));
    return m;
}

static std::string number(double value, const char* format = "%.3f")
{
    char text[64];
    snprintf(text, sizeof(text), format, value);
    return text;
}

std::string format_tier_json(const TierMeasurement& m)
{
    std::string out = "{\"module\":\"" + m.module + "\",\"function\":\"" + m.function + "\",\"args\":[";
    for (size_t i = 0; i < m.args.size(); ++i)
        out += (i ? "," : "") + std::to_string(m.args[i]);
    out += "],\"result\":" + std::to_string(m.tiers[0].result);
    out += ",\"results_agree\":" + std::string(m.results_agree ? "true" : "false");
    out += ",\"clock\":\"thread_cpu\",\"calls_per_batch\":" + std::to_string(m.calls_per_batch) + ",\"batches\":" + std::to_string(m.batches);
    out += ",\"tiers\":{";
    for (const TierTiming& t : m.tiers) {
        out += std::string(t.level == jit::OptLevel::O0 ? "" : ",") + "\"" + jit::opt_level_name(t.level) + "\":{";
        out += "\"ns_per_call\":" + number(t.ns_per_call);
        out += ",\"compile_ms\":" + number(double(t.compile_ns) / 1e6);
        out += ",\"break_even_calls\":" + (t.break_even_calls < 0 ? std::string("null") : number(t.break_even_calls, "%.0f"));
        out += "}";
    }
    out += "},\"uninstrumented_o3_ns\":" + number(m.uninstrumented_o3_ns);
    out += ",\"counter_overhead_pct\":" + number(m.counter_overhead * 100, "%.2f");
    out += ",\"automatic\":{\"reached_o3\":" + std::string(m.auto_reached_o3 ? "true" : "false");
    out += ",\"calls\":" + std::to_string(m.auto_calls) + ",\"swaps\":[";
    for (size_t i = 0; i < m.auto_events.size(); ++i) {
        const AutoEvent& e = m.auto_events[i];
        out += std::string(i ? "," : "") + "{\"level\":\"" + jit::opt_level_name(e.level) + "\"";
        out += ",\"at_calls\":" + std::to_string(e.at_calls);
        out += ",\"by_back_edges\":" + std::string(e.by_back_edges ? "true" : "false");
        out += ",\"swap_latency_us\":" + number(double(e.swap_latency_ns) / 1e3, "%.1f");
        out += ",\"compile_ms\":" + number(double(e.compile_ns) / 1e6) + "}";
    }
    return out + "]}}\n";
}

std::string format_tier_table(const TierMeasurement& m)
{
    std::string out;
    char line[256];
    snprintf(line, sizeof(line), "%s in %s: result %" PRId64 " at every tier: %s; %" PRIu64 " calls x %u batches\n",
             m.function.c_str(), m.module.c_str(), m.tiers[0].result, m.results_agree ? "yes" : "NO",
             m.calls_per_batch, m.batches);
    out += line;
    snprintf(line, sizeof(line), "%-5s %14s %12s %16s\n", "tier", "ns/call", "compile ms", "break-even calls");
    out += line;
    for (const TierTiming& t : m.tiers) {
        snprintf(line, sizeof(line), "%-5s %14.1f %12.3f %16s\n", jit::opt_level_name(t.level), t.ns_per_call,
                 double(t.compile_ns) / 1e6, t.break_even_calls < 0 ? "-" : number(t.break_even_calls, "%.0f").c_str());
        out += line;
    }
    snprintf(line, sizeof(line), "uninstrumented O3: %.1f ns/call; counter overhead at O3: %+.2f%%\n",
             m.uninstrumented_o3_ns, m.counter_overhead * 100);
    out += line;
    snprintf(line, sizeof(line), "automatic: %s after %" PRIu64 " calls\n", m.auto_reached_o3 ? "O3" : "not at O3",
             m.auto_calls);
    out += line;
    for (const AutoEvent& e : m.auto_events) {
        snprintf(line, sizeof(line), "  %s queued at call %" PRIu64 "%s, swapped %.1f us later (compile %.3f ms)\n",
                 jit::opt_level_name(e.level), e.at_calls, e.by_back_edges ? " (loop back-edges)" : "",
                 double(e.swap_latency_ns) / 1e3, double(e.compile_ns) / 1e6);
        out += line;
    }
    return out;
}

} // namespace fluid::host
