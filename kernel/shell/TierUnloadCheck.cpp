// `tier unload-pending` (kernel/shell/TierSoak.h): unloads a module while
// versions of one of its functions are still retired, waiting for every CPU
// to pass a quiescent point. That is the moment an unload is most likely to
// go wrong: the retired versions live in the module's JITDylib, which
// Engine::unload tears down, and KernelJit::reclaim would later free them
// from it (TierManager::forget frees them with the module instead).
#include "kernel/shell/TierSoak.h"

#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/shell/MemorySnapshot.h"
#include "kernel/shell/ModuleCall.h"

#include <arch/clock.h>
#include <arch/relax.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace fluid {

namespace {

// The first call at tier 0 may have crossed the promotion threshold: the
// compiler CPU is then compiling the function and pin says Busy until done.
ErrorOr<void> pin(KernelJit& jit, const ModuleCall& t, jit::OptLevel level)
{
    uint64_t give_up = arch::now_ns() + 120 * 1000000000ull;
    for (;;) {
        auto pinned = jit.tiers().pin(t.module, t.function, level);
        if (!pinned.is_error() || pinned.error().code() != ErrorCode::Busy || arch::now_ns() > give_up)
            return pinned;
        for (int i = 0; i < 100000; ++i)
            arch::relax();
    }
}

bool parse(const CommandLine& args, ModuleCall& t)
{
    std::vector<std::string_view> positional;
    for (size_t i = 2; i < args.count(); ++i) {
        if (args[i] != "--json")
            positional.push_back(args[i]);
    }
    return t.parse(positional);
}

} // namespace

void cmd_tier_unload_pending(const CommandLine& args)
{
    KernelJit* jit = KernelJit::get();
    ModuleCall t;
    if (!jit || !parse(args, t)) {
        kprintf("usage: tier unload-pending MODULE FUNCTION [int64 args (at most %zu)] [--json]\n",
                ModuleCall::max_arguments);
        return;
    }
    const KernelJit::Module* module = jit->find(t.module);
    if (!module || !module->loaded) {
        kprintf("error: no loaded module '%s' (see 'modules')\n", t.module.c_str());
        return;
    }
    auto entry = jit->engine().lookup(module->handle, t.function);
    if (entry.is_error()) {
        kprintf("error: %s\n", entry.error().message());
        return;
    }
    t.entry = entry.value();
    jit->reclaim();
    MemorySnapshot before = MemorySnapshot::take(*jit);
    size_t retired_before = jit->tiers().retired_count();
    int64_t expected = t.call();
    // Three promotions, no reclaim in between: at least two versions
    // retired (the tier-0 body is part of the module, not a version; a
    // promotion the first call set off adds one).
    uint64_t wrong = 0, pins = 0;
    for (jit::OptLevel level : { jit::OptLevel::O1, jit::OptLevel::O2, jit::OptLevel::O3 }) {
        if (auto pinned = pin(*jit, t, level); pinned.is_error()) {
            kprintf("error: %s\n", pinned.error().message());
            return;
        }
        ++pins;
        wrong += t.call() != expected;
    }
    size_t retired_at_unload = jit->tiers().retired_count();
    MemorySnapshot pending = MemorySnapshot::take(*jit);
    if (auto unloaded = jit->unload(t.module); unloaded.is_error()) {
        kprintf("error: unload: %s\n", unloaded.error().message());
        return;
    }
    size_t retired_after_unload = jit->tiers().retired_count();
    size_t reclaimed = jit->reclaim();
    MemorySnapshot after = MemorySnapshot::take(*jit);
    if (args.has_flag("--json")) {
        kprintf("{\"module\":\"%s\",\"function\":\"%s\",\"expected\":%ld,\"pins\":%lu,\"wrong\":%lu,"
                "\"retired_before\":%zu,\"retired_at_unload\":%zu,\"retired_after_unload\":%zu,\"reclaimed_after\":%zu,"
                "\"versions_before\":%lu,\"versions_at_unload\":%lu,\"versions_after\":%lu,"
                "\"jit_code_bytes_before\":%lu,\"jit_code_bytes_at_unload\":%lu,\"jit_code_bytes_after\":%lu,"
                "\"jit_mappings_before\":%lu,\"jit_mappings_after\":%lu,\"page_table_bytes_before\":%lu,"
                "\"page_table_bytes_after\":%lu,\"heap_bytes_before\":%lu,\"heap_bytes_after\":%lu}\n",
                t.module.c_str(), t.function.c_str(), expected, pins, wrong, retired_before, retired_at_unload,
                retired_after_unload, reclaimed, before.versions, pending.versions, after.versions, before.jit_code,
                pending.jit_code, after.jit_code, before.jit_mappings, after.jit_mappings, before.page_tables,
                after.page_tables, before.heap_in_use, after.heap_in_use);
        return;
    }
    kprintf("%s.%s pinned O1, O2, O3 (%lu wrong result(s)); unloaded with %zu version(s) retired, %zu left after\n",
            t.module.c_str(), t.function.c_str(), wrong, retired_at_unload, retired_after_unload);
    kprintf("JIT code %lu -> %lu -> %lu B, code versions %lu -> %lu -> %lu (before, at the unload, after)\n",
            before.jit_code, pending.jit_code, after.jit_code, before.versions, pending.versions, after.versions);
}

} // namespace fluid
