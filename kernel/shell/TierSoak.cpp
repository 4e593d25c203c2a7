// `tier soak` (kernel/shell/TierSoak.h).
//
// Two kinds of swap, interleaved: a compiled swap is what tiering does on a
// promotion (TierManager::pin: a compile, the slot store, the old version
// retired and later freed); a cached swap stores into the same slot the
// address of one of a few versions compiled once at the start, so the slot
// changes thousands of times under the callers even on a slow emulated
// CPU where one compile takes a second. After the soak a last pin puts the
// manager's own version back in the slot, and the cached versions are freed
// once no CPU runs module code any more.
//
// Why it is safe to free code while other CPUs call in a loop: a caller
// records the tiering epoch after each call returns (it then holds no
// pointer into any version: a quiescent point, as in the idle loop), and
// KernelJit::reclaim frees a retired version only once every running CPU
// has recorded an epoch past its retirement (docs/TIERING.md).
#include "kernel/shell/TierSoak.h"

#include "jit/LlvmError.h"
#include "jit/TierInstrumenter.h"
#include "kernel/Kernel.h"
#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/shell/MemorySnapshot.h"
#include "kernel/shell/ModuleCall.h"
#include "kernel/smp/Cpu.h"
#include "kernel/smp/SmpExecutor.h"

#include <arch/clock.h>
#include <arch/mp.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

namespace fluid {

namespace {

constexpr uint64_t ns_per_s = 1000000000ull;

struct Soak {
    KernelJit* jit;
    ModuleCall target;
    std::vector<jit::OptLevel> levels;
    int64_t expected { 0 };
    uint64_t deadline_ns { 0 };
    uint32_t swapper_cpu { 0 };
    std::atomic<bool> stop { false };
    std::atomic<bool> swapper_ran { false };
    std::atomic<uint64_t> calls { 0 }, mismatches { 0 }, swaps { 0 }, compiled_swaps { 0 }, swap_errors { 0 };
    uint64_t slot { 0 };
    std::vector<jit::CodeVersion> cached;
    uint64_t compile_every_ns { 2 * ns_per_s };
    std::atomic<uint32_t> cpus_calling { 0 };
    std::string first_error;
};

void quiescent(KernelJit& jit) { this_cpu().epoch_seen.store(jit.tiers().epoch(), std::memory_order_seq_cst); }

void check_call(Soak& soak)
{
    int64_t value = soak.target.call();
    soak.calls.fetch_add(1, std::memory_order_relaxed);
    if (value != soak.expected)
        soak.mismatches.fetch_add(1, std::memory_order_relaxed);
    quiescent(*soak.jit);
}

// Frees every retired version; other CPUs pass quiescent points in their
// idle loop (or sleep), so this ends unless one is stuck in module code.
size_t settle(KernelJit& jit)
{
    uint64_t give_up = arch::now_ns() + 2 * ns_per_s;
    while (jit.tiers().retired_count() && arch::now_ns() < give_up) {
        quiescent(jit);
        jit.reclaim();
    }
    return jit.tiers().retired_count();
}

void swap_loop(Soak& soak)
{
    uint64_t next_compile = arch::now_ns();
    for (size_t i = 1; arch::now_ns() < soak.deadline_ns; ++i) {
        if (!soak.cached.empty() && arch::now_ns() < next_compile) {
            const jit::CodeVersion& version = soak.cached[i % soak.cached.size()];
            std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(soak.slot)).store(version.address,
                                                                                    std::memory_order_release);
            soak.swaps.fetch_add(1, std::memory_order_relaxed);
            for (int c = 0; c < 4; ++c)
                check_call(soak);
            continue;
        }
        next_compile = arch::now_ns() + soak.compile_every_ns;
        auto pinned = soak.jit->tiers().pin(soak.target.module, soak.target.function, soak.levels[i % soak.levels.size()]);
        if (pinned.is_error()) {
            if (soak.swap_errors.fetch_add(1) == 0)
                soak.first_error = pinned.error().message();
            if (pinned.error().code() != ErrorCode::Busy)
                break;
            continue;
        }
        soak.swaps.fetch_add(1, std::memory_order_relaxed);
        soak.compiled_swaps.fetch_add(1, std::memory_order_relaxed);
        for (int c = 0; c < 4; ++c)
            check_call(soak);
        soak.jit->reclaim();
    }
    soak.stop.store(true, std::memory_order_release);
}

void soak_chunk(void* context, size_t, size_t)
{
    auto& soak = *static_cast<Soak*>(context);
    if (arch::current_cpu_index() == soak.swapper_cpu && !soak.swapper_ran.exchange(true)) {
        swap_loop(soak);
        return;
    }
    if (soak.stop.load(std::memory_order_acquire))
        return;
    soak.cpus_calling.fetch_add(1);
    while (!soak.stop.load(std::memory_order_acquire))
        check_call(soak);
}

// One version per level, compiled the way tiering compiles a promotion
// (TierInstrumenter::prepare_version), for the cached swaps.
ErrorOr<void> make_cached_versions(KernelJit& jit, const KernelJit::Module& module, Soak& soak)
{
    static uint32_t serial = 0;
    soak.slot = TRY(jit.engine().lookup_any(module.handle, jit::TierInstrumenter::slot_name(soak.target.function)));
    jit::TierFunction tf { soak.target.function, jit.tiers().find(soak.target.module, soak.target.function) };
    for (jit::OptLevel level : soak.levels) {
        std::string symbol = soak.target.function + ".soak" + std::to_string(++serial);
        auto transform = [&](llvm::Module& m) -> ErrorOr<void> {
            if (auto error = jit::TierInstrumenter::prepare_version(m, tf, symbol, false))
                return jit::to_fluid_error(ErrorCode::Invalid, "tier soak", std::move(error));
            return {};
        };
        soak.cached.push_back(TRY(jit.engine().add_version(module.handle, module.bitcode, level, transform, symbol)));
    }
    return {};
}

bool parse_levels(std::string_view text, std::vector<jit::OptLevel>& out)
{
    out.clear();
    while (!text.empty()) {
        size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        if (item.size() != 2 || (item[0] != 'O' && item[0] != 'o') || item[1] < '0' || item[1] > '3')
            return false;
        out.push_back(jit::OptLevel(item[1] - '0'));
    }
    return out.size() >= 2;
}

bool parse_arguments(const CommandLine& args, Soak& soak, uint64_t& seconds)
{
    std::vector<std::string_view> positional;
    for (size_t i = 2; i < args.count(); ++i) {
        if (args[i] == "--json")
            continue;
        if (args[i] == "--seconds" || args[i] == "--levels" || args[i] == "--compile-every-ms") {
            if (i + 1 >= args.count())
                return false;
            if (args[i] == "--levels" && !parse_levels(args[i + 1], soak.levels))
                return false;
            if (args[i] == "--compile-every-ms") {
                std::string number(args[i + 1]);
                char* end = nullptr;
                soak.compile_every_ns = strtoull(number.c_str(), &end, 10) * 1000000ull;
                if (*end)
                    return false;
            }
            if (args[i] == "--seconds") {
                std::string number(args[i + 1]);
                char* end = nullptr;
                seconds = strtoull(number.c_str(), &end, 10);
                if (*end || seconds == 0 || seconds > 3600)
                    return false;
            }
            ++i;
            continue;
        }
        positional.push_back(args[i]);
    }
    return soak.target.parse(positional);
}

void print_json_memory(const char* when, const MemorySnapshot& m)
{
    kprintf("\"pages_bytes_%s\":%lu,\"heap_bytes_%s\":%lu,\"heap_pages_bytes_%s\":%lu,\"jit_code_bytes_%s\":%lu,"
            "\"jit_mappings_%s\":%lu,\"page_table_bytes_%s\":%lu,\"other_pages_bytes_%s\":%lu,\"versions_%s\":%lu,"
            "\"heap_map_bytes_%s\":%lu",
            when, m.pages_used, when, m.heap_in_use, when, m.heap_pages, when, m.jit_code, when, m.jit_mappings, when,
            m.page_tables, when, m.other(), when, m.versions, when, m.heap_map);
}

// before/after: with the cached versions live; start/end: without them.
struct Readings {
    MemorySnapshot start, before, after, end;
};

void report(const Soak& soak, const Readings& r, size_t retired_left, uint64_t ms, bool json)
{
    if (json) {
        kprintf("{\"module\":\"%s\",\"function\":\"%s\",\"cpus\":%u,\"cpus_calling\":%u,\"ms\":%lu,\"swaps\":%lu,"
                "\"compiled_swaps\":%lu,\"swap_errors\":%lu,\"calls\":%lu,\"mismatches\":%lu,\"expected\":%ld,"
                "\"retired_left\":%zu,",
                soak.target.module.c_str(), soak.target.function.c_str(), cpus().online_count(), soak.cpus_calling.load(), ms,
                soak.swaps.load(), soak.compiled_swaps.load(), soak.swap_errors.load(), soak.calls.load(),
                soak.mismatches.load(), soak.expected, retired_left);
        print_json_memory("before", r.before);
        kprintf(",");
        print_json_memory("after", r.after);
        kprintf(",\"jit_code_bytes_start\":%lu,\"jit_code_bytes_end\":%lu,\"page_table_bytes_start\":%lu,"
                "\"page_table_bytes_end\":%lu,\"versions_start\":%lu,\"versions_end\":%lu}\n",
                r.start.jit_code, r.end.jit_code, r.start.page_tables, r.end.page_tables, r.start.versions,
                r.end.versions);
    } else {
        kprintf("%s.%s: %lu swaps (%lu compiled) in %lu ms; %lu calls on %u other CPU(s) and the swapper, %lu wrong\n",
                soak.target.module.c_str(), soak.target.function.c_str(), soak.swaps.load(), soak.compiled_swaps.load(), ms,
                soak.calls.load(), soak.cpus_calling.load(), soak.mismatches.load());
        kprintf("in use before -> after: pages %lu -> %lu KiB (JIT code %lu -> %lu B, page tables %lu -> %lu KiB, "
                "heap pages %lu -> %lu KiB of which its page map %lu -> %lu KiB, other %lu -> %lu KiB), heap %lu -> %lu B, "
                "code versions %lu -> %lu\n",
                r.before.pages_used / 1024, r.after.pages_used / 1024, r.before.jit_code, r.after.jit_code,
                r.before.page_tables / 1024, r.after.page_tables / 1024, r.before.heap_pages / 1024,
                r.after.heap_pages / 1024, r.before.heap_map / 1024, r.after.heap_map / 1024, r.before.other() / 1024,
                r.after.other() / 1024, r.before.heap_in_use, r.after.heap_in_use, r.before.versions, r.after.versions);
        kprintf("without the soak's cached versions: JIT code %lu -> %lu B, code versions %lu -> %lu\n",
                r.start.jit_code, r.end.jit_code, r.start.versions, r.end.versions);
    }
    if (soak.swap_errors.load())
        kprintf("error: %lu swap(s) failed, first: %s\n", soak.swap_errors.load(), soak.first_error.c_str());
}

} // namespace

void cmd_tier_soak(const CommandLine& args)
{
    KernelJit* jit = KernelJit::get();
    if (!jit) {
        kprintf("error: the JIT is not running\n");
        return;
    }
    Soak soak;
    soak.jit = jit;
    soak.levels = { jit::OptLevel::O0, jit::OptLevel::O1, jit::OptLevel::O2, jit::OptLevel::O3 };
    uint64_t seconds = 10;
    if (!parse_arguments(args, soak, seconds)) {
        kprintf("usage: tier soak MODULE FUNCTION [int64 args (at most %zu)] [--seconds S] [--levels O0,O1,...] "
                "[--compile-every-ms MS] [--json]\n",
                ModuleCall::max_arguments);
        return;
    }
    const KernelJit::Module* module = jit->find(soak.target.module);
    if (!module || !module->loaded) {
        kprintf("error: no loaded module '%s' (see 'modules')\n", soak.target.module.c_str());
        return;
    }
    auto entry = jit->engine().lookup(module->handle, soak.target.function);
    if (entry.is_error()) {
        kprintf("error: %s\n", entry.error().message());
        return;
    }
    soak.target.entry = entry.value();
    // The baseline: the function at the first level, nothing retired.
    if (auto pinned = jit->tiers().pin(soak.target.module, soak.target.function, soak.levels[0]); pinned.is_error()) {
        kprintf("error: %s\n", pinned.error().message());
        return;
    }
    soak.expected = soak.target.call();
    settle(*jit);
    Readings readings;
    readings.start = MemorySnapshot::take(*jit);
    if (auto made = make_cached_versions(*jit, *module, soak); made.is_error()) {
        for (const jit::CodeVersion& version : soak.cached)
            (void)jit->engine().remove_version(version.id);
        kprintf("error: tier soak: %s\n", made.error().message());
        return;
    }
    // LLVM keeps some state per optimisation level after its first compile
    // there, and ORC's tables grow with the most versions live at once and
    // never shrink: a compile at every level, with every version of it
    // live until the settle, gets both into the baseline.
    for (jit::OptLevel level : soak.levels)
        (void)jit->tiers().pin(soak.target.module, soak.target.function, level);
    (void)jit->tiers().pin(soak.target.module, soak.target.function, soak.levels[0]);
    settle(*jit);
    readings.before = MemorySnapshot::take(*jit);
    uint64_t start = arch::now_ns();
    soak.deadline_ns = start + seconds * ns_per_s;
    soak.swapper_cpu = arch::current_cpu_index();
    size_t chunks = cpus().online_count();
    smp_executor().run(0, chunks, 1, soak_chunk, &soak);
    uint64_t ms = (arch::now_ns() - start) / 1000000;
    // Back to the first level, so the code in use is the same as before.
    if (auto pinned = jit->tiers().pin(soak.target.module, soak.target.function, soak.levels[0]); pinned.is_error())
        kprintf("error: %s\n", pinned.error().message());
    else
        check_call(soak);
    size_t retired_left = settle(*jit);
    readings.after = MemorySnapshot::take(*jit);
    // No CPU runs module code now: the cached versions can go.
    for (const jit::CodeVersion& version : soak.cached)
        (void)jit->engine().remove_version(version.id);
    readings.end = MemorySnapshot::take(*jit);
    report(soak, readings, retired_left, ms, args.has_flag("--json"));
}

} // namespace fluid
