#include "host/fluid-host/TierCommand.h"

#include "host/fluid-host/HostPlatform.h"
#include "host/fluid-host/HostTiering.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace fluid::host {

static const char* const usage = "usage: fluid-host jit tier [--calls N] [--batches N] [--json] FILE.bc FUNCTION [ARGS...]\n"
                                 "  per tier O0..O3 through the tiered entry: ns/call, compile time, break-even\n"
                                 "  calls; counter overhead against uninstrumented O3; then the automatic path\n"
                                 "  (calls at each swap, swap latency) with a compiler thread\n";

static int fail(const Error& error)
{
    fprintf(stderr, "fluid-host: %s\n", error.message());
    return 1;
}

static std::string module_name(const char* path)
{
    std::string name = path;
    if (auto slash = name.rfind('/'); slash != std::string::npos)
        name.erase(0, slash + 1);
    if (auto dot = name.rfind('.'); dot != std::string::npos)
        name.erase(dot);
    return name;
}

static bool parse_count(const char* text, uint64_t& out)
{
    char* end = nullptr;
    long long value = strtoll(text, &end, 0);
    if (*end != '\0' || value <= 0)
        return false;
    out = uint64_t(value);
    return true;
}

int jit_tier_command(int argc, char** argv)
{
    TierMeasureOptions options;
    bool json = false;
    int i = 0;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; ++i) {
        uint64_t value = 0;
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc && parse_count(argv[i + 1], value)) {
            options.calls = value;
            ++i;
        } else if (strcmp(argv[i], "--batches") == 0 && i + 1 < argc && parse_count(argv[i + 1], value)) {
            options.batches = unsigned(value);
            ++i;
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (argc - i < 2 || argc - i - 2 > int(jit::Engine::max_call_arguments)) {
        fputs(usage, stderr);
        return 2;
    }
    const char* path = argv[i++];
    std::string function = argv[i++];
    std::vector<int64_t> args;
    for (; i < argc; ++i) {
        char* end = nullptr;
        args.push_back(strtoll(argv[i], &end, 0));
        if (*end != '\0') {
            fputs(usage, stderr);
            return 2;
        }
    }

    auto bytes = read_file(path);
    if (bytes.is_error())
        return fail(bytes.error());
    auto config = make_engine_config();
    if (config.is_error())
        return fail(config.error());
    if (auto added = add_jit_hot_export(*config); added.is_error())
        return fail(added.error());
    auto engine = jit::Engine::create(config.release_value());
    if (engine.is_error())
        return fail(engine.error());
    auto measured = measure_tiers(**engine, module_name(path), *bytes, function, args, options);
    if (measured.is_error())
        return fail(measured.error());
    fputs((json ? format_tier_json(*measured) : format_tier_table(*measured)).c_str(), stdout);
    return measured->results_agree && measured->auto_reached_o3 ? 0 : 1;
}

} // namespace fluid::host
