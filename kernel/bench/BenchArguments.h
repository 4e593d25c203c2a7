// The arguments of `bench` (kernel shell) and `fluid-host bench`:
//   [names...] [--iterations N] [--n N] [--tier-seconds S] [--json]
#pragma once

#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fluid::bench {

struct BenchArguments {
    std::vector<std::string> names; // empty: every workload
    unsigned iterations { 5 };
    int64_t n { 0 };                // 0: each workload's default
    bool json { false };
    // How long the tiered way may call run() waiting for O3; 0 skips it.
    unsigned tier_seconds { 20 };
    // Accepts "sha256", "bench_sha256" and ".../bench_sha256.bc".
    bool selects(std::string_view workload) const;
};

inline constexpr const char* bench_usage = "[names...] [--iterations N] [--n N] [--tier-seconds S] [--json]";

// `arguments` excludes the command name. Unknown --options and bad numbers
// are errors (Invalid) naming the argument.
ErrorOr<BenchArguments> parse_bench_arguments(std::span<const std::string_view> arguments);

} // namespace fluid::bench
