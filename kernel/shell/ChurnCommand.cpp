#include "kernel/shell/ChurnCommand.h"

#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/storage/Storage.h"

#include <cstdio>
#include <cstdlib>

namespace fluid {

std::string churn_content(uint32_t index, uint64_t version)
{
    char header[64];
    int length = snprintf(header, sizeof(header), "fluid churn file %u version %lu\n", index, version);
    size_t size = 200 + (version * 7919 + index * 104729) % 3000;
    std::string text(header, size_t(length));
    for (size_t k = text.size(); k < size; ++k)
        text.push_back(k % 64 == 63 ? '\n' : char('a' + (version * 31 + index * 17 + k) % 26));
    return text;
}

static bool parse_number(const CommandLine& args, std::string_view flag, uint64_t max, uint64_t& out)
{
    for (size_t i = 1; i + 1 < args.count(); ++i) {
        if (args[i] != flag)
            continue;
        std::string number(args[i + 1]);
        char* end = nullptr;
        uint64_t value = strtoull(number.c_str(), &end, 10);
        if (number.empty() || *end || value > max)
            return false;
        out = value;
    }
    return true;
}

void cmd_fs_churn(const CommandLine& args)
{
    uint64_t files = 4, rounds = 100, first = 1;
    if (!parse_number(args, "--files", 64, files) || !parse_number(args, "--rounds", 1000000, rounds)
        || !parse_number(args, "--first", 1ull << 40, first) || files == 0) {
        kprintf("usage: fs-churn [--files N (1..64)] [--rounds R] [--first VERSION] [--profile]\n");
        return;
    }
    Fat16Volume* volume = Storage::get().boot_volume();
    if (!volume) {
        kprintf("error: no writable boot volume\n");
        return;
    }
    if (auto made = volume->mkdir("/churn"); made.is_error() && made.error().code() != ErrorCode::Exists) {
        kprintf("error: fs-churn: %s\n", made.error().message());
        return;
    }
    bool profile = args.has_flag("--profile");
    KernelJit* jit = KernelJit::get();
    for (uint64_t round = 0; round < rounds; ++round) {
        uint64_t version = first + round;
        for (uint32_t i = 0; i < files; ++i) {
            char path[32];
            snprintf(path, sizeof(path), "/churn/f%u.txt", i);
            std::string text = churn_content(i, version);
            auto written = volume->write_file(path, { reinterpret_cast<const uint8_t*>(text.data()), text.size() });
            if (written.is_error()) {
                kprintf("error: fs-churn: %s: %s\n", path, written.error().message());
                return;
            }
        }
        if (profile && jit) {
            auto saved = jit->save_profile(*volume);
            if (saved.is_error()) {
                kprintf("error: fs-churn: profile save: %s\n", saved.error().message());
                return;
            }
        }
        kprintf("churn version %lu written\n", version);
    }
    kprintf("fs-churn: %lu round(s) of %lu file(s) done\n", rounds, files);
}

} // namespace fluid
