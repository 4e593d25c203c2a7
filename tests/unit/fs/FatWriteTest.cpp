// Writing through Fat16Volume, then asking fsck.fat and mtools what they
// see in the saved image.
#include "FatTestImage.h"

#include "kernel/fs/Fat16Volume.h"
#include "kernel/fs/MemoryBlockDevice.h"

#include <algorithm>
#include <optional>

using namespace fat_test;
using fluid::Fat16Volume;
using fluid::MemoryBlockDevice;

namespace {

#define ASSERT_OK(expression)                                                  \
    do {                                                                       \
        auto _result = (expression);                                           \
        ASSERT_FALSE(_result.is_error()) << #expression << ": " << _result.error().message(); \
    } while (0)

class FatWrite : public ::testing::Test {
protected:
    void SetUp() override
    {
        image.format(16 * 1024);
        image.mmd("/existing");
        image.put("/existing/old file.txt", text_bytes("old contents\n"));
        remount();
    }

    void remount()
    {
        volume.reset();
        device.reset();
        bytes = image.load();
        device.emplace(std::span<uint8_t>(bytes.data(), bytes.size()));
        auto mounted = Fat16Volume::mount(*device);
        ASSERT_FALSE(mounted.is_error()) << mounted.error().message();
        volume.emplace(mounted.release_value());
    }

    // Saves our image and checks it the way a user would.
    void save_and_check()
    {
        image.save(bytes);
        auto fsck = image.fsck();
        EXPECT_EQ(fsck.status, 0) << fsck.output;
    }

    std::vector<uint8_t> mtools_bytes(const std::string& path)
    {
        std::vector<uint8_t> out;
        auto result = image.get(path, out);
        EXPECT_EQ(result.status, 0) << path << ": " << result.output;
        return out;
    }

    std::vector<std::string> mtools_listing(const std::string& dir)
    {
        auto result = image.mdir(dir);
        EXPECT_EQ(result.status, 0) << result.output;
        std::vector<std::string> lines;
        size_t at = 0;
        while (at < result.output.size()) {
            size_t end = result.output.find('\n', at);
            if (end == std::string::npos)
                end = result.output.size();
            if (end > at)
                lines.push_back(result.output.substr(at, end - at));
            at = end + 1;
        }
        std::sort(lines.begin(), lines.end());
        return lines;
    }

    TempDir dir;
    Image image { dir };
    std::vector<uint8_t> bytes;
    std::optional<MemoryBlockDevice> device;
    std::optional<Fat16Volume> volume;
};

} // namespace

TEST_F(FatWrite, CreatesFilesAndDirectoriesMtoolsCanRead)
{
    auto story = random_bytes(70000, 7);
    ASSERT_OK(volume->mkdir("/models"));
    ASSERT_OK(volume->mkdir("/models/Deep Nested Directory"));
    ASSERT_OK(volume->write_file("/models/Once Upon.gguf", story));
    ASSERT_OK(volume->write_file("/models/Deep Nested Directory/notes.txt", text_bytes("nested\n")));
    ASSERT_OK(volume->write_file("/KERNEL.ELF", text_bytes("kernel")));
    ASSERT_OK(volume->write_file("/empty", {}));
    ASSERT_OK(volume->write_file("/Mixed Case.Text", text_bytes("mixed")));
    save_and_check();

    EXPECT_EQ(mtools_bytes("/models/Once Upon.gguf"), story);
    EXPECT_EQ(mtools_bytes("/models/Deep Nested Directory/notes.txt"), text_bytes("nested\n"));
    EXPECT_EQ(mtools_bytes("/KERNEL.ELF"), text_bytes("kernel"));
    EXPECT_EQ(mtools_bytes("/Mixed Case.Text"), text_bytes("mixed"));
    EXPECT_EQ(mtools_bytes("/empty"), std::vector<uint8_t> {});
    EXPECT_EQ(mtools_listing("/models"),
              (std::vector<std::string> { "::/models/Deep Nested Directory/", "::/models/Once Upon.gguf" }));
    EXPECT_EQ(mtools_listing("/"),
              (std::vector<std::string> { "::/KERNEL.ELF", "::/Mixed Case.Text", "::/empty", "::/existing/",
                                          "::/models/" }));
    auto info = volume->stat("/models/once upon.GGUF");
    ASSERT_FALSE(info.is_error()) << info.error().message();
    EXPECT_EQ(info->short_name, "ONCEUP~1.GGU");
    EXPECT_EQ(info->name, "Once Upon.gguf");
}

TEST_F(FatWrite, NumericTailsKeepAliasesUnique)
{
    ASSERT_OK(volume->write_file("/Once Upon.gguf", text_bytes("1")));
    ASSERT_OK(volume->write_file("/Once Upon Again.gguf", text_bytes("2")));
    ASSERT_OK(volume->write_file("/a name that is quite a bit longer than thirteen characters.txt", text_bytes("3")));
    EXPECT_EQ(volume->stat("/Once Upon Again.gguf")->short_name, "ONCEUP~2.GGU");
    EXPECT_EQ(volume->write_file("/ONCE UPON.gguf", text_bytes("x")).is_error(), false); // overwrite, same file
    save_and_check();
    EXPECT_EQ(mtools_bytes("/ONCEUP~1.GGU"), text_bytes("x"));
    EXPECT_EQ(mtools_bytes("/ONCEUP~2.GGU"), text_bytes("2"));
    EXPECT_EQ(mtools_bytes("/a name that is quite a bit longer than thirteen characters.txt"), text_bytes("3"));
}

TEST_F(FatWrite, LongNamesOfEveryPieceLength)
{
    // 13 and 26 characters fill whole long-name entries (no terminator);
    // 255 is the limit; non-ASCII goes out as UCS-2.
    std::vector<std::string> names = { "Exactly13Char", "Exactly26CharactersLongNam", std::string(251, 'n') + ".txt",
                                       "caf\xC3\xA9 cr\xC3\xA8me.txt", "x" };
    for (size_t i = 0; i < names.size(); ++i)
        ASSERT_OK(volume->write_file("/" + names[i], text_bytes(std::to_string(i))));
    save_and_check();
    for (size_t i = 0; i < names.size(); ++i) {
        EXPECT_EQ(mtools_bytes("/" + names[i]), text_bytes(std::to_string(i))) << names[i];
        auto info = volume->stat("/" + names[i]);
        ASSERT_FALSE(info.is_error()) << info.error().message();
        EXPECT_EQ(info->name, names[i]);
    }
    EXPECT_TRUE(volume->write_file("/" + std::string(256, 'n'), {}).is_error());
}

TEST_F(FatWrite, LargeFileRoundTrip)
{
    auto big = random_bytes(5 * 1024 * 1024 + 123, 11);
    ASSERT_OK(volume->write_file("/big model.bin", big));
    auto file = volume->open("/big model.bin");
    ASSERT_FALSE(file.is_error()) << file.error().message();
    EXPECT_EQ(file->extent_count(), 1u);
    std::vector<uint8_t> back(big.size());
    auto got = file->read_at(0, back);
    ASSERT_FALSE(got.is_error());
    EXPECT_EQ(back, big);
    save_and_check();
    EXPECT_EQ(mtools_bytes("/big model.bin"), big);
    // And the other way: overwrite with a smaller file, the freed clusters
    // must show up as free again.
    auto before = volume->statfs();
    ASSERT_OK(volume->write_file("/big model.bin", text_bytes("small")));
    auto after = volume->statfs();
    ASSERT_FALSE(before.is_error() || after.is_error());
    EXPECT_GT(after->free_clusters, before->free_clusters + 1000);
    save_and_check();
    EXPECT_EQ(mtools_bytes("/big model.bin"), text_bytes("small"));
}

TEST_F(FatWrite, RenameRemoveTruncateAppend)
{
    ASSERT_OK(volume->mkdir("/a"));
    ASSERT_OK(volume->mkdir("/a/inner dir"));
    ASSERT_OK(volume->write_file("/a/inner dir/data.bin", random_bytes(9000, 5)));
    ASSERT_OK(volume->write_file("/a/log.txt", text_bytes("one\n")));
    ASSERT_OK(volume->append("/a/log.txt", text_bytes("two\n")));
    ASSERT_OK(volume->append("/a/new log.txt", text_bytes("fresh\n")));
    auto grown = random_bytes(5000, 6);
    ASSERT_OK(volume->write_file("/a/shrink.bin", grown));
    ASSERT_OK(volume->truncate("/a/shrink.bin", 100));
    ASSERT_OK(volume->write_file("/a/grow.bin", text_bytes("ab")));
    ASSERT_OK(volume->truncate("/a/grow.bin", 3000));
    ASSERT_OK(volume->write_file("/a/zero.bin", text_bytes("gone")));
    ASSERT_OK(volume->truncate("/a/zero.bin", 0));
    ASSERT_OK(volume->rename("/a/log.txt", "/a/Renamed Log.txt"));
    ASSERT_OK(volume->rename("/a/Renamed Log.txt", "/a/RENAMED LOG.TXT")); // case only
    ASSERT_OK(volume->rename("/a/inner dir", "/moved dir"));
    ASSERT_OK(volume->rename("/existing/old file.txt", "/a/old file.txt"));
    ASSERT_OK(volume->remove("/existing"));
    save_and_check();

    EXPECT_EQ(mtools_bytes("/a/RENAMED LOG.TXT"), text_bytes("one\ntwo\n"));
    EXPECT_EQ(mtools_bytes("/a/new log.txt"), text_bytes("fresh\n"));
    EXPECT_EQ(mtools_bytes("/a/shrink.bin"), std::vector<uint8_t>(grown.begin(), grown.begin() + 100));
    auto expected_grow = text_bytes("ab");
    expected_grow.resize(3000, 0);
    EXPECT_EQ(mtools_bytes("/a/grow.bin"), expected_grow);
    EXPECT_EQ(mtools_bytes("/a/zero.bin"), std::vector<uint8_t> {});
    EXPECT_EQ(mtools_bytes("/moved dir/data.bin"), random_bytes(9000, 5));
    EXPECT_EQ(mtools_bytes("/a/old file.txt"), text_bytes("old contents\n"));
    EXPECT_EQ(mtools_listing("/"), (std::vector<std::string> { "::/a/", "::/moved dir/" }));

    ASSERT_OK(volume->remove("/moved dir/data.bin"));
    ASSERT_OK(volume->remove("/moved dir"));
    ASSERT_OK(volume->remove("/a/grow.bin"));
    save_and_check();
    EXPECT_EQ(mtools_listing("/"), (std::vector<std::string> { "::/a/" }));

    // Our running free count agrees with fsck.fat's "used/total clusters".
    auto fsck = image.fsck();
    unsigned used = 0, total = 0;
    auto at = fsck.output.find("files, ");
    ASSERT_NE(at, std::string::npos) << fsck.output;
    ASSERT_EQ(sscanf(fsck.output.c_str() + at, "files, %u/%u clusters", &used, &total), 2) << fsck.output;
    auto fs = volume->statfs();
    ASSERT_FALSE(fs.is_error());
    EXPECT_EQ(fs->free_clusters, total - used);
}

TEST_F(FatWrite, ReadOnlyDeviceRefusesWritesAndStaysUnchanged)
{
    auto original = image.load();
    MemoryBlockDevice read_only(std::span<const uint8_t>(original.data(), original.size()));
    auto mounted = Fat16Volume::mount(read_only);
    ASSERT_FALSE(mounted.is_error());
    auto refused = mounted->write_file("/new.txt", text_bytes("data"));
    ASSERT_TRUE(refused.is_error());
    EXPECT_STREQ(refused.error().message(), "block: the memory device is read-only");
    EXPECT_TRUE(mounted->mkdir("/newdir").is_error());
    EXPECT_TRUE(mounted->remove("/existing/old file.txt").is_error());
    EXPECT_EQ(original, image.load());
    auto old = mounted->stat("/existing/old file.txt");
    ASSERT_FALSE(old.is_error()) << old.error().message();
}

TEST_F(FatWrite, RefusesWhatItMustNot)
{
    ASSERT_OK(volume->mkdir("/d"));
    ASSERT_OK(volume->write_file("/d/f", text_bytes("x")));
    auto not_empty = volume->remove("/d");
    ASSERT_TRUE(not_empty.is_error());
    EXPECT_STREQ(not_empty.error().message(), "FAT: directory /d is not empty");
    EXPECT_EQ(volume->mkdir("/d").error().code(), fluid::ErrorCode::Exists);
    EXPECT_EQ(volume->rename("/d/f", "/existing").error().code(), fluid::ErrorCode::Exists);
    EXPECT_TRUE(volume->rename("/d", "/d/inside").is_error());
    EXPECT_TRUE(volume->write_file("/d", text_bytes("x")).is_error());
    EXPECT_TRUE(volume->write_file("/bad:name", text_bytes("x")).is_error());
    EXPECT_TRUE(volume->write_file("/nodir/file", text_bytes("x")).is_error());
    EXPECT_TRUE(volume->remove("/").is_error());
    save_and_check();
}

TEST_F(FatWrite, FillsRootAndSubdirectoryAndVolume)
{
    // The FAT16 root is fixed (512 entries here); a subdirectory grows.
    ASSERT_OK(volume->mkdir("/many"));
    for (int i = 0; i < 300; ++i)
        ASSERT_OK(volume->write_file("/many/file number " + std::to_string(i) + ".txt", text_bytes(std::to_string(i))));
    fluid::ErrorOr<void> last {};
    for (int i = 0; i < 600 && !last.is_error(); ++i)
        last = volume->write_file("/root file " + std::to_string(i), {});
    ASSERT_TRUE(last.is_error());
    EXPECT_NE(strstr(last.error().message(), "root directory is full"), nullptr) << last.error().message();
    auto fs = volume->statfs();
    ASSERT_FALSE(fs.is_error());
    auto too_big = volume->write_file("/many/huge", std::vector<uint8_t>(fs->free_bytes + 1));
    ASSERT_TRUE(too_big.is_error());
    EXPECT_EQ(too_big.error().code(), fluid::ErrorCode::NoMemory);
    save_and_check();
    EXPECT_EQ(mtools_bytes("/many/file number 299.txt"), text_bytes("299"));
    EXPECT_EQ(mtools_listing("/many").size(), 300u);
}
