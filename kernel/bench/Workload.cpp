#include "kernel/bench/Workload.h"

namespace fluid::bench {

std::string workload_name_from_module(std::string_view name)
{
    if (auto slash = name.rfind('/'); slash != std::string_view::npos)
        name.remove_prefix(slash + 1);
    if (name.ends_with(".bc"))
        name.remove_suffix(3);
    if (!name.starts_with("bench_") || name.size() == 6)
        return {};
    return std::string(name.substr(6));
}

} // namespace fluid::bench
