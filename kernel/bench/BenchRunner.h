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
// Portable (kernel and host): the platform gives the engine and a clock.
// Tiering will add a fourth way to run (O0 swapped for O3 while running)
// and fill WorkloadResult::swapped_after_calls.
#pragma once

#include "jit/Engine.h"
#include "kernel/bench/BenchResult.h"
#include "kernel/bench/Workload.h"

#include <cstdint>

namespace fluid::bench {

class BenchRunner {
public:
    struct Options {
        unsigned iterations { 5 };
        int64_t n { 0 }; // 0: the workload's default_n(), or 1 without one
    };

    BenchRunner(jit::Engine& engine, uint64_t (*now_ns)(), Options options)
        : m_engine(engine)
        , m_now_ns(now_ns)
        , m_options(options)
    {
    }

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

    jit::Engine& m_engine;
    uint64_t (*m_now_ns)();
    Options m_options;
};

} // namespace fluid::bench
