// TierManager and unloading (issue 10): a module unloaded while versions of
// its functions are still retired (waiting for every CPU to pass a
// quiescent point) frees them with the module, the module loads again and
// answers the same; and what a function keeps per promotion is bounded.
#include "jit/TierManager.h"
#include "tests/unit/jit/JitTestSupport.h"
#include "tests/unit/jit/TierTestFixture.h"

#include <gtest/gtest.h>

namespace fluid::jit {
namespace {

class TierManagerUnload : public test::TierTestFixture {
protected:
    void unload(ModuleHandle handle)
    {
        m_tiers->forget(handle);
        auto unloaded = m_engine->unload(handle);
        ASSERT_FALSE(unloaded.is_error()) << unloaded.error().message();
    }
};

TEST_F(TierManagerUnload, RetiredVersionsGoWithTheModuleAndItLoadsAgain)
{
    ModuleHandle m = load("fib");
    for (OptLevel level : { OptLevel::O1, OptLevel::O2, OptLevel::O3 }) {
        ASSERT_FALSE(m_tiers->pin("fib", "fib", level).is_error());
        ASSERT_EQ(call(m, "fib", { 15 }), 610);
    }
    // No CPU has passed a quiescent point: the O1 and O2 versions wait.
    ASSERT_EQ(m_tiers->retired_count(), 2u);
    ASSERT_EQ(m_engine->version_count(), 3u);

    unload(m);
    EXPECT_EQ(m_tiers->retired_count(), 0u) << "freed with the module, not later from a torn-down JITDylib";
    EXPECT_EQ(m_engine->version_count(), 0u);
    EXPECT_EQ(m_tiers->reclaim(m_tiers->epoch()), 0u);
    EXPECT_EQ(profile_of("fib"), nullptr);
    EXPECT_EQ(m_tiers->find("fib", "fib"), 0u);

    // Pinned before its first call: a call at tier 0 would queue a
    // promotion, which nothing compiles here, and pin would say Busy.
    ModuleHandle again = load("fib");
    auto pinned = m_tiers->pin("fib", "fib", OptLevel::O2);
    ASSERT_FALSE(pinned.is_error()) << pinned.error().message();
    EXPECT_EQ(call(again, "fib", { 15 }), 610);
    auto* p = profile_of("fib");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->tier, OptLevel::O2);
    EXPECT_EQ(p->events.size(), 2u) << "the reloaded module starts a profile of its own";
    EXPECT_EQ(m_engine->version_count(), 1u);
}

TEST_F(TierManagerUnload, OtherModulesKeepTheirRetiredVersions)
{
    ModuleHandle fib = load("fib");
    ModuleHandle parallel = load("parallel");
    int64_t sum = call(parallel, "serial_sum", { 1000 });
    for (OptLevel level : { OptLevel::O1, OptLevel::O2 }) {
        ASSERT_FALSE(m_tiers->pin("fib", "fib", level).is_error());
        ASSERT_FALSE(m_tiers->pin("parallel", "serial_sum", level).is_error());
    }
    ASSERT_EQ(m_tiers->retired_count(), 2u);
    unload(fib);
    EXPECT_EQ(m_tiers->retired_count(), 1u) << "serial_sum's O1 version still waits for its epoch";
    EXPECT_EQ(call(parallel, "serial_sum", { 1000 }), sum);
    EXPECT_EQ(m_tiers->reclaim(m_tiers->epoch()), 1u);
    EXPECT_EQ(m_engine->version_count(), 1u);
    EXPECT_EQ(call(parallel, "serial_sum", { 1000 }), sum);
}

TEST_F(TierManagerUnload, LoadUnloadCyclesWithPendingVersionsLeaveNoVersions)
{
    for (int cycle = 0; cycle < 5; ++cycle) {
        ModuleHandle m = load("fib");
        ASSERT_FALSE(m_tiers->pin("fib", "fib", OptLevel::O1).is_error());
        ASSERT_FALSE(m_tiers->pin("fib", "fib", OptLevel::O0).is_error());
        ASSERT_EQ(call(m, "fib", { 10 }), 55);
        ASSERT_EQ(m_tiers->retired_count(), 1u);
        unload(m);
        ASSERT_EQ(m_engine->version_count(), 0u);
        ASSERT_EQ(m_tiers->retired_count(), 0u);
    }
}

TEST_F(TierManagerUnload, EventsPerFunctionAreBounded)
{
    ModuleHandle m = load("fib");
    const OptLevel levels[] = { OptLevel::O1, OptLevel::O2, OptLevel::O3, OptLevel::O0 };
    for (int i = 0; i < 20; ++i) {
        ASSERT_FALSE(m_tiers->pin("fib", "fib", levels[i % 4]).is_error());
        ASSERT_EQ(call(m, "fib", { 12 }), 144);
    }
    EXPECT_EQ(m_tiers->reclaim(m_tiers->epoch()), 19u);
    auto* p = profile_of("fib");
    ASSERT_NE(p, nullptr);
    ASSERT_EQ(p->events.size(), TierManager::max_events);
    EXPECT_EQ(p->events_dropped, 21u - TierManager::max_events) << "the load's event and 20 promotions";
    EXPECT_EQ(p->events.front().at_calls, 0u) << "the first event (the load) is kept";
    EXPECT_EQ(p->events.back().level, levels[19 % 4]) << "and the latest promotions";
    EXPECT_EQ(p->events[p->events.size() - 2].level, levels[18 % 4]);
}

} // namespace
} // namespace fluid::jit
