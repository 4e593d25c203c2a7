#include "jit/ExportTable.h"

namespace fluid::jit {

ErrorOr<void> ExportTable::add(std::string_view name, const void* address)
{
    if (address == nullptr)
        return Error::format(ErrorCode::Invalid, "export table: '%.*s' has a null address",
                             static_cast<int>(name.size()), name.data());
    auto [it, inserted] = m_symbols.emplace(std::string(name), reinterpret_cast<uintptr_t>(address));
    if (!inserted)
        return Error::format(ErrorCode::Exists, "export table: '%.*s' is already exported",
                             static_cast<int>(name.size()), name.data());
    return {};
}

uintptr_t ExportTable::find(std::string_view name) const
{
    auto it = m_symbols.find(name);
    return it == m_symbols.end() ? 0 : it->second;
}

ErrorOr<void> ExportTable::add_module_api(const ModuleApi& api)
{
    const NamedAddress entries[] = {
        { "fluid_print", reinterpret_cast<const void*>(api.print) },
        { "fluid_print_i64", reinterpret_cast<const void*>(api.print_i64) },
        { "fluid_now_ns", reinterpret_cast<const void*>(api.now_ns) },
        { "fluid_alloc", reinterpret_cast<const void*>(api.alloc) },
        { "fluid_free", reinterpret_cast<const void*>(api.free) },
        { "fluid_parallel_for", reinterpret_cast<const void*>(api.parallel_for) },
        { "fluid_cpu_count", reinterpret_cast<const void*>(api.cpu_count) },
        { "__fluid_jit_hot", reinterpret_cast<const void*>(api.jit_hot) },
    };
    for (const auto& entry : entries) {
        if (entry.address != nullptr)
            TRY(add(entry.name, entry.address));
    }
    return {};
}

ErrorOr<void> ExportTable::add_missing(std::span<const NamedAddress> entries)
{
    for (const NamedAddress& entry : entries) {
        if (!contains(entry.name))
            TRY(add(entry.name, entry.address));
    }
    return {};
}

ErrorOr<void> ExportTable::add_kernel_api(const ModuleApi& api)
{
    TRY(add_module_api(api));
    TRY(add_runtime_helpers());
    return add_math();
}

} // namespace fluid::jit
