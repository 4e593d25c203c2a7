#include "kernel/bench/BenchArguments.h"

#include "kernel/bench/Workload.h"

namespace fluid::bench {

static bool parse_positive(std::string_view text, uint64_t limit, uint64_t* out)
{
    if (text.empty() || text.size() > 12)
        return false;
    uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (value == 0 || value > limit)
        return false;
    *out = value;
    return true;
}

ErrorOr<BenchArguments> parse_bench_arguments(std::span<const std::string_view> arguments)
{
    BenchArguments parsed;
    for (size_t i = 0; i < arguments.size(); ++i) {
        std::string_view argument = arguments[i];
        if (argument == "--json") {
            parsed.json = true;
        } else if (argument == "--iterations" || argument == "--n") {
            uint64_t value = 0;
            bool iterations = argument == "--iterations";
            if (i + 1 >= arguments.size() || !parse_positive(arguments[i + 1], iterations ? 100000 : (1ull << 40), &value))
                return Error::format(ErrorCode::Invalid, "%.*s needs a positive number", int(argument.size()),
                                     argument.data());
            if (iterations)
                parsed.iterations = static_cast<unsigned>(value);
            else
                parsed.n = static_cast<int64_t>(value);
            ++i;
        } else if (argument == "--tier-seconds") {
            // 0 is allowed here: it turns the tiered way off.
            uint64_t value = 0;
            bool zero = i + 1 < arguments.size() && arguments[i + 1] == "0";
            if (!zero && (i + 1 >= arguments.size() || !parse_positive(arguments[i + 1], 3600, &value)))
                return Error::from(ErrorCode::Invalid, "--tier-seconds needs a number of seconds (0..3600)");
            parsed.tier_seconds = static_cast<unsigned>(value);
            ++i;
        } else if (argument.starts_with("-")) {
            return Error::format(ErrorCode::Invalid, "unknown option '%.*s'", int(argument.size()), argument.data());
        } else {
            parsed.names.emplace_back(argument);
        }
    }
    return parsed;
}

bool BenchArguments::selects(std::string_view workload) const
{
    if (names.empty())
        return true;
    for (const std::string& name : names) {
        std::string normalised = workload_name_from_module(name);
        if (name == workload || normalised == workload)
            return true;
    }
    return false;
}

} // namespace fluid::bench
