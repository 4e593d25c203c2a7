// Runs one benchmark workload at every tier and measures it:
//
//   JIT O0   a fresh instance compiled at O0: check(), then run(n) timed
//   JIT O3   a fresh instance compiled at O3: the same
//   AOT      the workload compiled by clang -O3 into the platform: the same
//
// Each tier's check() must return 1 before its run(n) is timed; a tier
// whose check fails is reported with no timing. run(n) must return the
// same checksum on every call and at every tier. Timing: one warm-up call,
// then `iterations` calls timed one by one with the platform's clock; the
// median is reported.
//
//   tiered   the workload's tiered instance (Workload::tiered, loaded by
//            the platform's jit::TierManager): check(), then run(n) called
//            until tiering has swapped run to O3 (compile_pending between
//            calls where nobody else compiles), then timed like the others
//
// Portable (kernel and host): the platform gives the engine, a clock and,
// for the tiered way, its TierManager.
#pragma once

#include "jit/Engine.h"
#include "jit/TierManager.h"
#include "kernel/bench/BenchResult.h"
#include "kernel/bench/Workload.h"

#include <cstdint>
#include <functional>

namespace fluid::bench {

class BenchRunner {
public:
    struct Options {
        unsigned iterations { 5 };
        int64_t n { 0 }; // 0: the workload's default_n(), or 1 without one
    };

    struct Tiering {
        jit::TierManager* tiers { nullptr };
        // Compiles what is queued, for a platform with no compiler running
        // (the kernel shell on one CPU); may be empty.
        std::function<void()> compile_pending;
        // Stop calling if run() is not at O3 after this long; 0: do not
        // run the tiered way at all.
        uint64_t limit_ns { 20'000'000'000 };
    };

    BenchRunner(jit::Engine& engine, uint64_t (*now_ns)(), Options options)
        : m_engine(engine)
        , m_now_ns(now_ns)
        , m_options(options)
    {
    }

    void set_tiering(Tiering tiering) { m_tiering = std::move(tiering); }

    WorkloadResult run(const Workload&);

private:
    struct EntryPoints {
        int64_t (*run)(int64_t) { nullptr };
        int64_t (*check)() { nullptr };
        int64_t (*default_n)() { nullptr };
    };

    TierResult run_jit_tier(const Workload&, jit::OptLevel, int64_t* n);
    TierResult run_entry_points(const EntryPoints&, int64_t n);
    int64_t choose_n(const EntryPoints&) const;
    void run_tiered(const Workload&, int64_t n, WorkloadResult&);
    bool climb_to_o3(const Workload&, const EntryPoints&, int64_t n, WorkloadResult&);

    jit::Engine& m_engine;
    uint64_t (*m_now_ns)();
    Options m_options;
    Tiering m_tiering;
};

} // namespace fluid::bench
