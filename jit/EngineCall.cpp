// Engine::call: from an address to a typed call. Kept apart because it is
// the one place that turns an integer into a function pointer.
#include "jit/Engine.h"

namespace fluid::jit {

// UBSan's -fsanitize=function check reads a signature word in front of the
// callee, which JIT-compiled code does not have (and the word may lie on an
// unmapped page).
[[clang::no_sanitize("function")]] static int64_t invoke(uint64_t address, std::span<const int64_t> a)
{
    using F0 = int64_t();
    using F1 = int64_t(int64_t);
    using F2 = int64_t(int64_t, int64_t);
    using F3 = int64_t(int64_t, int64_t, int64_t);
    using F4 = int64_t(int64_t, int64_t, int64_t, int64_t);
    using F5 = int64_t(int64_t, int64_t, int64_t, int64_t, int64_t);
    using F6 = int64_t(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
    switch (a.size()) {
    case 0: return reinterpret_cast<F0*>(address)();
    case 1: return reinterpret_cast<F1*>(address)(a[0]);
    case 2: return reinterpret_cast<F2*>(address)(a[0], a[1]);
    case 3: return reinterpret_cast<F3*>(address)(a[0], a[1], a[2]);
    case 4: return reinterpret_cast<F4*>(address)(a[0], a[1], a[2], a[3]);
    case 5: return reinterpret_cast<F5*>(address)(a[0], a[1], a[2], a[3], a[4]);
    case 6: return reinterpret_cast<F6*>(address)(a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    __builtin_trap();
}

ErrorOr<int64_t> Engine::call(ModuleHandle handle, std::string_view name, std::span<const int64_t> args)
{
    const ModuleInfo* info = module_info(handle);
    if (!info)
        return Error::format(ErrorCode::NotFound, "jit: no module with handle %u", handle.id);
    for (const auto& function : info->functions) {
        if (function.name != name)
            continue;
        if (!function.callable)
            return Error::format(ErrorCode::Unsupported, "module %s: '%s' is not int64_t(int64_t...) with at most %zu arguments",
                                 info->name.c_str(), function.name.c_str(), max_call_arguments);
        if (args.size() != function.arity)
            return Error::format(ErrorCode::Invalid, "module %s: '%s' takes %u arguments, %zu given", info->name.c_str(),
                                 function.name.c_str(), function.arity, args.size());
        return invoke(function.address, args);
    }
    return Error::format(ErrorCode::NotFound, "module %s: no function '%.*s'", info->name.c_str(),
                         static_cast<int>(name.size()), name.data());
}

} // namespace fluid::jit
