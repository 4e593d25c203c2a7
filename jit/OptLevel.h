// The optimisation levels a module can be compiled at. Tier 0 is O0; hot
// functions are recompiled at O3 (see "Tiering" in the design brief).
#pragma once

#include <optional>
#include <string_view>

namespace fluid::jit {

enum class OptLevel : unsigned char {
    O0 = 0,
    O1 = 1,
    O2 = 2,
    O3 = 3,
};

// "O0".."O3".
const char* opt_level_name(OptLevel);

// Accepts "0".."3" and "O0".."O3" (also lower-case "o").
std::optional<OptLevel> parse_opt_level(std::string_view);

} // namespace fluid::jit
