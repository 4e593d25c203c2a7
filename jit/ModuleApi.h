// The kernel API a module may call, as the platform implements it. Each
// pointer becomes one symbol of modules/include/fluid/module.h in the export
// table (ExportTable::add_module_api). Plain function pointers, no virtual
// interface: the module calls them directly with the C calling convention,
// and there is no context pointer to thread through JIT-compiled code.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::jit {

struct ModuleApi {
    void (*print)(const char* text) = nullptr;      // fluid_print
    void (*print_i64)(int64_t value) = nullptr;     // fluid_print_i64
    uint64_t (*now_ns)() = nullptr;                 // fluid_now_ns
    void* (*alloc)(size_t size) = nullptr;          // fluid_alloc, 16-byte aligned
    void (*free)(void* pointer) = nullptr;          // fluid_free
};

} // namespace fluid::jit
