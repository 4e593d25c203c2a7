// Reading volumes that mkfs.fat made and mtools filled.
#include "FatTestImage.h"

#include "kernel/fs/Fat16Volume.h"
#include "kernel/fs/MemoryBlockDevice.h"

#include <algorithm>

using namespace fat_test;
using fluid::Fat16Volume;
using fluid::MemoryBlockDevice;

namespace {

std::vector<uint8_t> read_all(Fat16Volume& volume, const std::string& path)
{
    auto info = volume.stat(path);
    EXPECT_FALSE(info.is_error()) << info.error().message();
    if (info.is_error())
        return {};
    std::vector<uint8_t> bytes(info->size);
    auto got = volume.read(path, 0, bytes);
    EXPECT_FALSE(got.is_error()) << got.error().message();
    if (!got.is_error())
        EXPECT_EQ(got.value(), bytes.size());
    return bytes;
}

std::vector<std::string> names(Fat16Volume& volume, const std::string& path)
{
    auto list = volume.list(path);
    EXPECT_FALSE(list.is_error()) << list.error().message();
    std::vector<std::string> out;
    if (!list.is_error()) {
        for (auto& entry : list.value())
            out.push_back(entry.name + (entry.is_directory ? "/" : ""));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Counts device transfers, to see that big reads go in big runs.
class CountingBlockDevice final : public fluid::BlockDevice {
public:
    explicit CountingBlockDevice(fluid::BlockDevice& inner)
        : m_inner(inner)
    {
    }
    uint64_t sector_count() const override { return m_inner.sector_count(); }
    fluid::ErrorOr<void> read(uint64_t lba, size_t count, void* buffer) override
    {
        ++reads;
        return m_inner.read(lba, count, buffer);
    }
    fluid::ErrorOr<void> write(uint64_t lba, size_t count, const void* buffer) override
    {
        return m_inner.write(lba, count, buffer);
    }
    fluid::ErrorOr<void> flush() override { return m_inner.flush(); }

    size_t reads { 0 };

private:
    fluid::BlockDevice& m_inner;
};

class FatRead : public ::testing::Test {
protected:
    void SetUp() override
    {
        image.format(32 * 1024);
        image.mmd("/Models");
        image.mmd("/Models/Small Ones");
        image.mmd("/boot");
        image.put("/hello.txt", hello);
        image.put("/README.TXT", text_bytes("upper case 8.3\n"));
        image.put("/Once Upon a Time.gguf", story);
        image.put("/Models/Small Ones/tiny model.bin", tiny);
        image.put("/boot/kernel.elf", big);
        bytes = image.load();
    }

    TempDir dir;
    Image image { dir };
    std::vector<uint8_t> hello = text_bytes("hello, world\n");
    std::vector<uint8_t> story = random_bytes(100 * 1024 + 17, 1);
    std::vector<uint8_t> tiny = random_bytes(3000, 2);
    std::vector<uint8_t> big = random_bytes(5 * 1024 * 1024 + 3, 3);
    std::vector<uint8_t> bytes;
};

} // namespace

TEST_F(FatRead, MountsAndReadsFilesByteForByte)
{
    MemoryBlockDevice device(std::span<const uint8_t>(bytes.data(), bytes.size()));
    auto volume = Fat16Volume::mount(device);
    ASSERT_FALSE(volume.is_error()) << volume.error().message();
    EXPECT_EQ(read_all(*volume, "/hello.txt"), hello);
    EXPECT_EQ(read_all(*volume, "/Once Upon a Time.gguf"), story);
    EXPECT_EQ(read_all(*volume, "/Models/Small Ones/tiny model.bin"), tiny);
    EXPECT_EQ(read_all(*volume, "/boot/kernel.elf"), big);
}

TEST_F(FatRead, ListsLongNamesAndDirectories)
{
    MemoryBlockDevice device(std::span<const uint8_t>(bytes.data(), bytes.size()));
    auto volume = Fat16Volume::mount(device);
    ASSERT_FALSE(volume.is_error()) << volume.error().message();
    EXPECT_EQ(names(*volume, "/"), (std::vector<std::string> { "Models/", "Once Upon a Time.gguf", "README.TXT",
                                                                "boot/", "hello.txt" }));
    EXPECT_EQ(names(*volume, "/Models"), (std::vector<std::string> { "Small Ones/" }));
    EXPECT_EQ(names(*volume, "/Models/Small Ones/"), (std::vector<std::string> { "tiny model.bin" }));
    auto info = volume->stat("/Once Upon a Time.gguf");
    ASSERT_FALSE(info.is_error());
    EXPECT_EQ(info->size, story.size());
    EXPECT_FALSE(info->is_directory);
    EXPECT_EQ(info->short_name, "ONCEUP~1.GGU");
    auto boot = volume->stat("/boot");
    ASSERT_FALSE(boot.is_error());
    EXPECT_TRUE(boot->is_directory);
}

TEST_F(FatRead, LooksUpWithoutCaseAndByShortAlias)
{
    MemoryBlockDevice device(std::span<const uint8_t>(bytes.data(), bytes.size()));
    auto volume = Fat16Volume::mount(device);
    ASSERT_FALSE(volume.is_error()) << volume.error().message();
    EXPECT_EQ(read_all(*volume, "/MODELS/small ones/TINY MODEL.BIN"), tiny);
    EXPECT_EQ(read_all(*volume, "/ONCEUP~1.GGU"), story);
    EXPECT_EQ(read_all(*volume, "/Hello.TXT"), hello);
    auto missing = volume->stat("/Models/none.bin");
    ASSERT_TRUE(missing.is_error());
    EXPECT_EQ(missing.error().code(), fluid::ErrorCode::NotFound);
    EXPECT_STREQ(missing.error().message(), "FAT: /Models/none.bin not found");
    auto through_file = volume->stat("/hello.txt/x");
    ASSERT_TRUE(through_file.is_error());
    EXPECT_NE(strstr(through_file.error().message(), "not a directory"), nullptr) << through_file.error().message();
    EXPECT_TRUE(volume->stat("relative").is_error());
}

TEST_F(FatRead, ReadsAtOffsetsThroughAHandleInFewRuns)
{
    MemoryBlockDevice device(std::span<const uint8_t>(bytes.data(), bytes.size()));
    auto volume = Fat16Volume::mount(device);
    ASSERT_FALSE(volume.is_error()) << volume.error().message();
    auto file = volume->open("/boot/kernel.elf");
    ASSERT_FALSE(file.is_error()) << file.error().message();
    EXPECT_EQ(file->size(), big.size());
    // mcopy writes into a fresh volume contiguously: one device run.
    EXPECT_EQ(file->extent_count(), 1u);
    std::vector<uint8_t> piece(10000);
    for (uint64_t offset : { uint64_t(0), uint64_t(1), uint64_t(511), uint64_t(4097), uint64_t(big.size() - 5000) }) {
        auto got = file->read_at(offset, piece);
        ASSERT_FALSE(got.is_error()) << got.error().message();
        size_t expected = std::min<size_t>(piece.size(), big.size() - offset);
        ASSERT_EQ(got.value(), expected);
        EXPECT_TRUE(std::equal(piece.begin(), piece.begin() + expected, big.begin() + offset)) << offset;
    }
    auto past = file->read_at(big.size() + 10, piece);
    ASSERT_FALSE(past.is_error());
    EXPECT_EQ(past.value(), 0u);
    EXPECT_TRUE(volume->open("/boot").is_error());
}

TEST_F(FatRead, StatfsMatchesFsck)
{
    MemoryBlockDevice device(std::span<const uint8_t>(bytes.data(), bytes.size()));
    auto volume = Fat16Volume::mount(device);
    ASSERT_FALSE(volume.is_error()) << volume.error().message();
    auto fs = volume->statfs();
    ASSERT_FALSE(fs.is_error());
    // fsck.fat reports "N files, used/total clusters".
    auto fsck = image.fsck();
    ASSERT_EQ(fsck.status, 0) << fsck.output;
    unsigned used = 0, total = 0;
    auto at = fsck.output.find("files, ");
    ASSERT_NE(at, std::string::npos) << fsck.output;
    ASSERT_EQ(sscanf(fsck.output.c_str() + at, "files, %u/%u clusters", &used, &total), 2) << fsck.output;
    EXPECT_EQ(fs->total_clusters, total);
    EXPECT_EQ(fs->free_clusters, total - used);
    EXPECT_EQ(fs->free_bytes, uint64_t(total - used) * fs->cluster_bytes);
}

TEST_F(FatRead, ContiguousFileIsReadInOneTransfer)
{
    MemoryBlockDevice memory(std::span<const uint8_t>(bytes.data(), bytes.size()));
    CountingBlockDevice device(memory);
    auto volume = Fat16Volume::mount(device);
    ASSERT_FALSE(volume.is_error()) << volume.error().message();
    auto file = volume->open("/boot/kernel.elf");
    ASSERT_FALSE(file.is_error()) << file.error().message();
    std::vector<uint8_t> back(big.size());
    size_t before = device.reads;
    auto got = file->read_at(0, back);
    ASSERT_FALSE(got.is_error());
    // One transfer for the whole sectors, one for the 3-byte tail.
    EXPECT_EQ(device.reads - before, 2u);
    EXPECT_EQ(back, big);
}
