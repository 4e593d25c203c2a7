// The benchmark workloads compiled ahead of time (clang-19 -O3) and linked
// into the kernel and fluid-host: the AOT baseline the JIT tiers are
// measured against. The sources are the same modules/bench/bench_*.c the
// JIT loads as bitcode (modules/bench/CMakeLists.txt builds both).
#pragma once

#include "jit/ModuleApi.h"

#include <cstdint>
#include <span>
#include <string_view>

namespace fluid::bench {

struct AotWorkload {
    const char* name; // "sha256" for bench_sha256.c
    int64_t (*run)(int64_t n);
    int64_t (*check)();
    int64_t (*default_n)();
};

// Every workload linked in, in the suite's order.
std::span<const AotWorkload> bench_aot_workloads();

// The workload called `name` ("sha256" or "bench_sha256"), or null.
const AotWorkload* bench_aot_lookup(std::string_view name);

// The AOT code calls fluid_alloc, fluid_print, ... like a module does.
// They go to the implementations given here, which should be the ones the
// JIT exports, so both sides allocate and print the same way. Until this
// is called they fail (fluid_alloc returns null).
void bench_aot_bind(const jit::ModuleApi&);

} // namespace fluid::bench
