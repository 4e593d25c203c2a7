#include "kernel/shell/JitCommands.h"

#include "jit/LlvmTarget.h"
#include "kernel/drivers/Console.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/jit/ModuleGuard.h"
#include "kernel/storage/Storage.h"

#include <arch/clock.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace fluid {

static bool parse_i64(std::string_view text, int64_t* out)
{
    if (text.empty() || text.size() > 24)
        return false;
    char buffer[32];
    memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = 0;
    char* end = nullptr;
    *out = strtoll(buffer, &end, 0);
    return end && *end == 0;
}

void cmd_modules(const CommandLine& args)
{
    KernelJit* jit = KernelJit::get();
    if (!jit) {
        kprintf("error: the JIT is not running\n");
        return;
    }
    bool json = args.has_flag("--json");
    for (const auto& module : jit->modules()) {
        const KernelJit::Module& m = *module;
        if (!m.loaded) {
            kprintf(json ? "{\"module\":\"%s\",\"source\":\"%s\",\"loaded\":false,\"error\":\"%s\"}\n"
                         : "%s (%s): not loaded: %s\n",
                    m.name.c_str(), m.source.c_str(), m.error.c_str());
            continue;
        }
        const jit::ModuleInfo* info = jit->engine().module_info(m.handle);
        if (json) {
            kprintf("{\"module\":\"%s\",\"source\":\"%s\",\"loaded\":true,\"bytes\":%zu,\"functions\":[",
                    m.name.c_str(), m.source.c_str(), m.bitcode.size());
            for (size_t i = 0; info && i < info->functions.size(); ++i)
                kprintf("%s\"%s\"", i ? "," : "", info->functions[i].name.c_str());
            kprintf("]}\n");
            continue;
        }
        kprintf("%s (%zu bytes of bitcode from %s):", m.name.c_str(), m.bitcode.size(), m.source.c_str());
        for (size_t i = 0; info && i < info->functions.size(); ++i)
            kprintf(" %s", info->functions[i].name.c_str());
        kprintf("\n");
    }
    if (jit->modules().empty() && !json)
        kprintf("no modules\n");
}

static Fat16Volume* module_volume()
{
    Fat16Volume* volume = Storage::get().boot_volume();
    if (!volume)
        kprintf("error: no boot volume to load modules from (see 'disks')\n");
    return volume;
}

// The engine's messages already start "module NAME: "; others do not.
static void print_load_error(const KernelJit::Module& m)
{
    std::string prefix = "module " + m.name + ": ";
    if (m.error.rfind(prefix, 0) == 0)
        kprintf("error: %s\n", m.error.c_str());
    else
        kprintf("error: %s%s\n", prefix.c_str(), m.error.c_str());
}

void cmd_load(const CommandLine& args)
{
    KernelJit* jit = KernelJit::get();
    Fat16Volume* volume = module_volume();
    if (!jit || !volume)
        return;
    if (args.count() != 2) {
        kprintf("usage: load /modules/NAME.bc\n");
        return;
    }
    auto loaded = jit->load_file(*volume, std::string(args[1]));
    if (loaded.is_error())
        kprintf("error: %s\n", loaded.error().message());
    else if (!loaded.value()->loaded)
        print_load_error(*loaded.value());
}

void cmd_unload(const CommandLine& args)
{
    KernelJit* jit = KernelJit::get();
    if (!jit || args.count() != 2) {
        kprintf("usage: unload NAME\n");
        return;
    }
    auto result = jit->unload(std::string(args[1]));
    if (result.is_error())
        kprintf("error: %s\n", result.error().message());
    else
        kprintf("unloaded %.*s\n", int(args[1].size()), args[1].data());
}

void cmd_rescan(const CommandLine&)
{
    KernelJit* jit = KernelJit::get();
    Fat16Volume* volume = module_volume();
    if (jit && volume)
        jit->rescan(*volume);
}

static void jit_info()
{
    KernelJit* jit = KernelJit::get();
    const jit::TargetCpu& cpu = jit->engine().cpu();
    kprintf("LLVM %s, target %s %s\n", jit::llvm_version(), cpu.triple().c_str(), cpu.name().c_str());
    // The feature string is longer than one kprintf buffer.
    console().write("features: ");
    console().write(cpu.features().c_str());
    console().write("\n");
    kprintf("exports: %zu kernel symbols; LLJIT start-up %lu us\n", jit->engine().exports().size(),
            jit->engine().startup_ns() / 1000);
}

// jit run [--opt N] [--repeat N] <module> <function> [args...]
//
// Without --opt the call goes to the module's tiered instance, so repeated
// runs are counted and promote the function; with --opt a fresh instance
// is compiled at that level and thrown away, so its compile time is real.
struct RunOptions {
    bool fixed_level { false };
    jit::OptLevel level { jit::OptLevel::O0 };
    int64_t repeat { 1 };
    uint64_t limit_ns { 0 }; // 0: ModuleGuard's default (jit limit)
    size_t first { 2 }; // index of the module argument
};

static bool parse_run_options(const CommandLine& args, RunOptions& o)
{
    for (;;) {
        int64_t n = -1;
        if (args[o.first] == "--opt") {
            if (!parse_i64(args[o.first + 1], &n) || n < 0 || n > 3) {
                kprintf("error: --opt takes 0, 1, 2 or 3\n");
                return false;
            }
            o.fixed_level = true;
            o.level = jit::OptLevel(n);
        } else if (args[o.first] == "--repeat") {
            if (!parse_i64(args[o.first + 1], &n) || n < 1 || n > 100000000) {
                kprintf("error: --repeat takes 1..100000000\n");
                return false;
            }
            o.repeat = n;
        } else if (args[o.first] == "--limit") {
            if (!parse_i64(args[o.first + 1], &n) || n < 1 || n > 86400) {
                kprintf("error: --limit takes 1..86400 seconds\n");
                return false;
            }
            o.limit_ns = uint64_t(n) * 1'000'000'000ull;
        } else {
            return true;
        }
        o.first += 2;
    }
}

static void jit_run(const CommandLine& args)
{
    RunOptions o;
    if (!parse_run_options(args, o))
        return;
    size_t i = o.first;
    if (args.count() < i + 2) {
        kprintf("usage: jit run [--opt N] [--repeat N] [--limit S] <module> <function> [int64 args...]\n");
        return;
    }
    std::string module_name(args[i]), function(args[i + 1]);
    int64_t values[jit::Engine::max_call_arguments];
    size_t count = args.count() - (i + 2);
    if (count > jit::Engine::max_call_arguments) {
        kprintf("error: at most %zu arguments\n", jit::Engine::max_call_arguments);
        return;
    }
    for (size_t a = 0; a < count; ++a) {
        if (!parse_i64(args[i + 2 + a], &values[a])) {
            kprintf("error: argument '%.*s' is not a 64-bit integer\n", int(args[i + 2 + a].size()), args[i + 2 + a].data());
            return;
        }
    }
    KernelJit* jit = KernelJit::get();
    const KernelJit::Module* module = jit->find(module_name);
    if (!module) {
        kprintf("error: no module '%s' (see 'modules')\n", module_name.c_str());
        return;
    }
    if (!module->loaded) {
        kprintf("error: module '%s' did not load: %s\n", module_name.c_str(), module->error.c_str());
        return;
    }
    jit::ModuleHandle handle = module->handle;
    if (o.fixed_level) {
        auto fresh = jit->engine().load_module(module->name, module->bitcode, o.level);
        if (fresh.is_error()) {
            kprintf("error: %s\n", fresh.error().message());
            return;
        }
        handle = fresh.value();
    }
    int64_t value = 0;
    std::string failure;
    jit::OptLevel tier_before = jit->tiers().tier_of(module->name, function);
    uint64_t start = arch::now_ns();
    // A fault or an overrun ends the call here; the guard has already said
    // why and unloaded the module (so `module` is gone).
    // The limit is per call: N repeats may take N times as long in total.
    uint64_t limit = o.limit_ns ? o.limit_ns : ModuleGuard::limit_ns();
    uint64_t total_limit = limit > UINT64_MAX / uint64_t(o.repeat) ? UINT64_MAX / 2 : limit * uint64_t(o.repeat);
    bool finished = ModuleGuard::run(module_name, function, total_limit, [&] {
        for (int64_t r = 0; r < o.repeat && failure.empty(); ++r) {
            auto result = jit->engine().call(handle, function, { values, count });
            if (result.is_error())
                failure = result.error().message();
            else
                value = result.value();
        }
    });
    uint64_t run_ns = arch::now_ns() - start;
    if (!finished) {
        if (o.fixed_level)
            (void)jit->engine().unload(handle);
        return;
    }
    if (!failure.empty()) {
        kprintf("error: %s\n", failure.c_str());
    } else {
        kprintf("%s(", function.c_str());
        for (size_t a = 0; a < count; ++a)
            kprintf(a ? ", %ld" : "%ld", values[a]);
        kprintf(") = %ld\n", value);
        if (o.fixed_level) {
            const jit::ModuleInfo* info = jit->engine().module_info(handle);
            kprintf("  compiled at %s in %lu us (optimize %lu us, codegen+link %lu us); ran in %lu us (%ld call(s))\n",
                    jit::opt_level_name(o.level), info->compile_ns() / 1000, info->optimize_ns / 1000,
                    info->codegen_ns / 1000, run_ns / 1000, o.repeat);
        } else {
            jit::OptLevel tier_after = jit->tiers().tier_of(module->name, function);
            jit->tiers().record_call_time(module->name, function, tier_before, run_ns, uint64_t(o.repeat));
            kprintf("  %ld call(s) in %lu us (%lu ns per call) at %s%s%s; see 'profile'\n", o.repeat, run_ns / 1000,
                    run_ns / uint64_t(o.repeat), jit::opt_level_name(tier_before), tier_after != tier_before ? " -> " : "",
                    tier_after != tier_before ? jit::opt_level_name(tier_after) : "");
        }
    }
    if (o.fixed_level)
        (void)jit->engine().unload(handle);
}

// jit limit [S]: the time limit of a module call (default 10 s).
static void jit_limit(const CommandLine& args)
{
    int64_t seconds = 0;
    if (args.count() == 3) {
        if (!parse_i64(args[2], &seconds) || seconds < 1 || seconds > 86400) {
            kprintf("error: the limit is 1..86400 seconds\n");
            return;
        }
        ModuleGuard::set_limit_ns(uint64_t(seconds) * 1'000'000'000ull);
    }
    kprintf("module calls are limited to %lu s; %lu call(s) contained since boot\n",
            uint64_t(ModuleGuard::limit_ns() / 1'000'000'000u), ModuleGuard::contained());
}

// jit allowed: the /modules/ALLOWED manifest the last load checked
// against (docs/MODULES.md), its entries, and the modules it refused.
static void jit_allowed()
{
    KernelJit* jit = KernelJit::get();
    const jit::ModuleAllowList& list = jit->allow_list();
    size_t refused = 0;
    for (const auto& m : jit->modules())
        refused += !m->loaded && m->error.rfind("refused: ", 0) == 0;
    switch (list.state()) {
    case jit::ModuleAllowList::State::Absent:
        kprintf("no /modules/ALLOWED: every module may load (make one with `sha256sum *.bc > ALLOWED`)\n");
        return;
    case jit::ModuleAllowList::State::Broken:
        kprintf("/modules/ALLOWED is malformed, so every module is refused: %s\n", list.problem().c_str());
        break;
    case jit::ModuleAllowList::State::Active:
        kprintf("/modules/ALLOWED%s: %zu module(s) listed; any other is refused\n",
                jit->allow_list_from_grub() ? " (GRUB's copy)" : "", list.entries().size());
        for (const jit::ModuleAllowList::Entry& e : list.entries())
            kprintf("  line %zu: %s %s\n", e.line, jit::ModuleAllowList::hex(e.sha256).c_str(), e.name.c_str());
        break;
    }
    kprintf("%zu module(s) refused (see 'modules')\n", refused);
}

void cmd_jit(const CommandLine& args)
{
    if (!KernelJit::get()) {
        kprintf("error: the JIT is not running\n");
        return;
    }
    if (args[1] == "info")
        return jit_info();
    if (args[1] == "run")
        return jit_run(args);
    if (args[1] == "limit")
        return jit_limit(args);
    if (args[1] == "allowed")
        return jit_allowed();
    kprintf("usage: jit info | jit limit [S] | jit allowed | jit run [--opt N] [--repeat N] [--limit S] <module> <function> [args...]\n");
}

} // namespace fluid
