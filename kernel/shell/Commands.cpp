// The shell's built-in commands. Each prints plain text, or one JSON
// object per line with --json, so scripts and tests can read the answers.
#include "kernel/Kernel.h"
#include "kernel/Panic.h"
#include "kernel/drivers/Console.h"
#include "kernel/mm/Heap.h"
#include "kernel/mm/PageAllocator.h"
#include "kernel/shell/AcpiCommands.h"
#include "kernel/shell/BenchCommands.h"
#include "kernel/shell/ChurnCommand.h"
#include "kernel/shell/JitCommands.h"
#include "kernel/shell/LlmCommands.h"
#include "kernel/shell/MemoryHold.h"
#include "kernel/shell/SmpCommands.h"
#include "kernel/shell/StorageCommands.h"
#include "kernel/shell/TierCommands.h"
#include "kernel/shell/Shell.h"
#include "kernel/jit/KernelJit.h"
#include "kernel/jit/ModuleGuard.h"
#include "kernel/lib/Spinlock.h"
#include "kernel/storage/Storage.h"
#include "kernel/smp/SmpExecutor.h"

#include "runtime/MappedMemory.h"
#include <arch/clock.h>
#include <arch/mmu.h>
#include <arch/mp.h>
#include <arch/relax.h>
#include <bits/functexcept.h>
#include <cstdlib>
#include <string>
#include <string_view>

// glibc's entry points behind assert() and the canary check (runtime/);
// declared here because <assert.h> hides __assert_fail under NDEBUG.
extern "C" [[noreturn]] void __stack_chk_fail();
extern "C" [[noreturn]] void __assert_fail(const char*, const char*, unsigned, const char*);
#include <arch/power.h>

namespace fluid {

static void cmd_help(const CommandLine&)
{
    kprintf("commands:\n");
    for (const ShellCommand* c = shell_commands(); c->name; ++c)
        kprintf("  %-10s %-34s %s\n", c->name, c->usage, c->summary);
}

static void cmd_version(const CommandLine&)
{
    kprintf("Fluid %s (x86_64), built %s %s\n", fluid_version(), __DATE__, __TIME__);
}

// Memory above 4 GiB is managed and identity-mapped: take a page from up
// there, write and read it back through the map, give it back. Returns the
// page's address, or 0 if there is no memory above 4 GiB or it failed.
static uint64_t probe_above_4g(bool* ok)
{
    *ok = false;
    auto page = kernel().pages->allocate_above(4ull << 30, 1);
    if (page.is_error())
        return 0;
    auto* words = reinterpret_cast<volatile uint64_t*>(page.value());
    for (size_t i = 0; i < 512; ++i)
        words[i] = page.value() ^ (i * 0x9e3779b97f4a7c15ull);
    *ok = true;
    for (size_t i = 0; i < 512; ++i)
        *ok &= words[i] == (page.value() ^ (i * 0x9e3779b97f4a7c15ull));
    (void)kernel().pages->free(page.value(), 1);
    return page.value();
}

static void cmd_mem(const CommandLine& args)
{
    if (args.count() > 1 && (args[1] == "hold" || args[1] == "release")) {
        cmd_mem_hold(args);
        return;
    }
    uint64_t total = kernel().pages->total_bytes();
    uint64_t free = kernel().pages->free_bytes();
    uint64_t highest = kernel().pages->highest_address();
    Heap::Stats heap = kernel().heap->stats();
    bool high_ok = false;
    uint64_t high_page = probe_above_4g(&high_ok);
    // Part of `used`: JIT code and data (mmap, runtime/Memory.cpp), and the
    // page tables (split large pages).
    runtime::MappedMemoryStats jit = runtime::mapped_memory();
    uint64_t page_tables = arch::mmu_table_bytes();
    if (args.has_flag("--json")) {
        kprintf("{\"total_bytes\":%lu,\"free_bytes\":%lu,\"used_bytes\":%lu,\"heap_bytes\":%zu,"
                "\"heap_peak_bytes\":%zu,\"heap_pages_bytes\":%zu,\"jit_code_bytes\":%lu,\"jit_mappings\":%lu,"
                "\"page_table_bytes\":%lu,"
                "\"highest_address\":%lu,\"above_4g_page\":%lu,\"above_4g_ok\":%s}\n",
                total, free, total - free, heap.bytes_in_use, heap.peak_bytes_in_use, heap.pages_held * 4096,
                jit.bytes, jit.mappings, page_tables, highest, high_page,
                high_ok ? "true" : "false");
        return;
    }
    kprintf("total %lu KiB, used %lu KiB, free %lu KiB; heap %zu KiB in use (peak %zu KiB)\n", total / 1024,
            (total - free) / 1024, free / 1024, heap.bytes_in_use / 1024, heap.peak_bytes_in_use / 1024);
    kprintf("JIT code and data %lu KiB in %lu mapping(s); page tables %lu KiB\n", jit.bytes / 1024, jit.mappings,
            page_tables / 1024);
    kprintf("RAM up to 0x%lx", highest);
    if (high_page)
        kprintf("; page 0x%lx above 4 GiB %s\n", high_page, high_ok ? "written and read back" : "READ BACK WRONG");
    else
        kprintf("; none above 4 GiB\n");
}


static void cmd_uptime(const CommandLine& args)
{
    uint64_t ns = arch::now_ns();
    if (args.has_flag("--json")) {
        kprintf("{\"uptime_ns\":%lu}\n", ns);
        return;
    }
    kprintf("up %lu.%03lu s\n", ns / 1000000000, (ns / 1000000) % 1000);
}

static void cmd_echo(const CommandLine& args)
{
    for (size_t i = 1; i < args.count(); ++i)
        kprintf(i + 1 < args.count() ? "%.*s " : "%.*s", int(args[i].size()), args[i].data());
    kprintf("\n");
}

// What LLVM's bitcode reader does on some corrupt files: a bad read in
// kernel (library) code under ModuleGuard::contain_library_fault. With no
// lock held it is contained and reported; with a lock held (`locked`) it
// must still panic, since the lock could never be released.
static void library_fault(bool locked)
{
    static Spinlock held; // unranked: counted all the same (lock_order::holds_any)
    char what[120] = "";
    auto bad_read = [](void* lock) {
        if (lock)
            static_cast<Spinlock*>(lock)->lock();
        uint64_t address = 0;
        asm volatile("" : "+r"(address)); // hide the null from the optimiser
        (void)*reinterpret_cast<volatile uint64_t*>(address);
    };
    if (ModuleGuard::contain_library_fault(bad_read, locked ? &held : nullptr, what, sizeof(what)))
        kprintf("error: the read of address 0 did not fault\n");
    else
        kprintf("contained: %s\n", what);
}

// Each way compiled library code can die ends in a panic report that says
// what happened; `panic KIND` triggers one so the tests can check it.
static bool die(std::string_view kind)
{
    if (kind == "library" || kind == "library-locked") {
        library_fault(kind == "library-locked");
        return false;
    }
    if (kind == "fault") {
        kprintf("panic: writing to address 0 on purpose\n");
        uint64_t address = 0;
        asm volatile("" : "+r"(address)); // hide the null from the optimiser
        *reinterpret_cast<volatile uint64_t*>(address) = 0xdead;
    } else if (kind == "abort") {
        abort();
    } else if (kind == "assert") {
        __assert_fail("1 + 1 == 3", __FILE__, __LINE__, __func__);
    } else if (kind == "canary") {
        __stack_chk_fail();
    } else if (kind == "throw") {
        // libstdc++ throws for us (our code is built without exceptions);
        // nothing catches it, so std::terminate runs.
        std::__throw_runtime_error("an uncaught C++ exception, on purpose");
    }
    return false;
}

static void cmd_panic(const CommandLine& args)
{
    std::string_view kind = args.count() > 1 && args[1] != "--cpu" ? args[1] : "fault";
    if (kind != "fault" && kind != "abort" && kind != "assert" && kind != "canary" && kind != "throw"
        && kind != "library" && kind != "library-locked") {
        kprintf("error: panic takes fault, abort, assert, canary, throw, library or library-locked, and --cpu N\n");
        return;
    }
    uint32_t cpu = 0;
    for (size_t i = 1; i + 1 < args.count(); ++i)
        if (args[i] == "--cpu")
            cpu = uint32_t(strtoul(std::string(args[i + 1]).c_str(), nullptr, 10));
    if (cpu == arch::current_cpu_index()) {
        die(kind);
        return;
    }
    if (kind.starts_with("library")) {
        kprintf("error: panic %.*s runs on this CPU only\n", int(kind.size()), kind.data());
        return;
    }
    // The other CPU dies; its panic stops this one with an NMI.
    static std::string_view remote_kind;
    remote_kind = kind;
    if (!smp_executor().run_on_cpu(cpu, [](void*) { die(remote_kind); }, nullptr)) {
        kprintf("error: cpu %u is not online or is busy\n", cpu);
        return;
    }
    for (;;)
        arch::relax();
}

static void cmd_poweroff(const CommandLine&)
{
    // What got hot this boot starts hot next boot (kernel/jit/ProfileStore.cpp).
    KernelJit* jit = KernelJit::get();
    Fat16Volume* volume = Storage::get().boot_volume();
    if (jit && volume) {
        auto saved = jit->save_profile(*volume);
        if (saved.is_error())
            kprintf("profile: not saved: %s\n", saved.error().message());
        else if (saved.value())
            kprintf("profile: %zu hot function(s) saved to /profile/profile.json\n", saved.value());
    } else if (jit) {
        kprintf("profile: not saved (saving is off: no boot volume)\n");
    }
    kprintf("powering off\n");
    arch::power_off(kernel().acpi);
}

static void cmd_reboot(const CommandLine&)
{
    kprintf("rebooting\n");
    arch::reboot(kernel().acpi);
}

static const ShellCommand commands[] = {
    { "help", "", "list commands", cmd_help },
    { "version", "", "kernel version", cmd_version },
    { "mem", "[--json] | hold --leave N | release", "physical memory and heap use; hold memory (tests)", cmd_mem },
    { "uptime", "[--json]", "time since boot", cmd_uptime },
    { "echo", "[words...]", "print the arguments", cmd_echo },
    { "cpus", "[--json]", "processors: ACPI and APIC ids, online, work done", cmd_cpus },
    { "smp-test", "[--json]", "lock stress and parallel sum on every CPU, checked", cmd_smp_test },
    { "smp-bench", "[--json]", "parallel_for speed-up, compute- and memory-bound", cmd_smp_bench },
    { "acpi", "[dump SIG]", "list the ACPI tables, or dump one in hex", cmd_acpi },
    { "disks", "[--json]", "disks found and their FAT16 volumes", cmd_disks },
    { "ls", "[path]", "list a directory of the boot volume", cmd_ls },
    { "cat", "<path>", "print a text file of the boot volume", cmd_cat },
    { "df", "[--json]", "boot volume size and free space", cmd_df },
    { "checksum", "<path>", "read a whole file (progress, MiB/s) and print its CRC-32", cmd_checksum },
    { "fs-churn", "[--files N] [--rounds R] [--first V] [--profile]", "rewrite /churn files again and again (power-cut test)", cmd_fs_churn },
    { "modules", "[--json]", "loaded bitcode modules and their functions", cmd_modules },
    { "load", "/modules/NAME.bc", "load (or reload) a module from the boot volume", cmd_load },
    { "unload", "NAME", "unload a module", cmd_unload },
    { "rescan", "", "unload all modules and load /modules again", cmd_rescan },
    { "jit", "run|info|limit|allowed ...", "jit run [--opt N] [--repeat N] [--limit S] <module> <fn> [args]; jit info; jit limit [S]; jit allowed", cmd_jit },
    { "profile", "[MODULE] [--json] | save", "tiering: calls, tier, promotions; save for the next boot", cmd_profile },
    { "tier", "[on|off|steps ...|pin M F L|soak M F|unload-pending M F]",
      "show or set the tiering policy; soak: swap under load; unload-pending: unload with versions retired", cmd_tier },
    { "bench", "[names] [--iterations N] [--json]", "benchmark suite: JIT O0, O3 and AOT", cmd_bench },
    { "generate", "\"PROMPT\" [--tokens N] [--model P] ...", "Llama text generation from /models (--ids, --json)",
      cmd_generate },
    { "chat", "\"MESSAGE\" [generate's options]", "one chat turn with the model's chat template", cmd_chat },
    { "models", "", "GGUF models in /models and their sizes", cmd_models },
    { "panic", "[fault|abort|assert|canary|throw|library[-locked]] [--cpu N]",
      "die on purpose, on any CPU (tests the panic report); library: a contained fault",
      cmd_panic },
    { "poweroff", "", "ACPI power off (S5)", cmd_poweroff },
    { "reboot", "", "reset the machine", cmd_reboot },
    { nullptr, nullptr, nullptr, nullptr },
};

const ShellCommand* shell_commands() { return commands; }

} // namespace fluid
