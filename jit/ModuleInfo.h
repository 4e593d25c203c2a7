// What the engine knows about one loaded module instance: its handle, its
// functions and what compiling it cost. Returned by Engine::module_info.
#pragma once

#include "jit/OptLevel.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fluid::jit {

// Identifies one loaded instance. The same module name loaded twice (say at
// O0 and then at O3) gives two instances with different handles.
struct ModuleHandle {
    uint32_t id { 0 };
    bool operator==(const ModuleHandle&) const = default;
};

struct ExportedFunction {
    std::string name;
    uint64_t address { 0 };
    unsigned arity { 0 };
    // True when the signature is int64_t(int64_t, ...) with at most six
    // arguments, i.e. Engine::call can invoke it.
    bool callable { false };
};

struct ModuleInfo {
    ModuleHandle handle;
    std::string name;
    OptLevel opt { OptLevel::O0 };

    // Wall-clock figures from the platform clock (0 without one).
    uint64_t parse_ns { 0 };     // bitcode reader + verifier
    uint64_t optimize_ns { 0 };  // the new-PM pipeline
    uint64_t codegen_ns { 0 };   // X86 code generation + JITLink
    uint64_t compile_ns() const { return optimize_ns + codegen_ns; }

    // Facts that show what the optimiser did, independent of timing.
    uint64_t ir_instructions { 0 };  // after the pipeline
    uint64_t object_bytes { 0 };     // size of the relocatable object

    std::vector<ExportedFunction> functions;
};

} // namespace fluid::jit
