// Spinlock's lock-order check: ranked locks must be taken outer to inner.
#include "kernel/lib/Spinlock.h"

#include <gtest/gtest.h>

#include <thread>

namespace fluid {
namespace {

struct Violation {
    const char* name = nullptr;
    LockRank rank = LockRank::None;
    uint64_t held = 0;
    int count = 0;
};
thread_local Violation seen;

class LockOrder : public testing::Test {
protected:
    void SetUp() override
    {
        seen = {};
        lock_order::set_violation_handler([](const char* name, LockRank rank, uint64_t held) {
            seen = { name, rank, held, seen.count + 1 };
        });
    }
    void TearDown() override { lock_order::set_violation_handler(nullptr); }
};

TEST_F(LockOrder, OuterThenInnerIsFine)
{
    Spinlock heap("heap", LockRank::Heap), pages("pages", LockRank::PageAllocator);
    {
        LockGuard a(heap);
        LockGuard b(pages);
        EXPECT_NE(lock_order::held(), 0u);
    }
    EXPECT_EQ(lock_order::held(), 0u);
    EXPECT_EQ(seen.count, 0);
}

TEST_F(LockOrder, InnerThenOuterIsReportedWithTheLockName)
{
    Spinlock heap("heap", LockRank::Heap), pages("pages", LockRank::PageAllocator);
    pages.lock();
    heap.lock();
    EXPECT_EQ(seen.count, 1);
    EXPECT_STREQ(seen.name, "heap");
    EXPECT_EQ(seen.rank, LockRank::Heap);
    EXPECT_EQ(seen.held, uint64_t(1) << unsigned(LockRank::PageAllocator));
    heap.unlock();
    pages.unlock();
    EXPECT_EQ(lock_order::held(), 0u);
}

TEST_F(LockOrder, TakingTheSameRankTwiceIsReported)
{
    // Two locks of one rank, or one lock again (an interrupt handler on the
    // CPU that holds it): either can deadlock.
    Spinlock a("a", LockRank::Test), b("b", LockRank::Test);
    a.lock();
    EXPECT_TRUE(b.try_lock());
    EXPECT_EQ(seen.count, 1);
    b.unlock();
    a.unlock();
}

TEST_F(LockOrder, UnrankedLocksAreNotChecked)
{
    Spinlock pages("pages", LockRank::PageAllocator), plain;
    pages.lock();
    plain.lock();
    plain.unlock();
    pages.unlock();
    EXPECT_EQ(seen.count, 0);
}

TEST_F(LockOrder, HoldsAnyCountsRankedAndUnrankedLocks)
{
    // What a recovery point that may abandon kernel code asks
    // (kernel/arch/x86_64/Recovery.cpp): any lock held at all.
    Spinlock heap("heap", LockRank::Heap), plain;
    EXPECT_FALSE(lock_order::holds_any());
    heap.lock();
    EXPECT_TRUE(lock_order::holds_any());
    heap.unlock();
    EXPECT_FALSE(lock_order::holds_any());
    plain.lock();
    EXPECT_TRUE(lock_order::holds_any()) << "an unranked spinlock counts";
    ASSERT_FALSE(plain.try_lock());
    plain.unlock();
    EXPECT_FALSE(lock_order::holds_any()) << "a failed try_lock took nothing";
    lock_order::note_unranked_acquire(); // what pthread_mutex_lock does in the kernel
    EXPECT_TRUE(lock_order::holds_any());
    lock_order::note_unranked_release();
    EXPECT_FALSE(lock_order::holds_any());
}

TEST_F(LockOrder, EachThreadHasItsOwnHeldSet)
{
    Spinlock pages("pages", LockRank::PageAllocator);
    Spinlock heap("heap", LockRank::Heap);
    pages.lock();
    int other_thread_violations = -1;
    std::thread other([&] {
        seen = {};
        heap.lock(); // this thread holds nothing: fine
        heap.unlock();
        other_thread_violations = seen.count;
    });
    other.join();
    pages.unlock();
    EXPECT_EQ(other_thread_violations, 0);
}

} // namespace
} // namespace fluid
