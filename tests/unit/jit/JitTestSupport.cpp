#include "tests/unit/jit/JitTestSupport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace fluid::jit::test {

Observed& observed()
{
    static Observed state;
    return state;
}

static void api_print(const char* text)
{
    observed().printed += text;
}

static void api_print_i64(int64_t value)
{
    observed().printed += std::to_string(value);
}

static uint64_t api_now_ns()
{
    return static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

static void* api_alloc(size_t size)
{
    return aligned_alloc(16, (size + 15) & ~size_t(15));
}

static void api_free(void* pointer)
{
    free(pointer);
}

static void* counting_memcpy(void* destination, const void* source, size_t size)
{
    ++observed().memcpy_calls;
    return memcpy(destination, source, size);
}

static __int128 counting_divti3(__int128 a, __int128 b)
{
    ++observed().divti3_calls;
    return a / b;
}

EngineConfig make_config()
{
    EngineConfig config;
    config.cpu = TargetCpu::detect_host();
    config.now_ns = api_now_ns;
    ModuleApi api;
    api.print = api_print;
    api.print_i64 = api_print_i64;
    api.now_ns = api_now_ns;
    api.alloc = api_alloc;
    api.free = api_free;
    api.parallel_for = [](size_t begin, size_t end, size_t, void (*body)(void*, size_t, size_t), void* context) {
        if (begin < end)
            body(context, begin, end);
    };
    api.cpu_count = [] { return uint32_t(1); };
    api.jit_hot = [](uint64_t id) {
        if (TierManager* tiers = hot_target().load())
            tiers->on_hot(id);
    };
    // The counting versions go in first: add_kernel_api keeps names already there.
    EXPECT_FALSE(config.exports.add("memcpy", reinterpret_cast<const void*>(&counting_memcpy)).is_error());
    EXPECT_FALSE(config.exports.add("__divti3", reinterpret_cast<const void*>(&counting_divti3)).is_error());
    EXPECT_FALSE(config.exports.add_kernel_api(api).is_error());
    return config;
}

std::atomic<TierManager*>& hot_target()
{
    static std::atomic<TierManager*> target { nullptr };
    return target;
}

std::unique_ptr<Engine> make_engine()
{
    auto engine = Engine::create(make_config());
    if (engine.is_error()) {
        ADD_FAILURE() << engine.error().message();
        return nullptr;
    }
    return engine.release_value();
}

static std::vector<uint8_t> read_bytes(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    EXPECT_TRUE(file.good()) << "cannot open " << path;
    return { std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>() };
}

std::vector<uint8_t> read_module(const char* name)
{
    return read_bytes(std::string(FLUID_MODULES_DIR) + "/" + name + ".bc");
}

std::vector<uint8_t> read_test_module(const char* name)
{
    return read_bytes(std::string(FLUID_JIT_TEST_MODULES_DIR) + "/" + name + ".bc");
}

} // namespace fluid::jit::test
