// What the benchmark suite measured for one workload: one TierResult per
// way the code ran (JIT at O0, JIT at O3, AOT), and the verdict.
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
    // Calls after which tiering swapped O0 for O3; empty until the engine
    // tiers on its own (O3 is compiled explicitly for now).
    std::optional<uint64_t> swapped_after_calls;
    std::string error;          // a failure that is not one tier's (e.g. the checksums differ)

    // Every tier that ran passed its check and agreed on the checksum.
    bool passed() const
    {
        auto ok = [](const TierResult& t) { return !t.present || (t.check_passed && t.timed && t.error.empty()); };
        return o0.present && ok(o0) && ok(o3) && ok(aot) && error.empty();
    }
};

} // namespace fluid::bench
