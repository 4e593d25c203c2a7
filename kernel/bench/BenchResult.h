// What the benchmark suite measured for one workload: one TierResult per
// way the code ran (JIT at O0, JIT at O3, AOT, and the tiered instance
// after tiering swapped it to O3), and the verdict.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace fluid::bench {

struct TierResult {
    bool present { false };     // this tier was attempted (no AOT for a module added later)
    bool check_passed { false };
    bool timed { false };       // median_ns is a result: the check passed and every run returned
    int64_t checksum { 0 };     // what run(n) returned (the same on every call)
    uint64_t median_ns { 0 };   // per call, median of the timed repetitions
    uint64_t compile_ns { 0 };  // JIT tiers: optimise + codegen + link
    std::string error;          // why the tier failed, if it did
};

struct WorkloadResult {
    std::string name;           // "sha256"
    int64_t n { 0 };            // the argument of every run(n)
    unsigned iterations { 0 };  // timed calls per tier
    TierResult o0, o3, aot;
    // The tiered instance (jit::TierManager), called until it ran at O3;
    // median_ns is the time per call after that swap ("tiered_o3_ns").
    // Not timed (but not failed) if O3 was not reached in time.
    TierResult tiered;
    // The function's call count when its O3 compile was queued (the O3
    // event), and whether loop back-edges rather than calls triggered it.
    std::optional<uint64_t> swapped_after_calls;
    bool swapped_by_back_edges { false };
    uint64_t tiered_calls { 0 };         // calls the runner made through the tiered entry
    uint64_t tier_compile_ns[4] {};      // per tier, from the function's tier events (0: none)
    std::string error;          // a failure that is not one tier's (e.g. the checksums differ)

    // Every tier that ran passed its check and agreed on the checksum.
    bool passed() const
    {
        auto ok = [](const TierResult& t) { return !t.present || (t.check_passed && t.timed && t.error.empty()); };
        bool tiered_ok = !tiered.present || (tiered.check_passed && tiered.error.empty());
        return o0.present && ok(o0) && ok(o3) && ok(aot) && tiered_ok && error.empty();
    }
};

} // namespace fluid::bench
