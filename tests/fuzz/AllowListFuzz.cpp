// libFuzzer target for the /modules/ALLOWED manifest parser
// (jit/ModuleAllowList): any bytes either parse into entries that keep the
// format's promises or fail with a message naming the manifest; a manifest
// that fails refuses every module.
#include "jit/ModuleAllowList.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using fluid::jit::ModuleAllowList;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // An exact-size copy, so ASan sees any read past the end.
    std::vector<char> bytes(data, data + size);
    std::string_view text(bytes.data(), bytes.size());
    size_t lines = 1;
    for (char c : text)
        lines += c == '\n';
    auto parsed = ModuleAllowList::parse("/modules/ALLOWED", text);
    ModuleAllowList list = ModuleAllowList::from_manifest("/modules/ALLOWED", text);
    std::span<const uint8_t> module(data, size);
    if (parsed.is_error()) {
        if (std::string_view(parsed.error().message()).rfind("/modules/ALLOWED", 0) != 0)
            abort(); // every message names the manifest
        if (list.state() != ModuleAllowList::State::Broken || !list.entries().empty())
            abort();
        if (!list.check("fib.bc", module).is_error())
            abort(); // fail closed
        return 0;
    }
    if (list.state() != ModuleAllowList::State::Active || parsed.value().entries().empty())
        abort();
    size_t previous_line = 0;
    for (const ModuleAllowList::Entry& e : parsed.value().entries()) {
        if (e.line <= previous_line || e.line > lines || e.name.empty() || e.name.find('/') != std::string::npos)
            abort();
        for (char c : e.name)
            if (uint8_t(c) < 0x20 || c == 0x7f)
                abort();
        previous_line = e.line;
        // A listed name with bytes whose hash is not listed is refused.
        if (ModuleAllowList::sha256(module) != e.sha256 && !list.check(e.name, module).is_error())
            abort();
    }
    if (!list.check("not-listed-\x01.bc", module).is_error())
        abort();
    return 0;
}
