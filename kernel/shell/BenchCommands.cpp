#include "kernel/shell/BenchCommands.h"

#include "kernel/bench/BenchArguments.h"
#include "kernel/bench/BenchReport.h"
#include "kernel/bench/BenchRunner.h"
#include "kernel/jit/ModuleGuard.h"
#include "kernel/bench/ModuleApiFromExports.h"
#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"

#include <arch/clock.h>

#include <string>
#include <vector>

namespace fluid {

static constexpr uint64_t bench_limit_ns = 3600ull * 1'000'000'000ull;

// The loaded bench_* modules the arguments select: the suite's own in its
// order first, then any others (modules added to the image later).
static std::vector<const KernelJit::Module*> selected_modules(KernelJit& jit, const bench::BenchArguments& arguments)
{
    std::vector<const KernelJit::Module*> selected;
    for (const auto& aot : bench::bench_aot_workloads()) {
        const KernelJit::Module* module = jit.find(std::string("bench_") + aot.name);
        if (module && arguments.selects(aot.name))
            selected.push_back(module);
    }
    for (const auto& module : jit.modules()) {
        std::string name = bench::workload_name_from_module(module->name);
        if (!name.empty() && !bench::bench_aot_lookup(name) && arguments.selects(name))
            selected.push_back(module.get());
    }
    return selected;
}

// The lines are longer than one kprintf buffer.
static void write(const std::string& text)
{
    console().write(text.c_str());
}

void cmd_bench(const CommandLine& args)
{
    KernelJit* jit = KernelJit::get();
    if (!jit) {
        kprintf("error: the JIT is not running\n");
        return;
    }
    std::vector<std::string_view> words;
    for (size_t i = 1; i < args.count(); ++i)
        words.push_back(args[i]);
    auto arguments = bench::parse_bench_arguments(words);
    if (arguments.is_error()) {
        kprintf("error: %s\nusage: bench %s\n", arguments.error().message(), bench::bench_usage);
        return;
    }
    std::vector<const KernelJit::Module*> modules = selected_modules(*jit, *arguments);
    for (const std::string& name : arguments->names) {
        std::string wanted = bench::workload_name_from_module(name);
        if (wanted.empty())
            wanted = name;
        bool found = false;
        for (const KernelJit::Module* module : modules)
            found |= bench::workload_name_from_module(module->name) == wanted;
        if (!found) {
            kprintf("error: no workload '%s' (no module bench_%s; see 'modules')\n", name.c_str(), wanted.c_str());
            return;
        }
    }
    if (modules.empty()) {
        kprintf("error: no bench_* modules are loaded (see 'modules')\n");
        return;
    }

    // The AOT code allocates and prints through what the JIT exports.
    bench::bench_aot_bind(bench::module_api_from_exports(jit->engine().exports()));
    bench::BenchRunner runner(jit->engine(), arch::now_ns, { arguments->iterations, arguments->n });
    // The tiered way runs the modules loaded at boot; on one CPU nothing
    // compiles while a command runs, so the runner compiles between calls.
    runner.set_tiering({ &jit->tiers(), [jit] { jit->compile_pending(); }, arguments->tier_seconds * 1'000'000'000ull });
    if (!arguments->json)
        write(bench::format_table_header());
    std::vector<bench::WorkloadResult> results;
    for (const KernelJit::Module* module : modules) {
        bench::Workload workload;
        workload.name = bench::workload_name_from_module(module->name);
        workload.bitcode = module->bitcode;
        workload.aot = bench::bench_aot_lookup(workload.name);
        if (module->loaded)
            workload.tiered = module->handle;
        // A workload that faults is reported, unloaded and skipped
        // (docs/RELIABILITY.md). The limit covers the whole workload,
        // compiles included, so it is far above one call's 10 s.
        bench::WorkloadResult result;
        if (!ModuleGuard::run(module->name, workload.name, bench_limit_ns, [&] { result = runner.run(workload); }))
            continue;
        results.push_back(std::move(result));
        write(arguments->json ? bench::format_json(results.back()) : bench::format_table_row(results.back()));
    }
    write(arguments->json ? bench::format_json_summary(results) : bench::format_table_summary(results));
}

} // namespace fluid
