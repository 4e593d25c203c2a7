// One workload of the benchmark suite as the runner sees it: a module's
// bitcode plus, when the workload is linked in, its AOT twin. The module
// exports bench_NAME_run(n), bench_NAME_check() and, optionally,
// bench_NAME_default_n() (docs/MODULES.md).
#pragma once

#include "jit/ModuleInfo.h"
#include "modules/bench/aot/AotRegistry.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fluid::bench {

struct Workload {
    std::string name;                  // "sha256"
    std::span<const uint8_t> bitcode;  // bench_sha256.bc; read only during BenchRunner::run
    const AotWorkload* aot { nullptr };
    // The instance jit::TierManager loaded as module "bench_NAME" (id 0:
    // none). The runner calls it until it is promoted to O3.
    jit::ModuleHandle tiered {};
};

// "bench_sha256" or "bench_sha256.bc" (any directory) -> "sha256"; empty if
// the name does not follow the suite's convention.
std::string workload_name_from_module(std::string_view module_or_path);

} // namespace fluid::bench
