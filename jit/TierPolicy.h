// When functions move up the tiers. Each step names the level a function
// is recompiled at and the counts that trigger it: calls, or loop
// back-edges for a single call that runs long. The defaults are the first
// design's 100 / 1000 / 10000 calls (docs/TIERING.md discusses them
// against the measured break-even points).
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
        { OptLevel::O1, 100, 100'000 },
        { OptLevel::O2, 1000, 1'000'000 },
        { OptLevel::O3, 10000, 10'000'000 },
    };
    bool enabled { true };
};

} // namespace fluid::jit
