// Tiered compilation on the host: thresholds, one swap per tier, the same
// results before, during and after swaps while several threads call, exact
// counters, and reclaimed versions.
#include "jit/TierManager.h"
#include "tests/unit/jit/JitTestSupport.h"
#include "tests/unit/jit/TierTestFixture.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace fluid::jit {
namespace {

class Tiering : public test::TierTestFixture {
protected:
    void SetUp() override
    {
        TierTestFixture::SetUp();
        if (HasFatalFailure())
            return;
        // Most tests walk the three-step ladder, to see every swap.
        m_tiers->set_policy(TierPolicy::three_steps());
    }

    void drain()
    {
        while (m_tiers->has_work()) {
            auto compiled = m_tiers->compile_one();
            ASSERT_FALSE(compiled.is_error()) << compiled.error().message();
        }
    }
};

TEST_F(Tiering, CountersAreExactOnOneThread)
{
    ModuleHandle m = load("parallel");
    for (int i = 0; i < 37; ++i)
        EXPECT_EQ(call(m, "serial_sum", { 100 }), call(m, "serial_sum", { 100 }));
    auto* p = profile_of("serial_sum");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->calls, 74u);
    EXPECT_EQ(p->tier, OptLevel::O0);
}

TEST_F(Tiering, EachTierIsReachedOnceAndResultsNeverChange)
{
    ModuleHandle m = load("fib");
    // fib(n) calls itself through its patchable entry: fib(11) is 287 calls.
    for (int round = 0; round < 40; ++round) {
        ASSERT_EQ(call(m, "fib", { 11 }), 89);
        drain();
    }
    auto* p = profile_of("fib");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->tier, OptLevel::O3);
    ASSERT_EQ(p->events.size(), 4u) << "O0, then one swap each to O1, O2, O3";
    EXPECT_EQ(p->events[1].level, OptLevel::O1);
    EXPECT_EQ(p->events[2].level, OptLevel::O2);
    EXPECT_EQ(p->events[3].level, OptLevel::O3);
    EXPECT_GE(p->events[1].at_calls, 100u);
    EXPECT_GE(p->events[2].at_calls, 1000u);
    EXPECT_GE(p->events[3].at_calls, 10000u);
    EXPECT_EQ(p->calls, 40u * 287u) << "calls are still counted at O3";
    EXPECT_EQ(call(m, "fib", { 20 }), 6765);
}

TEST_F(Tiering, SwapsWhileManyThreadsCallGiveTheSameResults)
{
    ModuleHandle m = load("fib");
    std::atomic<bool> stop { false };
    std::atomic<int> wrong { 0 };
    std::atomic<uint64_t> epochs[4];
    std::vector<std::thread> callers;
    for (int t = 0; t < 4; ++t) {
        epochs[t] = 0;
        callers.emplace_back([&, t] {
            while (!stop.load()) {
                int64_t arg = 12;
                auto result = m_engine->call(m, "fib", { &arg, 1 });
                if (result.is_error() || *result != 144)
                    wrong.fetch_add(1);
                epochs[t].store(m_tiers->epoch()); // a quiescent point
            }
        });
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        drain();
        auto* p = profile_of("fib");
        if (p && p->tier == OptLevel::O3)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop.store(true);
    for (auto& thread : callers)
        thread.join();
    EXPECT_EQ(wrong.load(), 0);
    auto* p = profile_of("fib");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->tier, OptLevel::O3);
    EXPECT_EQ(p->events.size(), 4u);
    // Every thread has passed a quiescent point since the last swap.
    EXPECT_EQ(m_tiers->reclaim(m_tiers->epoch()), 2u) << "the O1 and O2 versions";
    EXPECT_EQ(m_engine->version_count(), 1u) << "only the O3 version is left";
}

TEST_F(Tiering, RetiredVersionsAreFreedOnlyAfterTheirEpoch)
{
    ModuleHandle m = load("fib");
    for (int i = 0; i < 20; ++i) {
        ASSERT_FALSE(m_tiers->pin("fib", "fib", i % 2 ? OptLevel::O1 : OptLevel::O2).is_error());
        ASSERT_EQ(call(m, "fib", { 15 }), 610);
    }
    EXPECT_EQ(m_tiers->retired_count(), 19u);
    EXPECT_EQ(m_tiers->reclaim(0), 0u) << "no CPU has passed a quiescent point";
    EXPECT_EQ(m_tiers->reclaim(m_tiers->epoch()), 19u);
    EXPECT_EQ(m_engine->version_count(), 1u);
    ASSERT_EQ(call(m, "fib", { 15 }), 610);
}

TEST_F(Tiering, OneLongCallIsPromotedByItsBackEdges)
{
    ModuleHandle m = load("parallel");
    // One call of serial_sum over 1.2 million values: far below 100 calls,
    // above the 1 million loop iterations that trigger O1.
    int64_t expected = call(m, "serial_sum", { 1200000 });
    drain();
    auto* p = profile_of("serial_sum");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->calls, 1u);
    ASSERT_EQ(p->events.size(), 2u);
    EXPECT_TRUE(p->events[1].by_back_edges);
    EXPECT_EQ(p->tier, OptLevel::O1) << "promoted for the next call";
    EXPECT_EQ(call(m, "serial_sum", { 1200000 }), expected);
}

TEST_F(Tiering, TheDefaultLadderIsO1ThenO3)
{
    m_tiers->set_policy(TierPolicy {});
    ModuleHandle m = load("fib");
    for (int round = 0; round < 40; ++round) {
        ASSERT_EQ(call(m, "fib", { 11 }), 89);
        drain();
    }
    auto* p = profile_of("fib");
    ASSERT_NE(p, nullptr);
    ASSERT_EQ(p->events.size(), 3u);
    EXPECT_EQ(p->events[1].level, OptLevel::O1);
    EXPECT_EQ(p->events[2].level, OptLevel::O3);
    EXPECT_GE(p->events[2].at_calls, 10000u);
}

} // namespace
} // namespace fluid::jit
