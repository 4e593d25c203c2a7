// What the platform gives the JIT when it runs as a Linux program: a clock,
// the module API over stdio and malloc, the host CPU, and file reading.
#pragma once

#include "jit/Engine.h"
#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <vector>

namespace fluid::host {

uint64_t now_ns();

// The CPU LLVM detects, the runtime helpers and the module API.
ErrorOr<jit::EngineConfig> make_engine_config();

ErrorOr<std::vector<uint8_t>> read_file(const char* path);

} // namespace fluid::host
