// The tier profile a boot saves and the next boot reads: which functions
// got hot and the tier they ended at (docs/TIERING.md, "Profile format").
//
//   {"format":"fluid-profile","version":1,
//    "functions":[{"module":"fib","function":"fib","calls":69750,"tier":"O3"}, ...]}
//
// Only functions above O0 are written. Parsing is strict: a truncated or
// foreign file is an error naming what is wrong, never a partial profile.
#pragma once

#include "jit/OptLevel.h"
#include "jit/TierManager.h"
#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fluid::jit {

struct SavedFunction {
    std::string module;
    std::string function;
    uint64_t calls { 0 };
    OptLevel tier { OptLevel::O0 };
};

std::string serialize_profile(const std::vector<TierFunctionProfile>&);
ErrorOr<std::vector<SavedFunction>> parse_profile(std::string_view json);

} // namespace fluid::jit
