#include "jit/OptLevel.h"

namespace fluid::jit {

const char* opt_level_name(OptLevel level)
{
    switch (level) {
    case OptLevel::O0: return "O0";
    case OptLevel::O1: return "O1";
    case OptLevel::O2: return "O2";
    case OptLevel::O3: return "O3";
    }
    return "O?";
}

std::optional<OptLevel> parse_opt_level(std::string_view text)
{
    if (text.size() == 2 && (text[0] == 'O' || text[0] == 'o'))
        text.remove_prefix(1);
    if (text.size() != 1 || text[0] < '0' || text[0] > '3')
        return std::nullopt;
    return static_cast<OptLevel>(text[0] - '0');
}

} // namespace fluid::jit
