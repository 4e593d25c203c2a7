#include "kernel/fs/MemoryBlockDevice.h"
#include "kernel/fs/PartitionBlockDevice.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace fluid;

TEST(MemoryBlockDevice, ReadsWritesAndChecksBounds)
{
    std::vector<uint8_t> bytes(4 * 512 + 100, 0);
    MemoryBlockDevice device { std::span<uint8_t>(bytes) };
    EXPECT_EQ(device.sector_count(), 4u); // the partial sector is not part of it
    std::vector<uint8_t> sector(1024, 0xAB);
    ASSERT_FALSE(device.write(2, 2, sector.data()).is_error());
    EXPECT_EQ(bytes[2 * 512], 0xAB);
    EXPECT_EQ(bytes[4 * 512], 0);
    EXPECT_TRUE(device.write(3, 2, sector.data()).is_error());
    EXPECT_TRUE(device.read(5, 1, sector.data()).is_error());
    EXPECT_TRUE(device.read(UINT64_MAX, 2, sector.data()).is_error());
    ASSERT_FALSE(device.read(4, 0, sector.data()).is_error());

    MemoryBlockDevice read_only { std::span<const uint8_t>(bytes) };
    EXPECT_TRUE(read_only.is_read_only());
    auto refused = read_only.write(0, 1, sector.data());
    ASSERT_TRUE(refused.is_error());
    EXPECT_STREQ(refused.error().message(), "block: the memory device is read-only");
}

TEST(PartitionBlockDevice, StaysInsideItsWindow)
{
    std::vector<uint8_t> bytes(10 * 512, 0);
    for (size_t i = 0; i < 10; ++i)
        bytes[i * 512] = uint8_t(i);
    MemoryBlockDevice disk { std::span<uint8_t>(bytes) };
    EXPECT_TRUE(PartitionBlockDevice::create(disk, 8, 3).is_error());
    EXPECT_TRUE(PartitionBlockDevice::create(disk, 11, 0).is_error());
    auto window = PartitionBlockDevice::create(disk, 3, 4).release_value();
    uint8_t sector[512];
    ASSERT_FALSE(window.read(0, 1, sector).is_error());
    EXPECT_EQ(sector[0], 3);
    ASSERT_FALSE(window.read(3, 1, sector).is_error());
    EXPECT_EQ(sector[0], 6);
    auto beyond = window.write(3, 2, sector);
    ASSERT_TRUE(beyond.is_error());
    EXPECT_STREQ(beyond.error().message(), "block: write of 2 sectors at 3 is beyond the partition (4 sectors)");
    EXPECT_EQ(bytes[7 * 512], 7);
}
