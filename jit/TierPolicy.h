// When functions move up the tiers. Each step names the level a function
// is recompiled at and the counts that trigger it: calls, or loop
// back-edges for a single call that runs long.
//
// The first design had O1, O2 and O3 at 100 / 1000 / 10000 calls. Measured
// on the twelve workloads (docs/TIERING-MEASUREMENTS.md), O1 takes nearly
// all the gain and O2 paid for itself on 3 to 5 of 12, while costing
// another compile, so the default ladder is O1 at 100 calls and O3 at
// 10000. The back-edge triggers were 100x too eager (they fired at the
// first or second call), hence 1e6 and 1e8. `tier steps` restores any
// ladder, e.g. O1:100,O2:1000,O3:10000.
#pragma once

#include "jit/OptLevel.h"

#include <cstdint>
#include <vector>

namespace fluid::jit {

struct TierStep {
    OptLevel level;
    uint64_t calls;
    uint64_t back_edges;
};

struct TierPolicy {
    std::vector<TierStep> steps {
        { OptLevel::O1, 100, 1'000'000 },
        { OptLevel::O3, 10000, 100'000'000 },
    };

    // Back-edges that trigger a step, per call of its threshold.
    static constexpr uint64_t back_edges_per_call = 10'000;

    // The first design's three-step ladder, for comparisons and tests.
    static TierPolicy three_steps()
    {
        TierPolicy policy;
        policy.steps = { { OptLevel::O1, 100, 100 * back_edges_per_call },
                         { OptLevel::O2, 1000, 1000 * back_edges_per_call },
                         { OptLevel::O3, 10000, 10000 * back_edges_per_call } };
        return policy;
    }
    bool enabled { true };
};

} // namespace fluid::jit
