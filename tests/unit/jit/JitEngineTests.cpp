// The engine's basic contract: modules compile at every level, are called
// with int64_t arguments, can be loaded twice and unloaded, and reach the
// platform only through the export table.
#include "jit/Engine.h"
#include "jit/LlvmTarget.h"
#include "tests/unit/jit/JitTestSupport.h"

#include <gtest/gtest.h>

#include <cstring>

namespace fluid::jit {
namespace {

constexpr OptLevel all_levels[] = { OptLevel::O0, OptLevel::O1, OptLevel::O2, OptLevel::O3 };

int64_t call_or_fail(Engine& engine, ModuleHandle handle, const char* function, std::vector<int64_t> args)
{
    auto result = engine.call(handle, function, args);
    if (result.is_error()) {
        ADD_FAILURE() << result.error().message();
        return INT64_MIN;
    }
    return *result;
}

TEST(JitEngine, FibIs832040AtEveryOptLevel)
{
    auto engine = test::make_engine();
    ASSERT_TRUE(engine);
    auto bitcode = test::read_module("fib");
    for (OptLevel level : all_levels) {
        auto handle = engine->load_module("fib", bitcode, level);
        ASSERT_FALSE(handle.is_error()) << opt_level_name(level) << ": " << handle.error().message();
        EXPECT_EQ(call_or_fail(*engine, *handle, "fib", { 30 }), 832040) << opt_level_name(level);

        const ModuleInfo* info = engine->module_info(*handle);
        ASSERT_NE(info, nullptr);
        EXPECT_EQ(info->opt, level);
        EXPECT_EQ(info->name, "fib");
        EXPECT_GT(info->codegen_ns, 0u);
        EXPECT_GT(info->object_bytes, 0u);
    }
    EXPECT_EQ(engine->modules().size(), 4u);
}

TEST(JitEngine, SameModuleLoadsTwiceAndUnloadsIndependently)
{
    auto engine = test::make_engine();
    ASSERT_TRUE(engine);
    auto bitcode = test::read_module("fib");
    auto slow = engine->load_module("fib", bitcode, OptLevel::O0);
    auto fast = engine->load_module("fib", bitcode, OptLevel::O3);
    ASSERT_FALSE(slow.is_error());
    ASSERT_FALSE(fast.is_error());
    EXPECT_NE(slow->id, fast->id);
    EXPECT_NE(*engine->lookup(*slow, "fib"), *engine->lookup(*fast, "fib"));

    ASSERT_FALSE(engine->unload(*slow).is_error());
    EXPECT_EQ(engine->module_info(*slow), nullptr);
    EXPECT_EQ(engine->call(*slow, "fib", std::vector<int64_t> { 10 }).error().code(), ErrorCode::NotFound);
    EXPECT_EQ(call_or_fail(*engine, *fast, "fib", { 20 }), 6765);
    EXPECT_TRUE(engine->unload(*slow).is_error());
}

TEST(JitEngine, ModulesReachTheKernelApi)
{
    auto engine = test::make_engine();
    ASSERT_TRUE(engine);
    auto handle = engine->load_module("wide", test::read_module("wide"), OptLevel::O2);
    ASSERT_FALSE(handle.is_error()) << handle.error().message();
    test::observed().printed.clear();
    EXPECT_EQ(call_or_fail(*engine, *handle, "hello", {}), 20);
    EXPECT_EQ(test::observed().printed, "hello from a module\n42");
}

TEST(JitEngine, CallChecksNameAndSignature)
{
    auto engine = test::make_engine();
    ASSERT_TRUE(engine);
    auto handle = engine->load_module("fib", test::read_module("fib"), OptLevel::O0);
    ASSERT_FALSE(handle.is_error());

    auto missing = engine->call(*handle, "fob", std::vector<int64_t> { 1 });
    ASSERT_TRUE(missing.is_error());
    EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);
    EXPECT_STREQ(missing.error().message(), "module fib: no function 'fob'");

    auto arity = engine->call(*handle, "fib", std::vector<int64_t> { 1, 2 });
    ASSERT_TRUE(arity.is_error());
    EXPECT_STREQ(arity.error().message(), "module fib: 'fib' takes 1 arguments, 2 given");

    // The engine only calls int64_t(int64_t...) functions; others are
    // reachable through lookup().
    auto matmul = engine->load_module("matmul", test::read_module("matmul"), OptLevel::O0);
    ASSERT_FALSE(matmul.is_error());
    EXPECT_TRUE(engine->lookup(*matmul, "matmul").value() != 0);
    EXPECT_TRUE(engine->lookup(*matmul, "fill").is_error());  // static: not exported
}

TEST(JitEngine, ReportsTargetAndStartup)
{
    auto engine = test::make_engine();
    ASSERT_TRUE(engine);
    EXPECT_EQ(engine->cpu().triple(), TargetCpu::default_triple);
    EXPECT_FALSE(engine->cpu().name().empty());
    EXPECT_GT(engine->startup_ns(), 0u);
    EXPECT_EQ(strncmp(llvm_version(), "19.", 3), 0);
}

TEST(JitEngine, BaselineCpuWorksToo)
{
    // What the kernel gets on QEMU's default CPU: plain x86-64, SSE2 only.
    EngineConfig config = test::make_config();
    config.cpu = TargetCpu();
    auto engine = Engine::create(std::move(config));
    ASSERT_FALSE(engine.is_error()) << engine.error().message();
    auto handle = (*engine)->load_module("matmul", test::read_module("matmul"), OptLevel::O3);
    ASSERT_FALSE(handle.is_error()) << handle.error().message();
    EXPECT_GT(call_or_fail(**engine, *handle, "matmul", { 8, 1 }), 0);
}

TEST(JitExportTable, RejectsDuplicatesAndNulls)
{
    ExportTable table;
    int anchor = 0;
    EXPECT_FALSE(table.add("x", &anchor).is_error());
    EXPECT_EQ(table.add("x", &anchor).error().code(), ErrorCode::Exists);
    EXPECT_EQ(table.add("y", nullptr).error().code(), ErrorCode::Invalid);
    EXPECT_EQ(table.find("x"), reinterpret_cast<uintptr_t>(&anchor));
    EXPECT_EQ(table.find("z"), 0u);
}

TEST(JitExportTable, RuntimeHelpersKeepPlatformOverrides)
{
    ExportTable table;
    int anchor = 0;
    ASSERT_FALSE(table.add("memcpy", &anchor).is_error());
    ASSERT_FALSE(table.add_runtime_helpers().is_error());
    EXPECT_EQ(table.find("memcpy"), reinterpret_cast<uintptr_t>(&anchor));
    for (const char* name : { "memset", "memmove", "__udivti3", "__umodti3", "__divti3", "__modti3" })
        EXPECT_TRUE(table.contains(name)) << name;
}

TEST(JitOptLevel, ParsesBothSpellings)
{
    EXPECT_EQ(parse_opt_level("3"), OptLevel::O3);
    EXPECT_EQ(parse_opt_level("O1"), OptLevel::O1);
    EXPECT_EQ(parse_opt_level("o0"), OptLevel::O0);
    EXPECT_FALSE(parse_opt_level("4").has_value());
    EXPECT_FALSE(parse_opt_level("").has_value());
    EXPECT_FALSE(parse_opt_level("O").has_value());
    EXPECT_STREQ(opt_level_name(OptLevel::O2), "O2");
}

} // namespace
} // namespace fluid::jit
