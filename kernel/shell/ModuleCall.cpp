#include "kernel/shell/ModuleCall.h"

#include <cstdlib>

namespace fluid {

bool ModuleCall::parse(std::span<const std::string_view> positional)
{
    if (positional.size() < 2 || positional.size() > 2 + max_arguments)
        return false;
    module = std::string(positional[0]);
    function = std::string(positional[1]);
    arg_count = positional.size() - 2;
    for (size_t a = 0; a < arg_count; ++a) {
        std::string number(positional[2 + a]);
        char* end = nullptr;
        args[a] = strtoll(number.c_str(), &end, 0);
        if (number.empty() || *end)
            return false;
    }
    return true;
}

int64_t ModuleCall::call() const
{
    const int64_t* a = args;
    switch (arg_count) {
    case 0: return reinterpret_cast<int64_t (*)()>(entry)();
    case 1: return reinterpret_cast<int64_t (*)(int64_t)>(entry)(a[0]);
    case 2: return reinterpret_cast<int64_t (*)(int64_t, int64_t)>(entry)(a[0], a[1]);
    case 3: return reinterpret_cast<int64_t (*)(int64_t, int64_t, int64_t)>(entry)(a[0], a[1], a[2]);
    default: return reinterpret_cast<int64_t (*)(int64_t, int64_t, int64_t, int64_t)>(entry)(a[0], a[1], a[2], a[3]);
    }
}

} // namespace fluid
