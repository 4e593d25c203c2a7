// The tier profile on the boot volume: /profile/profile.json
// (jit/SavedProfile.h has the format). A save never leaves a half-written
// profile under the real name: it writes profile.new, flushes, and only
// then replaces profile.json by a rename. If power fails between removing
// the old file and the rename, the next boot finds only profile.new, which
// is complete (it was flushed first) and is used instead.
#include "jit/SavedProfile.h"
#include "kernel/drivers/Console.h"
#include "kernel/fs/Fat16Volume.h"
#include "kernel/jit/KernelJit.h"

#include <arch/clock.h>

namespace fluid {

static constexpr const char* profile_dir = "/profile";
static constexpr const char* profile_path = "/profile/profile.json";
static constexpr const char* staging_path = "/profile/profile.new";

ErrorOr<size_t> KernelJit::save_profile(Fat16Volume& volume)
{
    auto profile = m_tiers->profile();
    std::string text = jit::serialize_profile(profile);
    size_t hot = 0;
    for (const auto& p : profile)
        hot += p.tier != jit::OptLevel::O0;
    if (volume.stat(profile_dir).is_error())
        TRY(volume.mkdir(profile_dir));
    TRY(volume.write_file(staging_path, { reinterpret_cast<const uint8_t*>(text.data()), text.size() }));
    TRY(volume.flush());
    if (!volume.stat(profile_path).is_error())
        TRY(volume.remove(profile_path));
    TRY(volume.rename(staging_path, profile_path));
    TRY(volume.flush());
    return hot;
}

static ErrorOr<std::string> read_text(Fat16Volume& volume, const char* path)
{
    auto info = TRY(volume.stat(path));
    if (info.is_directory || info.size > (1u << 20))
        return Error::format(ErrorCode::Invalid, "%s: not a profile (a directory, or over 1 MiB)", path);
    std::string text(info.size, '\0');
    size_t got = TRY(volume.read(path, 0, { reinterpret_cast<uint8_t*>(text.data()), text.size() }));
    text.resize(got);
    return text;
}

void KernelJit::load_profile(Fat16Volume& volume)
{
    // A missing profile.json with a profile.new beside it: a save was cut
    // short after its flush, so the staging copy is complete.
    bool staged = volume.stat(profile_path).is_error() && !volume.stat(staging_path).is_error();
    const char* path = staged ? staging_path : profile_path;
    auto text = read_text(volume, path);
    if (text.is_error())
        return; // no profile yet: every function starts at O0
    auto saved = jit::parse_profile(text.value());
    if (saved.is_error()) {
        kprintf("jit: %s: %s; ignored\n", path, saved.error().message());
        return;
    }
    for (const jit::SavedFunction& f : saved.value()) {
        uint64_t start = arch::now_ns();
        auto result = m_tiers->start_at(f.module, f.function, f.tier);
        if (result.is_error())
            kprintf("jit: profile: %s.%s: %s\n", f.module.c_str(), f.function.c_str(), result.error().message());
        else
            kprintf("jit: profile: %s.%s starts at %s (hot last time: %lu calls), compiled in %lu ms\n",
                    f.module.c_str(), f.function.c_str(), jit::opt_level_name(f.tier), f.calls,
                    (arch::now_ns() - start) / 1000000);
    }
}

} // namespace fluid
