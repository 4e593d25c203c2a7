#include "kernel/shell/TierCommands.h"

#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/shell/TierSoak.h"
#include "kernel/storage/Storage.h"

#include <cstdlib>
#include <string>

namespace fluid {

static uint64_t ms(uint64_t ns) { return ns / 1000000; }
static uint64_t us(uint64_t ns) { return ns / 1000; }

static void print_profile_json(const jit::TierFunctionProfile& p, bool first)
{
    kprintf("%s{\"module\":\"%s\",\"function\":\"%s\",\"calls\":%lu,\"tier\":\"%s\",\"pinned\":%s,\"promotions\":[",
            first ? "" : ",", p.module.c_str(), p.name.c_str(), p.calls, jit::opt_level_name(p.tier),
            p.pinned ? "true" : "false");
    for (size_t e = 0; e < p.events.size(); ++e) {
        const jit::TierEvent& ev = p.events[e];
        kprintf("%s{\"tier\":\"%s\",\"at_calls\":%lu,\"compile_us\":%lu,\"swap_latency_us\":%lu,\"at_ms\":%lu,"
                "\"object_bytes\":%lu,\"back_edges\":%s}",
                e ? "," : "", jit::opt_level_name(ev.level), ev.at_calls, us(ev.compile_ns),
                us(ev.swapped_ns - ev.queued_ns), ms(ev.swapped_ns), ev.object_bytes,
                ev.by_back_edges ? "true" : "false");
    }
    kprintf("],\"ns_per_call\":{");
    bool any = false;
    for (int t = 0; t < 4; ++t) {
        if (!p.timed_calls[t])
            continue;
        kprintf("%s\"O%d\":%lu", any ? "," : "", t, p.timed_ns[t] / p.timed_calls[t]);
        any = true;
    }
    kprintf("}}");
}

static void print_profile_text(const jit::TierFunctionProfile& p)
{
    kprintf("  %-16s %-20s %10lu calls  %s%s\n", p.module.c_str(), p.name.c_str(), p.calls,
            jit::opt_level_name(p.tier), p.pinned ? " (pinned)" : "");
    for (const jit::TierEvent& ev : p.events) {
        if (ev.level == jit::OptLevel::O0) {
            kprintf("      O0 at load, module compiled in %lu us\n", us(ev.compile_ns));
            continue;
        }
        kprintf("      %s after %lu %s at %lu ms: compiled in %lu us, swapped %lu us after the threshold\n",
                jit::opt_level_name(ev.level), ev.at_calls, ev.by_back_edges ? "calls (long loop)" : "calls",
                ms(ev.swapped_ns), us(ev.compile_ns), us(ev.swapped_ns - ev.queued_ns));
    }
    for (int t = 0; t < 4; ++t)
        if (p.timed_calls[t])
            kprintf("      O%d: %lu ns per call over %lu timed call(s)\n", t, p.timed_ns[t] / p.timed_calls[t],
                    p.timed_calls[t]);
}

void cmd_profile(const CommandLine& args)
{
    KernelJit* jit = KernelJit::get();
    if (!jit) {
        kprintf("error: the JIT is not running\n");
        return;
    }
    if (args[1] == "save") {
        Fat16Volume* volume = Storage::get().boot_volume();
        if (!volume) {
            kprintf("error: no writable boot volume (the modules came from GRUB's copies)\n");
            return;
        }
        auto saved = jit->save_profile(*volume);
        if (saved.is_error())
            kprintf("error: profile save: %s\n", saved.error().message());
        else
            kprintf("profile saved to /profile/profile.json: %zu function(s) above O0\n", saved.value());
        return;
    }
    auto profile = jit->tiers().profile();
    // profile [MODULE] [--json]: one module's functions only.
    std::string_view only = args[1] == "--json" ? args[2] : args[1];
    if (!only.empty() && only != "--json")
        std::erase_if(profile, [&](const jit::TierFunctionProfile& p) { return p.module != only; });
    if (args.has_flag("--json")) {
        kprintf("{\"functions\":[");
        for (size_t i = 0; i < profile.size(); ++i)
            print_profile_json(profile[i], i == 0);
        kprintf("],\"retired_versions\":%zu,\"live_versions\":%zu}\n", jit->tiers().retired_count(),
                jit->engine().version_count());
        return;
    }
    kprintf("%zu tiered function(s); compiler: %s\n", profile.size(),
            jit->compiler_cpu() < 0 ? "the shell, between commands" : "its own CPU");
    for (const auto& p : profile)
        if (p.calls || p.events.size() > 1)
            print_profile_text(p);
    kprintf("(functions never called are not listed; 'profile --json' lists all)\n");
}

static bool parse_level(std::string_view text, jit::OptLevel* level)
{
    if (text.size() != 2 || (text[0] != 'O' && text[0] != 'o') || text[1] < '0' || text[1] > '3')
        return false;
    *level = jit::OptLevel(text[1] - '0');
    return true;
}

// "O1:100,O3:5000" -> steps; back-edge thresholds are
// TierPolicy::back_edges_per_call times the calls.
static bool parse_steps(std::string_view text, std::vector<jit::TierStep>* steps)
{
    steps->clear();
    while (!text.empty()) {
        size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        size_t colon = item.find(':');
        jit::OptLevel level;
        if (colon == std::string_view::npos || !parse_level(item.substr(0, colon), &level))
            return false;
        std::string number(item.substr(colon + 1));
        char* end = nullptr;
        uint64_t calls = strtoull(number.c_str(), &end, 10);
        if (number.empty() || *end || calls == 0 || (!steps->empty() && calls <= steps->back().calls))
            return false;
        steps->push_back({ level, calls, calls * jit::TierPolicy::back_edges_per_call });
    }
    return !steps->empty();
}

static void show_policy(KernelJit& jit)
{
    jit::TierPolicy policy = jit.tiers().policy();
    kprintf("tiering %s; O0 at load", policy.enabled ? "on" : "off");
    for (const auto& step : policy.steps)
        kprintf(", %s after %lu calls or %lu loop iterations", jit::opt_level_name(step.level), step.calls,
                step.back_edges);
    if (jit.compiler_cpu() < 0)
        kprintf("\ncompiles run in the shell between commands (one CPU)\n");
    else
        kprintf("\ncompiles run on cpu %d\n", jit.compiler_cpu());
}

void cmd_tier(const CommandLine& args)
{
    KernelJit* jit = KernelJit::get();
    if (!jit) {
        kprintf("error: the JIT is not running\n");
        return;
    }
    std::string_view verb = args[1];
    jit::TierPolicy policy = jit->tiers().policy();
    if (verb.empty()) {
        show_policy(*jit);
    } else if (verb == "on" || verb == "off") {
        policy.enabled = verb == "on";
        jit->tiers().set_policy(policy);
        kprintf("tiering %s (takes effect at the next threshold or load)\n", policy.enabled ? "on" : "off");
    } else if (verb == "steps") {
        if (!parse_steps(args[2], &policy.steps)) {
            kprintf("error: tier steps LEVEL:CALLS[,LEVEL:CALLS...] with rising counts, e.g. O1:100,O3:5000\n");
            return;
        }
        jit->tiers().set_policy(policy);
        show_policy(*jit);
    } else if (verb == "pin") {
        jit::OptLevel level;
        if (args.count() != 5 || !parse_level(args[4], &level)) {
            kprintf("usage: tier pin MODULE FUNCTION O0|O1|O2|O3\n");
            return;
        }
        auto result = jit->tiers().pin(args[2], args[3], level);
        if (result.is_error())
            kprintf("error: %s\n", result.error().message());
        else
            kprintf("%.*s.%.*s pinned at %s\n", int(args[2].size()), args[2].data(), int(args[3].size()),
                    args[3].data(), jit::opt_level_name(level));
    } else if (verb == "soak") {
        cmd_tier_soak(args);
    } else if (verb == "unload-pending") {
        cmd_tier_unload_pending(args);
    } else {
        kprintf("usage: tier [on|off|steps O1:100,O3:10000|pin MODULE FUNCTION LEVEL|soak MODULE FUNCTION ...|"
                "unload-pending MODULE FUNCTION ...]\n");
    }
}

} // namespace fluid
