// kernel/mm/MemoryRequest: which allocations mark which request overdrawn.
#include "kernel/mm/MemoryRequest.h"

#include <gtest/gtest.h>

#include <string>

using fluid::MemoryRequest;

namespace {

class MemoryRequests : public testing::Test {
protected:
    void SetUp() override
    {
        m_saved = MemoryRequest::reserve_bytes();
        MemoryRequest::set_reserve_bytes(1 << 20);
    }
    void TearDown() override { MemoryRequest::set_reserve_bytes(m_saved); }

private:
    size_t m_saved { 0 };
};

TEST_F(MemoryRequests, AllocationAboveTheReserveIsFine)
{
    MemoryRequest request("test");
    MemoryRequest::note_allocation(4096, (1 << 20) + 4096);
    EXPECT_FALSE(request.overdrawn());
    EXPECT_STREQ(request.message(), "");
}

TEST_F(MemoryRequests, AllocationIntoTheReserveOverdraws)
{
    MemoryRequest request("test");
    MemoryRequest::note_allocation(8192, (1 << 20) + 4096);
    ASSERT_TRUE(request.overdrawn());
    EXPECT_EQ(std::string(request.message()),
              "out of memory: an allocation of 8192 bytes found 1052672 bytes free, less than the 1048576-byte reserve");
    // The first allocation that crossed the line is the one reported.
    MemoryRequest::note_allocation(65536, 0);
    EXPECT_NE(std::string(request.message()).find("8192 bytes"), std::string::npos);
    request.clear();
    EXPECT_FALSE(request.overdrawn());
}

TEST_F(MemoryRequests, OutsideAnyRequestNothingIsMarked)
{
    EXPECT_EQ(MemoryRequest::current(), nullptr);
    MemoryRequest::note_allocation(1 << 30, 0); // the kernel's own: may use the reserve
    MemoryRequest request("later");
    EXPECT_FALSE(request.overdrawn());
}

TEST_F(MemoryRequests, InnermostIsMarkedAndAnUnclaimedOverdraftPassesOut)
{
    MemoryRequest outer("command");
    {
        MemoryRequest inner("module load");
        EXPECT_EQ(MemoryRequest::current(), &inner);
        MemoryRequest::note_allocation(4096, 0);
        EXPECT_TRUE(inner.overdrawn());
        EXPECT_FALSE(outer.overdrawn());
    }
    EXPECT_EQ(MemoryRequest::current(), &outer);
    EXPECT_TRUE(outer.overdrawn()) << "nobody claimed the inner overdraft";
    outer.clear();
    {
        MemoryRequest inner("module load");
        MemoryRequest::note_allocation(4096, 0);
        inner.clear(); // the owner failed its request for it
    }
    EXPECT_FALSE(outer.overdrawn());
}

TEST_F(MemoryRequests, AvailableIsWhatIsFreeAboveTheReserve)
{
    EXPECT_EQ(MemoryRequest::available_bytes(3 << 20), size_t(2) << 20);
    EXPECT_EQ(MemoryRequest::available_bytes(1 << 19), 0u);
}

} // namespace
