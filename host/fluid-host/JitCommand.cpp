#include "host/fluid-host/JitCommand.h"

#include "host/fluid-host/HostPlatform.h"
#include "host/fluid-host/TierCommand.h"
#include "jit/LlvmTarget.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace fluid::host {

static void print_usage()
{
    fprintf(stderr,
            "usage: fluid-host jit run [--opt N] [--repeat N] FILE.bc FUNCTION [ARGS...]\n"
            "       fluid-host jit tier [--calls N] [--batches N] [--json] FILE.bc FUNCTION [ARGS...]\n"
            "       fluid-host jit info\n");
}

static int fail(const Error& error)
{
    fprintf(stderr, "fluid-host: %s\n", error.message());
    return 1;
}

static double ms(uint64_t ns)
{
    return static_cast<double>(ns) / 1e6;
}

static int jit_info()
{
    auto config = make_engine_config();
    if (config.is_error())
        return fail(config.error());
    printf("LLVM %s (ORC LLJIT, JITLink)\n", jit::llvm_version());
    printf("triple: %s\n", config->cpu.triple().c_str());
    printf("cpu: %s\n", config->cpu.name().c_str());
    printf("features: %s\n", config->cpu.features().c_str());
    printf("exports: %zu symbols\n", config->exports.size());
    return 0;
}

struct RunOptions {
    jit::OptLevel opt { jit::OptLevel::O0 };
    unsigned repeat { 1 };
    const char* path { nullptr };
    const char* function { nullptr };
    std::vector<int64_t> args;
};

static bool parse_run_options(int argc, char** argv, RunOptions& options)
{
    int i = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
        if (i + 1 >= argc)
            return false;
        if (strcmp(argv[i], "--opt") == 0) {
            auto level = jit::parse_opt_level(argv[i + 1]);
            if (!level)
                return false;
            options.opt = *level;
        } else if (strcmp(argv[i], "--repeat") == 0) {
            options.repeat = static_cast<unsigned>(std::max(1, atoi(argv[i + 1])));
        } else {
            return false;
        }
    }
    if (argc - i < 2)
        return false;
    options.path = argv[i++];
    options.function = argv[i++];
    for (; i < argc; ++i) {
        char* end = nullptr;
        options.args.push_back(strtoll(argv[i], &end, 0));
        if (*end != '\0')
            return false;
    }
    return true;
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

static int jit_run(int argc, char** argv)
{
    RunOptions options;
    if (!parse_run_options(argc, argv, options)) {
        print_usage();
        return 2;
    }
    auto bytes = read_file(options.path);
    if (bytes.is_error())
        return fail(bytes.error());
    auto config = make_engine_config();
    if (config.is_error())
        return fail(config.error());
    auto engine = jit::Engine::create(config.release_value());
    if (engine.is_error())
        return fail(engine.error());

    auto handle = (*engine)->load_module(module_name(options.path), *bytes, options.opt);
    if (handle.is_error())
        return fail(handle.error());

    std::vector<uint64_t> times;
    int64_t result = 0;
    for (unsigned run = 0; run < options.repeat; ++run) {
        uint64_t start = now_ns();
        auto value = (*engine)->call(*handle, options.function, options.args);
        times.push_back(now_ns() - start);
        if (value.is_error())
            return fail(value.error());
        result = *value;
    }
    std::sort(times.begin(), times.end());

    std::string call = std::string(options.function) + "(";
    for (size_t i = 0; i < options.args.size(); ++i)
        call += (i ? ", " : "") + std::to_string(options.args[i]);
    printf("%s) = %" PRId64 "\n", call.c_str(), result);

    const jit::ModuleInfo* info = (*engine)->module_info(*handle);
    printf("opt level: %s\n", jit::opt_level_name(info->opt));
    printf("compile: %.3f ms (optimize %.3f ms, codegen+link %.3f ms); parse+verify %.3f ms\n",
           ms(info->compile_ns()), ms(info->optimize_ns), ms(info->codegen_ns), ms(info->parse_ns));
    printf("code: %" PRIu64 " IR instructions, %" PRIu64 " bytes of object code\n", info->ir_instructions,
           info->object_bytes);
    printf("jit start-up: %.3f ms\n", ms((*engine)->startup_ns()));
    printf("run: %.3f ms (median of %u)\n", ms(times[times.size() / 2]), options.repeat);
    return 0;
}

int jit_command(int argc, char** argv)
{
    if (argc >= 1 && strcmp(argv[0], "info") == 0)
        return jit_info();
    if (argc >= 1 && strcmp(argv[0], "run") == 0)
        return jit_run(argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "tier") == 0)
        return jit_tier_command(argc - 1, argv + 1);
    print_usage();
    return 2;
}

} // namespace fluid::host
