// Power cuts in the middle of a FAT16 write: every write Fat16Volume makes
// is recorded, and the volume is rebuilt as the disk would be after a cut
// before each of them (writes that reached the disk, none after). At every
// cut fsck.fat -n may at most find space to reclaim (a chain no entry points
// to, or clusters past a file's size) or FAT copies that differ while the
// first is intact, never anything else, and the file reads back as its old
// or its new contents, never a mix (kernel/fs/Fat16VolumeWrite.cpp).
#include "FatTestImage.h"

#include "kernel/fs/Fat16Volume.h"
#include "kernel/fs/MemoryBlockDevice.h"

#include <cstring>
#include <functional>
#include <vector>

using namespace fat_test;
using fluid::BlockDevice;
using fluid::ErrorOr;
using fluid::Fat16Volume;
using fluid::MemoryBlockDevice;

namespace {

// Passes everything through and keeps the writes, in order.
class RecordingDevice final : public BlockDevice {
public:
    struct Write {
        uint64_t lba;
        std::vector<uint8_t> bytes;
    };
    explicit RecordingDevice(BlockDevice& inner) : m_inner(inner) { }
    uint64_t sector_count() const override { return m_inner.sector_count(); }
    ErrorOr<void> read(uint64_t lba, size_t count, void* buffer) override { return m_inner.read(lba, count, buffer); }
    ErrorOr<void> write(uint64_t lba, size_t count, const void* buffer) override
    {
        // One entry per sector: a cut can fall between the sectors of one request.
        for (size_t i = 0; i < count; ++i) {
            auto* sector = static_cast<const uint8_t*>(buffer) + i * sector_size;
            writes.push_back({ lba + i, std::vector<uint8_t>(sector, sector + sector_size) });
        }
        return m_inner.write(lba, count, buffer);
    }
    ErrorOr<void> flush() override { return m_inner.flush(); }
    std::vector<Write> writes;

private:
    BlockDevice& m_inner;
};

// fsck.fat -n's complaints other than the harmless ones, or "" if none.
std::string unexpected_problems(const std::string& output)
{
    std::string problems;
    size_t start = 0;
    while (start < output.size()) {
        size_t end = output.find('\n', start);
        std::string line = output.substr(start, end == std::string::npos ? std::string::npos : end - start);
        start = end == std::string::npos ? output.size() : end + 1;
        bool harmless = line.empty() || line.rfind("fsck.fat ", 0) == 0 || line.find("Leaving filesystem unchanged") != std::string::npos
            || line.find("files,") != std::string::npos || line.find("Reclaimed") != std::string::npos
            || line.find("unused cluster") != std::string::npos || line.find("Free cluster summary") != std::string::npos
            || line.find("Checking we can access") != std::string::npos
            // Between the writes of a FAT sector's two copies: the first
            // copy is always written first and is the one fsck and we trust.
            || line.find("FATs differ but appear to be intact") != std::string::npos
            || line.find("Using first FAT") != std::string::npos
            // An append cut after its clusters were chained, before the
            // entry's size grew: the old contents, plus clusters to reclaim.
            || line.find("cluster chain length is >") != std::string::npos
            || line.find("Truncating file to") != std::string::npos || line.rfind("/", 0) == 0;
        if (!harmless)
            problems += line + "\n";
    }
    return problems;
}

class FatPowerCut : public ::testing::Test {
protected:
    // Runs `change` on a fresh copy of the volume and checks every cut.
    void check_every_cut(const std::function<void(Fat16Volume&)>& change, const std::string& path,
                         const std::vector<uint8_t>& old_contents, const std::vector<uint8_t>& new_contents)
    {
        std::vector<uint8_t> original = image.load();
        std::vector<uint8_t> working = original;
        MemoryBlockDevice memory(std::span<uint8_t>(working.data(), working.size()));
        RecordingDevice recorder(memory);
        {
            auto mounted = Fat16Volume::mount(recorder);
            ASSERT_FALSE(mounted.is_error()) << mounted.error().message();
            change(mounted.value());
        }
        ASSERT_GT(recorder.writes.size(), 2u);
        size_t old_seen = 0, new_seen = 0, lost = 0;
        for (size_t cut = 0; cut <= recorder.writes.size(); ++cut) {
            std::vector<uint8_t> disk = original;
            for (size_t w = 0; w < cut; ++w)
                memcpy(disk.data() + recorder.writes[w].lba * BlockDevice::sector_size, recorder.writes[w].bytes.data(),
                       BlockDevice::sector_size);
            image.save(disk);
            auto fsck = image.fsck();
            EXPECT_EQ(unexpected_problems(fsck.output), "") << "cut before write " << cut << " of "
                                                            << recorder.writes.size() << ":\n" << fsck.output;
            lost += fsck.status != 0;
            MemoryBlockDevice cut_device(std::span<uint8_t>(disk.data(), disk.size()));
            auto mounted = Fat16Volume::mount(cut_device);
            ASSERT_FALSE(mounted.is_error()) << "cut " << cut << ": " << mounted.error().message();
            std::vector<uint8_t> read(new_contents.size() + old_contents.size() + 1);
            auto got = mounted->read(path, 0, read);
            std::vector<uint8_t> contents;
            if (!got.is_error())
                contents.assign(read.begin(), read.begin() + long(got.value()));
            bool is_old = got.is_error() ? old_contents.empty() : contents == old_contents;
            bool is_new = !got.is_error() && contents == new_contents;
            EXPECT_TRUE(is_old || is_new) << "cut before write " << cut << ": " << path << " is neither version ("
                                          << contents.size() << " bytes)";
            old_seen += is_old;
            new_seen += is_new && !is_old;
        }
        EXPECT_GT(old_seen, 0u);
        EXPECT_GT(new_seen, 0u);
        printf("%zu cut points: %zu old, %zu new, %zu where fsck.fat would reclaim space or copy FAT 1\n", recorder.writes.size() + 1,
               old_seen, new_seen, lost);
    }

    TempDir dir;
    Image image { dir };
};

TEST_F(FatPowerCut, ReplacingAFileIsOldOrNew)
{
    image.format(16 * 1024);
    auto old_contents = random_bytes(5000, 1);
    image.put("/data.bin", old_contents);
    auto new_contents = random_bytes(9000, 2);
    check_every_cut([&](Fat16Volume& volume) { ASSERT_FALSE(volume.write_file("/data.bin", new_contents).is_error()); },
                    "/data.bin", old_contents, new_contents);
}

TEST_F(FatPowerCut, CreatingAFileIsNothingOrNew)
{
    image.format(16 * 1024);
    image.mmd("/dir");
    auto new_contents = random_bytes(3000, 3);
    check_every_cut([&](Fat16Volume& volume) { ASSERT_FALSE(volume.write_file("/dir/new.bin", new_contents).is_error()); },
                    "/dir/new.bin", {}, new_contents);
}

TEST_F(FatPowerCut, AppendingIsOldOrNew)
{
    image.format(16 * 1024);
    auto old_contents = random_bytes(1500, 4);
    image.put("/log.txt", old_contents);
    auto tail = random_bytes(4000, 5);
    auto new_contents = old_contents;
    new_contents.insert(new_contents.end(), tail.begin(), tail.end());
    check_every_cut([&](Fat16Volume& volume) { ASSERT_FALSE(volume.append("/log.txt", tail).is_error()); },
                    "/log.txt", old_contents, new_contents);
}

} // namespace
