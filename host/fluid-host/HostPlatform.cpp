#include "host/fluid-host/HostPlatform.h"

#include "host/fluid-host/ThreadPoolExecutor.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <thread>

namespace fluid::host {

uint64_t now_ns()
{
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<uint64_t>(now.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(now.tv_nsec);
}

static void module_print(const char* text)
{
    fputs(text, stdout);
}

static void module_print_i64(int64_t value)
{
    printf("%" PRId64, value);
}

static void* module_alloc(size_t size)
{
    // aligned_alloc wants a multiple of the alignment.
    return aligned_alloc(16, (size + 15) & ~size_t(15));
}

static void module_free(void* pointer)
{
    free(pointer);
}

// Modules fan out over one pool of all host cores, made on first use.
static ThreadPoolExecutor& module_executor()
{
    static ThreadPoolExecutor executor(std::thread::hardware_concurrency() ?: 1);
    return executor;
}

static void module_parallel_for(size_t begin, size_t end, size_t grain, ParallelBody body, void* context)
{
    module_executor().run(begin, end, grain, body, context);
}

static uint32_t module_cpu_count() { return uint32_t(module_executor().concurrency()); }

ErrorOr<jit::EngineConfig> make_engine_config()
{
    jit::EngineConfig config;
    config.cpu = jit::TargetCpu::detect_host();
    config.now_ns = now_ns;
    jit::ModuleApi api;
    api.print = module_print;
    api.print_i64 = module_print_i64;
    api.now_ns = now_ns;
    api.alloc = module_alloc;
    api.free = module_free;
    api.parallel_for = module_parallel_for;
    api.cpu_count = module_cpu_count;
    TRY(config.exports.add_kernel_api(api));
    return config;
}

ErrorOr<std::vector<uint8_t>> read_file(const char* path)
{
    FILE* file = fopen(path, "rb");
    if (!file)
        return Error::format(ErrorCode::NotFound, "%s: %s", path, strerror(errno));
    std::vector<uint8_t> bytes;
    uint8_t chunk[64 * 1024];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), file)) > 0)
        bytes.insert(bytes.end(), chunk, chunk + got);
    bool failed = ferror(file);
    fclose(file);
    if (failed)
        return Error::format(ErrorCode::IoError, "%s: read failed", path);
    return bytes;
}

} // namespace fluid::host
