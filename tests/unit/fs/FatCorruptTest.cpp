// Corrupt volumes: every problem must come back as an error that says what
// and where, never as a crash, a hang or a write outside the volume.
#include "FatTestImage.h"

#include "kernel/fs/Fat16Volume.h"
#include "kernel/fs/FatLayout.h"
#include "kernel/fs/MemoryBlockDevice.h"
#include "kernel/fs/PartitionBlockDevice.h"

#include <algorithm>
#include <cstring>
#include <functional>

using namespace fat_test;
using fluid::Fat16Volume;
using fluid::FatGeometry;
using fluid::MemoryBlockDevice;

namespace {

class FatCorrupt : public ::testing::Test {
protected:
    void SetUp() override
    {
        // Small (4 MiB, 512-byte clusters, still FAT16) so the damage loop
        // copies little.
        image.format(4 * 1024, "-s 1");
        image.mmd("/dir");
        image.put("/file.bin", random_bytes(3 * 2048 + 5, 1));
        image.put("/dir/Long Named File.txt", text_bytes("long\n"));
        pristine = image.load();
        fluid::fat::BootSector boot;
        memcpy(&boot, pristine.data(), sizeof(boot));
        geometry = FatGeometry::from_boot_sector(boot, pristine.size() / 512).release_value();
    }

    // Mounts `bytes` and returns the first error of mount + `action`.
    std::string error_of(std::vector<uint8_t>& bytes, const std::function<fluid::ErrorOr<void>(Fat16Volume&)>& action)
    {
        MemoryBlockDevice device(std::span<uint8_t>(bytes.data(), bytes.size()));
        auto volume = Fat16Volume::mount(device);
        if (volume.is_error())
            return volume.error().message();
        auto result = action(*volume);
        return result.is_error() ? result.error().message() : "";
    }
    std::string mount_error(std::vector<uint8_t> bytes)
    {
        return error_of(bytes, [](Fat16Volume&) { return fluid::ErrorOr<void> {}; });
    }

    static fluid::ErrorOr<void> read_file(Fat16Volume& volume, const char* path)
    {
        auto info = TRY(volume.stat(path));
        std::vector<uint8_t> out(info.size);
        TRY(volume.read(path, 0, out));
        return {};
    }

    uint16_t first_cluster_of(const char* path)
    {
        MemoryBlockDevice device(std::span<const uint8_t>(pristine.data(), pristine.size()));
        auto volume = Fat16Volume::mount(device).release_value();
        return uint16_t(volume.stat(path)->first_cluster);
    }
    void set_fat(std::vector<uint8_t>& bytes, uint32_t cluster, uint16_t value)
    {
        for (uint32_t copy = 0; copy < geometry.fat_count(); ++copy) {
            size_t at = (geometry.fat_first_sector() + copy * geometry.fat_sectors()) * 512 + cluster * 2;
            memcpy(bytes.data() + at, &value, 2);
        }
    }
    // The root directory's 8.3 entry with this name.
    fluid::fat::DirectoryEntry* root_entry(std::vector<uint8_t>& bytes, const char* short_name)
    {
        auto* root = bytes.data() + geometry.root_first_sector() * 512;
        auto* entries = reinterpret_cast<fluid::fat::DirectoryEntry*>(root);
        for (uint32_t i = 0; i < geometry.root_entry_count(); ++i) {
            if (memcmp(entries[i].name, short_name, 11) == 0)
                return &entries[i];
        }
        ADD_FAILURE() << "no root entry " << short_name;
        return nullptr;
    }

    TempDir dir;
    Image image { dir };
    std::vector<uint8_t> pristine;
    FatGeometry geometry;
};

#define EXPECT_CONTAINS(haystack, needle) EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

} // namespace

TEST_F(FatCorrupt, RejectsBadBootSectorFields)
{
    auto patched = [&](size_t offset, std::vector<uint8_t> value) {
        auto bytes = pristine;
        memcpy(bytes.data() + offset, value.data(), value.size());
        return mount_error(bytes);
    };
    EXPECT_EQ(mount_error(pristine), "");
    EXPECT_CONTAINS(patched(11, { 0x00, 0x04 }), "1024 bytes per sector");
    EXPECT_CONTAINS(patched(13, { 3 }), "3 sectors per cluster (not a power of two up to 64)");
    EXPECT_CONTAINS(patched(13, { 128 }), "128 sectors per cluster");
    EXPECT_CONTAINS(patched(14, { 0, 0 }), "no reserved sectors");
    EXPECT_CONTAINS(patched(16, { 3 }), "3 FATs");
    EXPECT_CONTAINS(patched(17, { 0, 0 }), "not FAT16");
    EXPECT_CONTAINS(patched(22, { 0, 0 }), "not FAT16");
    EXPECT_CONTAINS(patched(22, { 1, 0 }), "FAT of 1 sectors cannot map");
    EXPECT_CONTAINS(patched(510, { 0, 0 }), "55 AA");
    EXPECT_CONTAINS(patched(0, { 0 }), "not a jump");
    // 4000 sectors leaves fewer than 4085 clusters: FAT12 territory.
    EXPECT_CONTAINS(patched(19, { 0xA0, 0x0F }), "clusters, not FAT16 (4085..65524)");
    EXPECT_CONTAINS(patched(21, { 0xF0 }), "media byte");
    auto truncated = std::vector<uint8_t>(pristine.begin(), pristine.begin() + pristine.size() / 2);
    EXPECT_CONTAINS(mount_error(truncated), "volume has 8192 sectors but the device only 4096");
    EXPECT_CONTAINS(mount_error({}), "device is empty");
}

TEST_F(FatCorrupt, DetectsChainCycle)
{
    auto bytes = pristine;
    uint16_t first = first_cluster_of("/file.bin");
    set_fat(bytes, first + 2, first); // the fourth link goes back to the start
    auto error = error_of(bytes, [](Fat16Volume& v) { return read_file(v, "/file.bin"); });
    EXPECT_CONTAINS(error, "FAT: cluster chain of /file.bin has a cycle");
    EXPECT_CONTAINS(error_of(bytes, [](Fat16Volume& v) { return v.remove("/file.bin"); }), "cycle");
    EXPECT_CONTAINS(error_of(bytes, [](Fat16Volume& v) { return v.append("/file.bin", text_bytes("x")); }), "cycle");
    EXPECT_CONTAINS(error_of(bytes, [](Fat16Volume& v) { return v.write_file("/file.bin", text_bytes("x")); }),
                    "cycle");
}

TEST_F(FatCorrupt, DetectsClusterBeyondVolume)
{
    auto bytes = pristine;
    uint16_t first = first_cluster_of("/file.bin");
    set_fat(bytes, first + 1, 0xFFF0);
    char expected[128];
    snprintf(expected, sizeof(expected), "FAT: cluster 65520 of /file.bin is beyond the volume (%u clusters)",
             geometry.cluster_count());
    EXPECT_EQ(error_of(bytes, [](Fat16Volume& v) { return read_file(v, "/file.bin"); }), expected);

    bytes = pristine;
    root_entry(bytes, "FILE    BIN")->first_cluster_low = 0xFFF0;
    EXPECT_EQ(error_of(bytes, [](Fat16Volume& v) { return read_file(v, "/file.bin"); }), expected);
    EXPECT_CONTAINS(error_of(bytes, [](Fat16Volume& v) { return v.truncate("/file.bin", 1); }), "beyond the volume");

    bytes = pristine;
    set_fat(bytes, first + 1, 0); // the chain runs into a free cluster
    EXPECT_CONTAINS(error_of(bytes, [](Fat16Volume& v) { return read_file(v, "/file.bin"); }), "free cluster");
}

TEST_F(FatCorrupt, DetectsSizeLargerThanChain)
{
    auto bytes = pristine;
    root_entry(bytes, "FILE    BIN")->file_size = 100000;
    uint32_t clusters = (3 * 2048 + 5 + geometry.cluster_bytes() - 1) / geometry.cluster_bytes();
    EXPECT_EQ(error_of(bytes, [](Fat16Volume& v) { return read_file(v, "/file.bin"); }),
              "FAT: /file.bin is 100000 bytes but its cluster chain holds only "
                  + std::to_string(clusters * geometry.cluster_bytes()));
    bytes = pristine;
    auto* entry = root_entry(bytes, "FILE    BIN");
    entry->first_cluster_low = 0;
    EXPECT_CONTAINS(error_of(bytes, [](Fat16Volume& v) { return read_file(v, "/file.bin"); }), "has no clusters");
}

TEST_F(FatCorrupt, DetectsBrokenDirectories)
{
    auto bytes = pristine;
    auto* dir_entry = root_entry(bytes, "DIR        ");
    uint16_t cluster = dir_entry->first_cluster_low;
    set_fat(bytes, cluster, cluster); // a directory that is its own successor
    auto list_dir = [](Fat16Volume& v) -> fluid::ErrorOr<void> {
        TRY(v.list("/dir"));
        return {};
    };
    EXPECT_CONTAINS(error_of(bytes, list_dir), "FAT: cluster chain of /dir has a cycle");
    bytes = pristine;
    root_entry(bytes, "DIR        ")->first_cluster_low = 0;
    EXPECT_CONTAINS(error_of(bytes, [](Fat16Volume& v) { return read_file(v, "/dir/Long Named File.txt"); }),
                    "directory /dir starts at cluster 0");
}

TEST_F(FatCorrupt, BadLongNameChecksumFallsBackToShortName)
{
    auto bytes = pristine;
    // The directory /dir: ".", "..", then the long-name entry.
    uint16_t cluster = root_entry(bytes, "DIR        ")->first_cluster_low;
    size_t at = geometry.cluster_lba(cluster) * 512 + 2 * 32;
    ASSERT_EQ(bytes[at + 11], 0x0F);
    bytes[at + 13] ^= 0xFF;
    MemoryBlockDevice device(std::span<uint8_t>(bytes.data(), bytes.size()));
    auto volume = Fat16Volume::mount(device);
    ASSERT_FALSE(volume.is_error());
    auto list = volume->list("/dir");
    ASSERT_FALSE(list.is_error());
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->at(0).name, "LONGNA~1.TXT");
}

// Random damage to the metadata must never crash (ASan and UBSan watch) or
// hang; errors are fine.
TEST_F(FatCorrupt, SurvivesRandomMetadataDamage)
{
    std::mt19937 rng(42);
    int mounted = 0;
    // The volume sits in a partition between two guard bands that must
    // survive whatever the damaged metadata says.
    constexpr size_t guard = 64 * 512;
    std::vector<uint8_t> base(guard, 0xCC);
    base.insert(base.end(), pristine.begin(), pristine.end());
    base.insert(base.end(), guard, 0xCC);
    size_t metadata = size_t(geometry.first_data_sector() + 8) * 512;
    for (int round = 0; round < 400; ++round) {
        auto bytes = base;
        for (int k = 0; k < 20; ++k) {
            size_t at = round % 3 == 0 ? rng() % 64 : rng() % metadata;
            bytes[guard + at] = uint8_t(rng());
        }
        MemoryBlockDevice disk(std::span<uint8_t>(bytes.data(), bytes.size()));
        auto device = fluid::PartitionBlockDevice::create(disk, guard / 512, pristine.size() / 512).release_value();
        auto volume = Fat16Volume::mount(device);
        if (volume.is_error())
            continue;
        for (const char* path : { "/", "/dir" }) {
            auto list = volume->list(path);
            if (list.is_error())
                continue;
            for (auto& entry : list.value()) {
                std::string full = std::string(path == std::string("/") ? "" : path) + "/" + entry.name;
                if (!entry.is_directory)
                    (void)read_file(*volume, full.c_str());
            }
        }
        (void)volume->write_file("/dir/new file.txt", text_bytes("new"));
        (void)volume->remove("/file.bin");
        (void)volume->statfs();
        auto intact = [](auto begin, auto end) { return std::all_of(begin, end, [](uint8_t b) { return b == 0xCC; }); };
        ASSERT_TRUE(intact(bytes.begin(), bytes.begin() + guard)) << "round " << round;
        ASSERT_TRUE(intact(bytes.end() - guard, bytes.end())) << "round " << round;
        mounted++;
    }
    // The damage must leave most volumes mountable, or the walk above
    // tests nothing.
    EXPECT_GT(mounted, 100);
}
