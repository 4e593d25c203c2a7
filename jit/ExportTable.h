// The only symbols a module can reach: name -> address. The engine turns the
// table into absolute symbols in a "kernel" JITDylib that every module links
// against; there is no process-wide symbol search (no dlsym), so a module
// that names anything else fails to load, and the error names the symbol.
#pragma once

#include "jit/ModuleApi.h"
#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace fluid::jit {

class ExportTable {
public:
    using Map = std::map<std::string, uintptr_t, std::less<>>;

    // Exists if the name is taken, Invalid if the address is null.
    ErrorOr<void> add(std::string_view name, const void* address);

    // memcpy/memset/memmove/memcmp/bcmp and the compiler-rt builtins that
    // LLVM's code generator calls on its own (__udivti3 for a 128-bit
    // division, __fixunsdfti for a double -> unsigned __int128, ...), taken
    // from whatever the platform links: libc and libclang_rt.builtins.
    // Names already in the table are kept, so a platform can override one.
    ErrorOr<void> add_runtime_helpers();

    // fluid_print, fluid_now_ns, ... (modules/include/fluid/module.h). Null
    // entries are left out, so a module using them fails to load.
    ErrorOr<void> add_module_api(const ModuleApi&);

    // sqrt, expf, logf, powf, tanhf, ... (jit/MathExports.cpp).
    ErrorOr<void> add_math();

    // What every platform exports: the module API, then the runtime helpers
    // and the math functions. The kernel and fluid-host both call this, so
    // a module links the same way in either.
    ErrorOr<void> add_kernel_api(const ModuleApi&);

    bool contains(std::string_view name) const { return m_symbols.find(name) != m_symbols.end(); }
    uintptr_t find(std::string_view name) const;
    size_t size() const { return m_symbols.size(); }
    const Map& symbols() const { return m_symbols; }

private:
    struct NamedAddress {
        const char* name;
        const void* address;
    };
    // Adds the entries whose names are not in the table yet.
    ErrorOr<void> add_missing(std::span<const NamedAddress>);

    Map m_symbols;
};

} // namespace fluid::jit
