#include "kernel/drivers/AhciController.h"
#include "tests/unit/drivers/FakeAhciHba.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using fluid::AhciController;
using fluid::AhciDisk;
using fluid::ErrorCode;
using fluid::test::FakeAhciHba;
using fluid::test::FakeDmaMemory;

namespace {

// A clock that moves 1 ms per reading, so timeouts expire quickly.
uint64_t fake_now_ns()
{
    static uint64_t now = 0;
    return now += 1'000'000;
}

std::unique_ptr<AhciDisk> bring_up(FakeAhciHba& hba, FakeDmaMemory& dma, AhciController& controller)
{
    auto ready = controller.initialize();
    EXPECT_FALSE(ready.is_error()) << ready.error().message();
    for (const auto& problem : controller.problems())
        ADD_FAILURE() << problem->message();
    auto disks = controller.take_disks();
    if (disks.size() != 1)
        return nullptr;
    return std::move(disks[0]);
}

} // namespace

TEST(AhciDisk, IdentifiesTheDiskOnPortZero)
{
    FakeAhciHba hba(100000);
    FakeDmaMemory dma;
    AhciController controller(hba, dma, fake_now_ns);
    auto disk = bring_up(hba, dma, controller);
    ASSERT_NE(disk, nullptr);
    EXPECT_EQ(disk->sector_count(), 100000u);
    EXPECT_STREQ(disk->model(), "FAKE AHCI DISK");
    EXPECT_EQ(hba.commands.front(), 0xec);
}

TEST(AhciDisk, LargeReadsGoInBigCommandsWithSeveralPrdEntries)
{
    FakeAhciHba hba(40000);
    for (size_t i = 0; i < hba.disk.size(); ++i)
        hba.disk[i] = uint8_t(i * 7 + i / 512);
    FakeDmaMemory dma;
    AhciController controller(hba, dma, fake_now_ns);
    auto disk = bring_up(hba, dma, controller);
    ASSERT_NE(disk, nullptr);
    std::vector<uint8_t> buffer(20000 * 512);
    auto result = disk->read(100, 20000, buffer.data());
    ASSERT_FALSE(result.is_error()) << result.error().message();
    EXPECT_EQ(memcmp(buffer.data(), hba.disk.data() + 100 * 512, buffer.size()), 0);
    ASSERT_EQ(hba.sectors_per_command.size(), 2u);
    EXPECT_EQ(hba.sectors_per_command[0], AhciDisk::max_sectors_per_command);
    EXPECT_EQ(hba.max_prdt_entries, 2u); // 8 MiB in two 4 MiB entries
}

TEST(AhciDisk, WritesReadBackAndFlush)
{
    FakeAhciHba hba(4096);
    FakeDmaMemory dma;
    AhciController controller(hba, dma, fake_now_ns);
    auto disk = bring_up(hba, dma, controller);
    ASSERT_NE(disk, nullptr);
    std::vector<uint8_t> out(8 * 512), in(8 * 512);
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = uint8_t(i ^ 0x5a);
    ASSERT_FALSE(disk->write(7, 8, out.data()).is_error());
    ASSERT_FALSE(disk->flush().is_error());
    ASSERT_FALSE(disk->read(7, 8, in.data()).is_error());
    EXPECT_EQ(in, out);
    EXPECT_EQ(hba.flushes, 1u);
}

TEST(AhciDisk, OddBuffersGoThroughTheBounceBuffer)
{
    FakeAhciHba hba(4096);
    for (size_t i = 0; i < hba.disk.size(); ++i)
        hba.disk[i] = uint8_t(i * 13);
    FakeDmaMemory dma;
    AhciController controller(hba, dma, fake_now_ns);
    auto disk = bring_up(hba, dma, controller);
    ASSERT_NE(disk, nullptr);
    std::vector<uint8_t> storage(300 * 512 + 1);
    ASSERT_FALSE(disk->read(0, 300, storage.data() + 1).is_error());
    EXPECT_EQ(memcmp(storage.data() + 1, hba.disk.data(), 300 * 512), 0);
    for (uint32_t sectors : hba.sectors_per_command)
        EXPECT_LE(sectors, AhciDisk::bounce_bytes / 512);
}

TEST(AhciDisk, DeviceErrorsNameTheSector)
{
    FakeAhciHba hba(4096);
    hba.fail_at_lba = 1234;
    FakeDmaMemory dma;
    AhciController controller(hba, dma, fake_now_ns);
    auto disk = bring_up(hba, dma, controller);
    ASSERT_NE(disk, nullptr);
    std::vector<uint8_t> buffer(16 * 512);
    auto result = disk->read(1230, 16, buffer.data());
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::IoError);
    EXPECT_NE(std::string(result.error().message()).find("sector 1230"), std::string::npos)
        << result.error().message();
    EXPECT_TRUE(disk->read(4090, 16, buffer.data()).is_error()); // past the end
}

TEST(AhciDisk, AHungResetIsReportedNotWaitedOnForever)
{
    FakeAhciHba hba(4096);
    hba.reset_hangs = true;
    FakeDmaMemory dma;
    AhciController controller(hba, dma, fake_now_ns);
    auto result = controller.initialize();
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Timeout);
}

TEST(AhciDisk, NoDiskNoDevices)
{
    FakeAhciHba hba(4096);
    hba.disk_attached = false;
    FakeDmaMemory dma;
    AhciController controller(hba, dma, fake_now_ns);
    ASSERT_FALSE(controller.initialize().is_error());
    EXPECT_TRUE(controller.take_disks().empty());
}
