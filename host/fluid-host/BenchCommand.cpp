#include "host/fluid-host/BenchCommand.h"

#include "host/fluid-host/HostPlatform.h"
#include "host/fluid-host/HostTiering.h"
#include "kernel/bench/BenchArguments.h"
#include "kernel/bench/BenchReport.h"
#include "kernel/bench/BenchRunner.h"
#include "kernel/bench/ModuleApiFromExports.h"

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace fluid::host {

static void print_usage()
{
    fprintf(stderr, "usage: fluid-host bench %s [--modules DIR]\n"
                    "  names are workloads (sha256), module names (bench_sha256) or .bc paths;\n"
                    "  DIR defaults to this build's modules (%s)\n",
                    bench::bench_usage, FLUID_MODULES_DIR);
}

// bench_*.bc in `directory`, sorted, as paths.
static std::vector<std::string> list_modules(const std::string& directory)
{
    std::vector<std::string> paths;
    DIR* dir = opendir(directory.c_str());
    if (!dir)
        return paths;
    while (dirent* entry = readdir(dir)) {
        std::string name = entry->d_name;
        if (!bench::workload_name_from_module(name).empty() && name.ends_with(".bc"))
            paths.push_back(directory + "/" + name);
    }
    closedir(dir);
    std::sort(paths.begin(), paths.end());
    return paths;
}

// The suite's workloads in the AOT registry's order, then any other bench_*.bc.
static std::vector<std::string> suite_order(std::vector<std::string> paths)
{
    std::vector<std::string> ordered;
    for (const auto& aot : bench::bench_aot_workloads()) {
        auto it = std::find_if(paths.begin(), paths.end(),
                               [&](const std::string& p) { return bench::workload_name_from_module(p) == aot.name; });
        if (it != paths.end()) {
            ordered.push_back(*it);
            paths.erase(it);
        }
    }
    ordered.insert(ordered.end(), paths.begin(), paths.end());
    return ordered;
}

int bench_command(int argc, char** argv)
{
    std::string directory = FLUID_MODULES_DIR;
    std::vector<std::string_view> words;
    std::vector<std::string> explicit_paths;
    for (int i = 0; i < argc; ++i) {
        if (strcmp(argv[i], "--modules") == 0 && i + 1 < argc) {
            directory = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            print_usage();
            return 0;
        } else if (std::string_view(argv[i]).ends_with(".bc")) {
            explicit_paths.push_back(argv[i]);
        } else {
            words.push_back(argv[i]);
        }
    }
    auto arguments = bench::parse_bench_arguments(words);
    if (arguments.is_error()) {
        fprintf(stderr, "fluid-host bench: %s\n", arguments.error().message());
        print_usage();
        return 2;
    }

    std::vector<std::string> paths = explicit_paths;
    if (explicit_paths.empty() || !arguments->names.empty()) {
        for (const auto& path : suite_order(list_modules(directory)))
            if (arguments->selects(bench::workload_name_from_module(path)))
                paths.push_back(path);
    }
    for (const auto& name : arguments->names) {
        std::string wanted = bench::workload_name_from_module(name);
        if (wanted.empty())
            wanted = name;
        bool found = std::any_of(paths.begin(), paths.end(),
                                 [&](const std::string& p) { return bench::workload_name_from_module(p) == wanted; });
        if (!found) {
            fprintf(stderr, "fluid-host bench: no workload '%s' in %s\n", name.c_str(), directory.c_str());
            return 2;
        }
    }
    if (paths.empty()) {
        fprintf(stderr, "fluid-host bench: no bench_*.bc in %s\n", directory.c_str());
        return 2;
    }

    auto config = make_engine_config();
    if (config.is_error()) {
        fprintf(stderr, "fluid-host: %s\n", config.error().message());
        return 1;
    }
    if (auto added = add_jit_hot_export(*config); added.is_error()) {
        fprintf(stderr, "fluid-host: %s\n", added.error().message());
        return 1;
    }
    auto engine = jit::Engine::create(config.release_value());
    if (engine.is_error()) {
        fprintf(stderr, "fluid-host: %s\n", engine.error().message());
        return 1;
    }
    // The tiered way: each workload loaded at tier 0 and compiled by this
    // thread between calls, as the kernel's shell does on one CPU.
    jit::TierManager tiers(**engine, { now_ns, nullptr });
    set_hot_target(&tiers);
    // The AOT code allocates and prints through what the JIT exports.
    bench::bench_aot_bind(bench::module_api_from_exports((*engine)->exports()));
    bench::BenchRunner runner(**engine, now_ns, { arguments->iterations, arguments->n });
    runner.set_tiering({ &tiers, [&tiers] {
                            while (tiers.has_work())
                                if (auto compiled = tiers.compile_one(); compiled.is_error())
                                    fprintf(stderr, "fluid-host: %s\n", compiled.error().message());
                        },
                        arguments->tier_seconds * 1'000'000'000ull });

    if (!arguments->json)
        fputs(bench::format_table_header().c_str(), stdout);
    std::vector<bench::WorkloadResult> results;
    for (const auto& path : paths) {
        auto bytes = read_file(path.c_str());
        bench::WorkloadResult result;
        if (bytes.is_error()) {
            result.name = bench::workload_name_from_module(path);
            result.o0.present = true;
            result.o0.error = bytes.error().message();
        } else {
            bench::Workload workload;
            workload.name = bench::workload_name_from_module(path);
            workload.bitcode = *bytes;
            workload.aot = bench::bench_aot_lookup(workload.name);
            auto tiered = tiers.load("bench_" + workload.name, *bytes);
            if (!tiered.is_error())
                workload.tiered = *tiered;
            result = runner.run(workload);
            if (tiered.is_error()) {
                result.tiered.present = true;
                result.tiered.error = tiered.error().message();
            } else {
                tiers.forget(*tiered);
                (void)(*engine)->unload(*tiered);
            }
        }
        fputs((arguments->json ? bench::format_json(result) : bench::format_table_row(result)).c_str(), stdout);
        fflush(stdout);
        results.push_back(std::move(result));
    }
    fputs((arguments->json ? bench::format_json_summary(results) : bench::format_table_summary(results)).c_str(), stdout);
    set_hot_target(nullptr);
    bool all_passed = std::all_of(results.begin(), results.end(), [](const auto& r) { return r.passed(); });
    return all_passed ? 0 : 1;
}

} // namespace fluid::host
