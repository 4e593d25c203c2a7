// libFuzzer target for the FAT16 code: the input is a whole volume image.
// Everything a user can do to a volume is tried on it — mount, walk every
// directory, read every file, write, mkdir, rename, remove — and none of it
// may crash, hang or touch memory outside the image (ASan and UBSan watch).
// The seed is a real mkfs.fat + mtools image (tests/fuzz/CMakeLists.txt).
#include "kernel/fs/Fat16Volume.h"
#include "kernel/fs/MemoryBlockDevice.h"

#include <cstdint>
#include <string>
#include <vector>

using namespace fluid;

namespace {

void walk(Fat16Volume& volume, const std::string& path, int depth, size_t& budget)
{
    auto entries = volume.list(path);
    if (entries.is_error() || depth > 4)
        return;
    for (const FatEntryInfo& e : entries.value()) {
        if (budget == 0)
            return;
        --budget;
        if (e.name == "." || e.name == "..")
            continue;
        std::string child = (path == "/" ? "" : path) + "/" + e.name;
        if (e.is_directory) {
            walk(volume, child, depth + 1, budget);
            continue;
        }
        uint8_t buffer[4096];
        (void)volume.read(child, 0, buffer);
        if (e.size > sizeof(buffer))
            (void)volume.read(child, e.size - 100, buffer);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::vector<uint8_t> image(data, data + size);
    MemoryBlockDevice device(std::span<uint8_t>(image.data(), image.size()));
    auto mounted = Fat16Volume::mount(device);
    if (mounted.is_error())
        return 0;
    Fat16Volume& volume = mounted.value();
    size_t budget = 256;
    walk(volume, "/", 0, budget);
    (void)volume.statfs();
    static const uint8_t text[] = "written by the fuzzer";
    (void)volume.write_file("/Fuzzer Output.txt", text);
    (void)volume.mkdir("/fuzzdir");
    (void)volume.rename("/Fuzzer Output.txt", "/fuzzdir/moved.txt");
    (void)volume.append("/fuzzdir/moved.txt", text);
    (void)volume.truncate("/fuzzdir/moved.txt", 3);
    (void)volume.remove("/fuzzdir/moved.txt");
    (void)volume.remove("/fuzzdir");
    (void)volume.flush();
    return 0;
}
