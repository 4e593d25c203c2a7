#include "modules/bench/aot/AotRegistry.h"

// The AOT objects are compiled with -Dfluid_alloc=fluid_aot_alloc and so on
// (modules/bench/CMakeLists.txt): the kernel and fluid-host keep their own
// module API private, and a global fluid_alloc in them could clash later.
extern "C" {
#define FLUID_BENCH_WORKLOAD(name)                \
    int64_t bench_##name##_run(int64_t);          \
    int64_t bench_##name##_check(void);           \
    int64_t bench_##name##_default_n(void);
#include "modules/bench/aot/Workloads.def"
#undef FLUID_BENCH_WORKLOAD
}

namespace fluid::bench {

static const AotWorkload workloads[] = {
#define FLUID_BENCH_WORKLOAD(name) { #name, bench_##name##_run, bench_##name##_check, bench_##name##_default_n },
#include "modules/bench/aot/Workloads.def"
#undef FLUID_BENCH_WORKLOAD
};

static jit::ModuleApi bound_api;

std::span<const AotWorkload> bench_aot_workloads()
{
    return workloads;
}

const AotWorkload* bench_aot_lookup(std::string_view name)
{
    if (name.starts_with("bench_"))
        name.remove_prefix(6);
    for (const AotWorkload& workload : workloads)
        if (name == workload.name)
            return &workload;
    return nullptr;
}

void bench_aot_bind(const jit::ModuleApi& api)
{
    bound_api = api;
}

} // namespace fluid::bench

using fluid::bench::bound_api;

extern "C" {

void fluid_aot_print(const char* text)
{
    if (bound_api.print)
        bound_api.print(text);
}

void fluid_aot_print_i64(int64_t value)
{
    if (bound_api.print_i64)
        bound_api.print_i64(value);
}

uint64_t fluid_aot_now_ns(void)
{
    return bound_api.now_ns ? bound_api.now_ns() : 0;
}

void* fluid_aot_alloc(size_t size)
{
    return bound_api.alloc ? bound_api.alloc(size) : nullptr;
}

void fluid_aot_free(void* pointer)
{
    if (bound_api.free)
        bound_api.free(pointer);
}

} // extern "C"
