// A partitioned disk: our own MBR in front of a mkfs.fat volume at LBA
// 2048, found by MbrPartitionTable and mounted through a
// PartitionBlockDevice.
#include "FatTestImage.h"

#include "kernel/fs/Fat16Volume.h"
#include "kernel/fs/MbrPartitionTable.h"
#include "kernel/fs/MemoryBlockDevice.h"
#include "kernel/fs/PartitionBlockDevice.h"

#include <cstring>

using namespace fat_test;
using namespace fluid;

namespace {

constexpr uint32_t partition_lba = 2048;

void set_partition(std::vector<uint8_t>& disk, int slot, uint8_t status, uint8_t type, uint32_t lba, uint32_t count)
{
    uint8_t* entry = disk.data() + 446 + slot * 16;
    memset(entry, 0, 16);
    entry[0] = status;
    entry[4] = type;
    memcpy(entry + 8, &lba, 4);
    memcpy(entry + 12, &count, 4);
    disk[510] = 0x55;
    disk[511] = 0xAA;
}

class Mbr : public ::testing::Test {
protected:
    void SetUp() override
    {
        image.format(16 * 1024);
        image.mmd("/boot");
        image.put("/boot/kernel.elf", kernel);
        auto volume = image.load();
        disk.assign(partition_lba * 512, 0);
        disk.insert(disk.end(), volume.begin(), volume.end());
        set_partition(disk, 1, 0x80, 0x0E, partition_lba, uint32_t(volume.size() / 512));
    }

    TempDir dir;
    Image image { dir };
    std::vector<uint8_t> kernel = random_bytes(200000, 9);
    std::vector<uint8_t> disk;
};

} // namespace

TEST_F(Mbr, MountsFat16PartitionAtLba2048)
{
    MemoryBlockDevice device(std::span<uint8_t>(disk.data(), disk.size()));
    auto table = MbrPartitionTable::read(device);
    ASSERT_FALSE(table.is_error()) << table.error().message();
    auto partition = table->find_fat16();
    ASSERT_FALSE(partition.is_error()) << partition.error().message();
    EXPECT_EQ(partition->index, 1);
    EXPECT_TRUE(partition->bootable);
    EXPECT_EQ(partition->first_lba, partition_lba);
    auto window = PartitionBlockDevice::create(device, partition->first_lba, partition->sector_count);
    ASSERT_FALSE(window.is_error()) << window.error().message();
    auto volume = Fat16Volume::mount(*window);
    ASSERT_FALSE(volume.is_error()) << volume.error().message();
    std::vector<uint8_t> back(kernel.size());
    auto got = volume->read("/boot/kernel.elf", 0, back);
    ASSERT_FALSE(got.is_error()) << got.error().message();
    EXPECT_EQ(back, kernel);

    // Writes land inside the partition, and mtools agrees with them when
    // given the partition's offset.
    ASSERT_FALSE(volume->write_file("/boot/Grub Config.cfg", text_bytes("menuentry\n")).is_error());
    std::vector<uint8_t> volume_bytes(disk.begin() + partition_lba * 512, disk.end());
    image.save(volume_bytes);
    std::vector<uint8_t> config;
    ASSERT_EQ(image.get("/boot/Grub Config.cfg", config).status, 0);
    EXPECT_EQ(config, text_bytes("menuentry\n"));
    EXPECT_EQ(image.fsck().status, 0) << image.fsck().output;
}

TEST_F(Mbr, RejectsBadTables)
{
    auto no_signature = disk;
    no_signature[511] = 0;
    EXPECT_STREQ(MbrPartitionTable::read(*std::make_unique<MemoryBlockDevice>(std::span<uint8_t>(no_signature)))
                     .error()
                     .message(),
                 "MBR: signature is 55 00, not 55 aa");

    auto beyond = disk;
    set_partition(beyond, 0, 0, 0x06, 4096, uint32_t(disk.size() / 512));
    MemoryBlockDevice device(std::span<uint8_t>(beyond.data(), beyond.size()));
    auto table = MbrPartitionTable::read(device);
    ASSERT_TRUE(table.is_error());
    EXPECT_NE(strstr(table.error().message(), "partition 0"), nullptr) << table.error().message();
    EXPECT_NE(strstr(table.error().message(), "outside the disk"), nullptr) << table.error().message();

    auto bad_status = disk;
    bad_status[446] = 0x12;
    MemoryBlockDevice status_device(std::span<uint8_t>(bad_status.data(), bad_status.size()));
    EXPECT_TRUE(MbrPartitionTable::read(status_device).is_error());

    auto no_fat = disk;
    set_partition(no_fat, 1, 0, 0x83, partition_lba, 100);
    MemoryBlockDevice linux_device(std::span<uint8_t>(no_fat.data(), no_fat.size()));
    auto linux_table = MbrPartitionTable::read(linux_device);
    ASSERT_FALSE(linux_table.is_error());
    EXPECT_EQ(linux_table->find_fat16().error().code(), ErrorCode::NotFound);
}
