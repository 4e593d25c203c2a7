#include "kernel/drivers/AtaPioDisk.h"
#include "tests/unit/drivers/FakeAtaDrive.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using fluid::AtaPioDisk;
using fluid::ErrorCode;
using fluid::test::FakeAtaDrive;

TEST(AtaPioDisk, IdentifiesSizeModelAndLba48)
{
    FakeAtaDrive drive(20480);
    AtaPioDisk disk(drive, AtaPioDisk::primary, false);
    auto result = disk.identify();
    ASSERT_FALSE(result.is_error()) << result.error().message();
    EXPECT_EQ(disk.sector_count(), 20480u);
    EXPECT_TRUE(disk.supports_lba48());
    EXPECT_STREQ(disk.model(), "FLUID FAKE ATA DISK");
}

TEST(AtaPioDisk, ReportsMissingAndPacketDevices)
{
    FakeAtaDrive absent(16);
    absent.kind = FakeAtaDrive::Kind::Absent;
    AtaPioDisk none(absent, AtaPioDisk::primary, false);
    auto r = none.identify();
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error().code(), ErrorCode::NotFound);

    FakeAtaDrive cdrom(16);
    cdrom.kind = FakeAtaDrive::Kind::Packet;
    AtaPioDisk atapi(cdrom, AtaPioDisk::primary, false);
    r = atapi.identify();
    ASSERT_TRUE(r.is_error());
    EXPECT_NE(std::string(r.error().message()).find("packet device"), std::string::npos) << r.error().message();
}

TEST(AtaPioDisk, ReadsSectorsAcrossCommandBoundaries)
{
    FakeAtaDrive drive(2048);
    for (size_t i = 0; i < drive.disk.size(); ++i)
        drive.disk[i] = uint8_t(i * 7 + i / 512);
    AtaPioDisk disk(drive, AtaPioDisk::primary, false);
    ASSERT_FALSE(disk.identify().is_error());
    // 600 sectors from LBA 1000: three commands (256 + 256 + 88).
    std::vector<uint8_t> buffer(600 * 512);
    int before = drive.commands;
    auto r = disk.read(1000, 600, buffer.data());
    ASSERT_FALSE(r.is_error()) << r.error().message();
    EXPECT_EQ(drive.commands - before, 3);
    EXPECT_EQ(memcmp(buffer.data(), drive.disk.data() + 1000 * 512, buffer.size()), 0);
}

TEST(AtaPioDisk, WritesAndFlushes)
{
    FakeAtaDrive drive(1024);
    AtaPioDisk disk(drive, AtaPioDisk::primary, false);
    ASSERT_FALSE(disk.identify().is_error());
    std::vector<uint8_t> data(3 * 512);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = uint8_t(255 - i % 251);
    ASSERT_FALSE(disk.write(77, 3, data.data()).is_error());
    ASSERT_FALSE(disk.flush().is_error());
    EXPECT_EQ(drive.flushes, 1);
    EXPECT_EQ(memcmp(drive.disk.data() + 77 * 512, data.data(), data.size()), 0);
    EXPECT_EQ(drive.disk[76 * 512 + 511], 0) << "the sector before must be untouched";
    EXPECT_EQ(drive.disk[80 * 512], 0) << "the sector after must be untouched";
}

TEST(AtaPioDisk, RejectsRangesPastTheEnd)
{
    FakeAtaDrive drive(100);
    AtaPioDisk disk(drive, AtaPioDisk::primary, false);
    ASSERT_FALSE(disk.identify().is_error());
    uint8_t sector[512];
    int before = drive.commands;
    EXPECT_TRUE(disk.read(100, 1, sector).is_error());
    EXPECT_TRUE(disk.read(~0ull, 2, sector).is_error());
    EXPECT_TRUE(disk.write(99, 2, sector).is_error());
    EXPECT_EQ(drive.commands, before) << "nothing may reach the drive";
}

TEST(AtaPioDisk, DeviceErrorsBecomeErrors)
{
    FakeAtaDrive drive(100);
    AtaPioDisk disk(drive, AtaPioDisk::primary, false);
    ASSERT_FALSE(disk.identify().is_error());
    drive.fail_reads = true;
    uint8_t sector[512];
    auto r = disk.read(5, 1, sector);
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error().code(), ErrorCode::IoError);
    EXPECT_NE(std::string(r.error().message()).find("sector 5"), std::string::npos) << r.error().message();
}

TEST(AtaPioDisk, ABusyDriveTimesOut)
{
    FakeAtaDrive drive(100);
    AtaPioDisk disk(drive, AtaPioDisk::primary, false);
    ASSERT_FALSE(disk.identify().is_error());
    drive.stuck_busy = true;
    uint8_t sector[512];
    auto r = disk.read(0, 1, sector);
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error().code(), ErrorCode::Timeout);
}
