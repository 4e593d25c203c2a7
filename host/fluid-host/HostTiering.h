// Tiering on the host: where tier-0 code's __fluid_jit_hot calls go, and
// the measurements behind `fluid-host jit tier` (docs/TIERING-MEASUREMENTS.md).
#pragma once

#include "jit/Engine.h"
#include "jit/TierManager.h"
#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace fluid::host {

// Exports __fluid_jit_hot, forwarding to the manager set below (the
// module API over plain function pointers has no context to carry it).
ErrorOr<void> add_jit_hot_export(jit::EngineConfig&);
void set_hot_target(jit::TierManager*);

struct TierTiming {
    jit::OptLevel level { jit::OptLevel::O0 };
    double ns_per_call { 0 };     // median of the batches
    uint64_t compile_ns { 0 };    // O0: the whole module's tier-0 compile; else this function's version
    double break_even_calls { -1 }; // compile_ns / (t_O0 - t_tier); < 0 if this tier saves nothing
    int64_t result { 0 };
};

struct AutoEvent {
    jit::OptLevel level { jit::OptLevel::O0 };
    uint64_t at_calls { 0 };
    bool by_back_edges { false };
    uint64_t swap_latency_ns { 0 }; // swapped_ns - queued_ns
    uint64_t compile_ns { 0 };
};

struct TierMeasurement {
    std::string module, function;
    std::vector<int64_t> args;
    uint64_t calls_per_batch { 0 };
    unsigned batches { 0 };
    TierTiming tiers[4];
    double uninstrumented_o3_ns { 0 };
    int64_t uninstrumented_result { 0 };
    double counter_overhead { 0 };  // instrumented O3 / uninstrumented O3 - 1
    bool results_agree { false };
    // The automatic path: a compiler thread drains the queue while the
    // main thread calls.
    uint64_t auto_calls { 0 };       // calls made until O3 (or the limit)
    bool auto_reached_o3 { false };
    std::vector<AutoEvent> auto_events; // O1, O2, O3 as they happened
};

struct TierMeasureOptions {
    uint64_t calls { 0 };   // per batch; 0: enough for ~20 ms at O0
    unsigned batches { 5 };
    uint64_t auto_time_limit_ns { 30'000'000'000 };
};

ErrorOr<TierMeasurement> measure_tiers(jit::Engine&, const std::string& module, std::span<const uint8_t> bitcode,
                                       const std::string& function, const std::vector<int64_t>& args,
                                       const TierMeasureOptions&);

std::string format_tier_json(const TierMeasurement&);
std::string format_tier_table(const TierMeasurement&);

} // namespace fluid::host
