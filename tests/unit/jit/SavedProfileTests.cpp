// The saved tier profile: what one boot writes, the next reads back; bad
// files are refused whole, with the reason.
#include "jit/SavedProfile.h"
#include "tests/unit/jit/JitTestSupport.h"

#include <gtest/gtest.h>

namespace fluid::jit {
namespace {

TierFunctionProfile entry(const char* module, const char* name, uint64_t calls, OptLevel tier)
{
    return TierFunctionProfile { 1, module, name, calls, tier, false, {}, {}, {} };
}

TEST(SavedProfile, RoundTripKeepsHotFunctionsOnly)
{
    std::string text = serialize_profile({ entry("fib", "fib", 69750, OptLevel::O3), entry("fib", "cold", 3, OptLevel::O0),
                                           entry("matmul", "matmul", 150, OptLevel::O1) });
    auto parsed = parse_profile(text);
    ASSERT_FALSE(parsed.is_error()) << parsed.error().message();
    ASSERT_EQ(parsed->size(), 2u);
    EXPECT_EQ((*parsed)[0].module, "fib");
    EXPECT_EQ((*parsed)[0].function, "fib");
    EXPECT_EQ((*parsed)[0].calls, 69750u);
    EXPECT_EQ((*parsed)[0].tier, OptLevel::O3);
    EXPECT_EQ((*parsed)[1].tier, OptLevel::O1);
}

TEST(SavedProfile, BadFilesAreRefusedWithAReason)
{
    std::string good = serialize_profile({ entry("fib", "fib", 10, OptLevel::O3) });
    struct Case {
        std::string text;
        const char* expected;
    } cases[] = {
        { good.substr(0, good.size() / 2), "not JSON" },
        { "", "not JSON" },
        { "{\"functions\":[]}", "not a fluid profile" },
        { "{\"format\":\"fluid-profile\",\"version\":2,\"functions\":[]}", "unknown version" },
        { "{\"format\":\"fluid-profile\",\"version\":1}", "no \"functions\"" },
        { "{\"format\":\"fluid-profile\",\"version\":1,\"functions\":[{\"module\":\"m\",\"function\":\"f\",\"calls\":1,"
          "\"tier\":\"O9\"}]}",
          "functions[0]" },
        { "{\"format\":\"fluid-profile\",\"version\":1,\"functions\":[7]}", "functions[0]" },
    };
    for (const Case& c : cases) {
        auto parsed = parse_profile(c.text);
        ASSERT_TRUE(parsed.is_error()) << c.text;
        EXPECT_NE(std::string(parsed.error().message()).find(c.expected), std::string::npos)
            << parsed.error().message();
    }
}

TEST(SavedProfile, StartAtCompilesTheFinalTierBeforeTheFirstCall)
{
    auto engine = test::make_engine();
    ASSERT_TRUE(engine);
    TierManager tiers(*engine, TierManager::Platform {});
    test::hot_target().store(&tiers);
    auto handle = tiers.load("fib", test::read_module("fib"));
    ASSERT_FALSE(handle.is_error()) << handle.error().message();
    auto saved_profile = parse_profile(serialize_profile({ entry("fib", "fib", 99999, OptLevel::O3) }));
    ASSERT_FALSE(saved_profile.is_error());
    for (const SavedFunction& saved : saved_profile.value())
        ASSERT_FALSE(tiers.start_at(saved.module, saved.function, saved.tier).is_error());
    auto profile = tiers.profile();
    ASSERT_EQ(profile.size(), 1u);
    EXPECT_EQ(profile[0].tier, OptLevel::O3);
    EXPECT_EQ(profile[0].calls, 0u);
    EXPECT_FALSE(profile[0].pinned);
    int64_t n = 20;
    EXPECT_EQ(engine->call(*handle, "fib", { &n, 1 }).value(), 6765);
    EXPECT_FALSE(tiers.has_work()) << "at the last tier nothing more is queued";
    test::hot_target().store(nullptr);
}

} // namespace
} // namespace fluid::jit
