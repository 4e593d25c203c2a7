// EngineConfig::checkpoint (a compile stops when the platform says so: the
// kernel's memory reserve) and Engine::check_bitcode with
// EngineConfig::contain (a crash in LLVM's reader becomes an error).
#include "JitTestSupport.h"

#include <gtest/gtest.h>

#include <string>

namespace fluid::jit {
namespace {

int checkpoints_seen;
int fail_at; // 0: never

ErrorOr<void> counting_checkpoint()
{
    if (++checkpoints_seen == fail_at)
        return Error::from(ErrorCode::NoMemory, "out of memory (test)");
    return {};
}

std::unique_ptr<Engine> engine_with_checkpoint()
{
    EngineConfig config = test::make_config();
    config.checkpoint = counting_checkpoint;
    auto engine = Engine::create(std::move(config));
    EXPECT_FALSE(engine.is_error());
    return engine.is_error() ? nullptr : std::move(engine.value());
}

TEST(EngineCheckpoint, EveryStageCanStopTheLoadAndNothingIsKept)
{
    auto engine = engine_with_checkpoint();
    ASSERT_TRUE(engine);
    auto bitcode = test::read_module("fib");
    // Parsed, optimised, compiled: three checkpoints in a load.
    fail_at = 0;
    checkpoints_seen = 0;
    ASSERT_FALSE(engine->load_module("fib", bitcode, OptLevel::O2).is_error());
    EXPECT_EQ(checkpoints_seen, 3);
    size_t modules_before = engine->modules().size();
    for (int stage = 1; stage <= 3; ++stage) {
        checkpoints_seen = 0;
        fail_at = stage;
        auto failed = engine->load_module("fib", bitcode, OptLevel::O2);
        ASSERT_TRUE(failed.is_error()) << "stage " << stage;
        EXPECT_EQ(failed.error().code(), ErrorCode::NoMemory);
        EXPECT_STREQ(failed.error().message(), "module fib: out of memory (test)");
        EXPECT_EQ(engine->modules().size(), modules_before) << "stage " << stage;
    }
    fail_at = 0;
    auto fib = engine->load_module("fib", bitcode, OptLevel::O2);
    ASSERT_FALSE(fib.is_error());
    int64_t n = 20;
    auto value = engine->call(fib.value(), "fib", { &n, 1 });
    ASSERT_FALSE(value.is_error());
    EXPECT_EQ(value.value(), 6765);
}

TEST(EngineCheckBitcode, SaysWhatLoadModuleWouldAboutTheBytes)
{
    auto engine = test::make_engine();
    EXPECT_FALSE(engine->check_bitcode("fib", test::read_module("fib")).is_error());
    auto truncated = test::read_module("fib");
    truncated.resize(truncated.size() / 2);
    auto checked = engine->check_bitcode("half", truncated);
    auto loaded = engine->load_module("half", truncated, OptLevel::O0);
    ASSERT_TRUE(checked.is_error());
    ASSERT_TRUE(loaded.is_error());
    EXPECT_STREQ(checked.error().message(), loaded.error().message());
    auto undefined = engine->check_bitcode("bad", test::read_test_module("undefined"));
    ASSERT_TRUE(undefined.is_error());
    EXPECT_NE(std::string(undefined.error().message()).find("printf"), std::string::npos);
    EXPECT_TRUE(engine->modules().empty()) << "check_bitcode keeps nothing";
}

// A platform whose containment reports a crash: the reader "crashed".
bool crashing_contain(void (*)(void*), void*, char* what, size_t size)
{
    snprintf(what, size, "page fault at llvm::reader+0x1c, address 0x10");
    return false;
}

int contained_runs;
bool passing_contain(void (*function)(void*), void* context, char*, size_t)
{
    ++contained_runs;
    function(context);
    return true;
}

TEST(EngineCheckBitcode, ACrashInsideContainmentIsAnError)
{
    EngineConfig config = test::make_config();
    config.contain = crashing_contain;
    auto engine = Engine::create(std::move(config));
    ASSERT_FALSE(engine.is_error());
    auto checked = engine.value()->check_bitcode("fib", test::read_module("fib"));
    ASSERT_TRUE(checked.is_error());
    EXPECT_EQ(checked.error().code(), ErrorCode::Invalid);
    EXPECT_STREQ(checked.error().message(),
                 "module fib: corrupt bitcode, LLVM's reader failed: page fault at llvm::reader+0x1c, address 0x10");

    EngineConfig passing = test::make_config();
    passing.contain = passing_contain;
    auto other = Engine::create(std::move(passing));
    ASSERT_FALSE(other.is_error());
    contained_runs = 0;
    EXPECT_FALSE(other.value()->check_bitcode("fib", test::read_module("fib")).is_error());
    EXPECT_EQ(contained_runs, 1) << "the reader ran under the platform's containment";
}

} // namespace
} // namespace fluid::jit
