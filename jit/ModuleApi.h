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
    // fluid_parallel_for: body(context, b, e) over chunks of [begin, end)
    // on every core, the caller included; returns when all are done.
    void (*parallel_for)(size_t begin, size_t end, size_t grain,
                         void (*body)(void* context, size_t b, size_t e), void* context) = nullptr;
    uint32_t (*cpu_count)() = nullptr;              // fluid_cpu_count
    // __fluid_jit_hot: called by tier-instrumented code when a function
    // crosses its next threshold (jit/TierInstrumenter.h). Not in module.h.
    void (*jit_hot)(uint64_t function_id) = nullptr;
};

} // namespace fluid::jit
