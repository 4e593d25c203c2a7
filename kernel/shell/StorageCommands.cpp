#include "kernel/shell/StorageCommands.h"

#include "kernel/drivers/Console.h"
#include "kernel/shell/ProgressBar.h"
#include "kernel/storage/Storage.h"

#include <arch/clock.h>

#include <memory>

#include <string>

namespace fluid {

static Fat16Volume* volume_or_complain()
{
    Fat16Volume* volume = Storage::get().boot_volume();
    if (!volume)
        kprintf("error: no boot volume (see 'disks')\n");
    return volume;
}

void cmd_disks(const CommandLine& args)
{
    bool json = args.has_flag("--json");
    for (const auto& disk : Storage::get().disks()) {
        uint64_t sectors = disk->device->sector_count();
        if (json) {
            kprintf("{\"disk\":\"%s\",\"model\":\"%s\",\"sectors\":%lu,\"fat16\":%s}\n", disk->name,
                    disk->device->model(), sectors, disk->volume ? "true" : "false");
            continue;
        }
        kprintf("%s: %s, %lu sectors (%lu MiB)", disk->name, disk->device->model(), sectors, sectors / 2048);
        if (disk->volume)
            kprintf(", FAT16 partition at LBA %lu%s\n", disk->partition->first_lba(),
                    disk->volume.get() == Storage::get().boot_volume() ? " (boot volume)" : "");
        else
            kprintf(", no FAT16 volume: %s\n", disk->problem);
    }
    if (Storage::get().disks().empty() && !json)
        kprintf("no disks found\n");
}

void cmd_ls(const CommandLine& args)
{
    Fat16Volume* volume = volume_or_complain();
    if (!volume)
        return;
    std::string path = args.count() > 1 ? std::string(args[1]) : "/";
    auto entries = volume->list(path);
    if (entries.is_error()) {
        // A file: show just it.
        auto info = volume->stat(path);
        if (info.is_error()) {
            kprintf("error: %s\n", entries.error().message());
            return;
        }
        kprintf("%10u  %s\n", info->size, path.c_str());
        return;
    }
    for (const FatEntryInfo& e : entries.value()) {
        if (e.is_directory)
            kprintf("%10s  %s/\n", "<dir>", e.name.c_str());
        else
            kprintf("%10u  %s\n", e.size, e.name.c_str());
    }
}

void cmd_cat(const CommandLine& args)
{
    Fat16Volume* volume = volume_or_complain();
    if (!volume)
        return;
    if (args.count() < 2) {
        kprintf("usage: cat <path>\n");
        return;
    }
    std::string path(args[1]);
    auto info = volume->stat(path);
    if (info.is_error()) {
        kprintf("error: %s\n", info.error().message());
        return;
    }
    if (info->is_directory) {
        kprintf("error: %s is a directory\n", path.c_str());
        return;
    }
    uint8_t chunk[4096];
    for (uint64_t offset = 0; offset < info->size;) {
        auto got = volume->read(path, offset, chunk);
        if (got.is_error()) {
            kprintf("\nerror: %s\n", got.error().message());
            return;
        }
        if (got.value() == 0)
            break;
        // Binary files would scramble the terminal: say so instead.
        for (size_t i = 0; i < got.value(); ++i) {
            if (chunk[i] == 0) {
                kprintf("%scat: %s is a binary file (%u bytes)\n", offset ? "\n" : "", path.c_str(), info->size);
                return;
            }
        }
        console().write(reinterpret_cast<const char*>(chunk), got.value());
        offset += got.value();
    }
}

extern "C" unsigned long crc32(unsigned long crc, const unsigned char* data, unsigned int length);

// Reads a whole file in large chunks, as loading a model will, with a
// progress bar; prints its CRC-32 (zlib's polynomial, as `crc32` and
// Python's zlib.crc32 compute it) and the read speed.
void cmd_checksum(const CommandLine& args)
{
    Fat16Volume* volume = volume_or_complain();
    if (!volume)
        return;
    if (args.count() < 2) {
        kprintf("usage: checksum <path>\n");
        return;
    }
    std::string path(args[1]);
    auto info = volume->stat(path);
    if (info.is_error() || info->is_directory) {
        kprintf("error: %s\n", info.is_error() ? info.error().message() : "a directory has no checksum");
        return;
    }
    constexpr size_t chunk_size = 1 << 20;
    auto chunk = std::make_unique<uint8_t[]>(chunk_size);
    uint64_t start = arch::now_ns();
    ProgressBar progress(info->size, start);
    unsigned long crc = 0;
    uint64_t offset = 0;
    while (offset < info->size) {
        auto got = volume->read(path, offset, { chunk.get(), chunk_size });
        if (got.is_error() || got.value() == 0) {
            kprintf("\nerror: %s\n", got.is_error() ? got.error().message() : "file ended early");
            return;
        }
        crc = crc32(crc, chunk.get(), unsigned(got.value()));
        offset += got.value();
        progress.update(offset, arch::now_ns());
    }
    uint64_t end = arch::now_ns();
    progress.finish(end);
    uint64_t us = (end - start) / 1000;
    kprintf("crc32 %08lx  %lu bytes  %lu.%03lu s  %s\n", crc, offset, us / 1000000, us / 1000 % 1000, path.c_str());
}

void cmd_df(const CommandLine& args)
{
    Fat16Volume* volume = volume_or_complain();
    if (!volume)
        return;
    auto stats = volume->statfs();
    if (stats.is_error()) {
        kprintf("error: %s\n", stats.error().message());
        return;
    }
    const FatStatfs& s = stats.value();
    if (args.has_flag("--json")) {
        kprintf("{\"total_bytes\":%lu,\"free_bytes\":%lu,\"cluster_bytes\":%u}\n", s.total_bytes, s.free_bytes,
                s.cluster_bytes);
        return;
    }
    kprintf("boot volume (FAT16): %lu KiB total, %lu KiB used, %lu KiB free, %u-byte clusters\n", s.total_bytes / 1024,
            (s.total_bytes - s.free_bytes) / 1024, s.free_bytes / 1024, s.cluster_bytes);
}

} // namespace fluid
