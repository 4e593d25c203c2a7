// Fault containment (issue 10, docs/RELIABILITY.md): on two CPUs, a module
// that divides by zero, dereferences a null pointer, executes ud2,
// overflows its stack, spins forever, or faults / spins inside
// fluid_parallel_for chunks on every CPU is stopped; the shell names the
// fault and the function; the module is unloaded; and the machine carries
// on: another module still computes the right answer, the executor and
// every CPU still work (smp-test), and a real kernel fault still panics.
// A module that names kernel internals is refused at load time.
#include "tests/integration/QemuSession.h"
#include "tests/integration/ShellReplies.h"
#include "tests/integration/TestEnvironment.h"

#include <gtest/gtest.h>

#include <string>

namespace fluid::test {
namespace {

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

TEST(Faults, ModuleFaultsAreContainedOnEveryCpu)
{
    double ready = -1;
    auto session = boot(Firmware::Bios, "faults", &ready, 2);
    ASSERT_GE(ready, 0) << session->output();
    auto run = [&](const std::string& line) {
        auto reply = session->command(line, command_timeout());
        EXPECT_TRUE(reply.has_value()) << "no prompt after '" << line << "':\n" << session->pending();
        return reply.value_or("");
    };

    // Module safety: the export table is all a module can link against.
    const std::string boot_log = session->output();
    EXPECT_TRUE(contains(boot_log, "jit: module internal (/modules/internal.bc) not loaded")) << boot_log;
    EXPECT_TRUE(contains(boot_log, "malloc")) << boot_log;
    EXPECT_TRUE(contains(boot_log, "jit: module faults (/modules/faults.bc)")) << boot_log;

    struct Case {
        std::string command;
        std::vector<std::string> expected;
    };
    const Case cases[] = {
        { "jit run faults div_zero 0", { "module faults: divide error at div_zero", "in function div_zero" } },
        { "jit run faults null_deref 0",
          { "module faults: page fault at null_deref", "(address 0x0) in function null_deref" } },
        // Far above RAM: not mapped.
        { "jit run faults null_deref 140737487306752", { "page fault at null_deref", "(address 0x7ffffff00000)" } },
        // Not canonical: #GP, not #PF.
        { "jit run faults null_deref -9223372036854775808",
          { "module faults: general protection fault at null_deref", "in function null_deref" } },
        // Inside the kernel's memset, called by the module with a bad pointer.
        { "jit run faults bad_memset 0", { "module faults: page fault at memset", "(kernel) (address 0x0) in function bad_memset" } },
        { "jit run faults bad_instruction",
          { "module faults: invalid instruction at bad_instruction", "in function bad_instruction" } },
        { "jit run faults stack_overflow",
          { "module faults: stack overflow at recurse", "in function stack_overflow" } },
        { "jit run --limit 2 faults spin_forever",
          { "module faults: exceeded its 2 s limit in function spin_forever (at spin_forever" } },
        // Chunks fault on both CPUs; the whole call is aborted.
        { "jit run faults parallel_fault 64",
          { "module faults: page fault at fault_in_chunk", "(address 0x0) in function parallel_fault" } },
        // The watchdog reaches the AP through its IPI.
        { "jit run --limit 2 faults parallel_spin 64",
          { "module faults: exceeded its 2 s limit in function parallel_spin (at spin_in_chunk" } },
    };
    for (const Case& c : cases) {
        auto reply = run(c.command);
        for (const std::string& e : c.expected)
            EXPECT_TRUE(contains(reply, e)) << "expected '" << e << "' in:\n" << reply;
        EXPECT_TRUE(contains(reply, "module faults unloaded")) << reply;
        // Gone: the next call is refused, not run.
        auto gone = run("jit run faults add_one 1");
        EXPECT_TRUE(contains(gone, "error: no module 'faults'")) << gone;
        auto loaded = run("load /modules/faults.bc");
        EXPECT_TRUE(contains(loaded, "jit: module faults (/modules/faults.bc)")) << loaded;
    }

    // Everything else carries on: the reloaded module, another module,
    // every CPU and the parallel executor.
    EXPECT_EQ(jit_result(run("jit run faults add_one 41")), "42");
    // fib(8) makes 67 calls: below the O1 threshold, so the compiler CPU
    // stays idle for smp-test.
    EXPECT_EQ(jit_result(run("jit run fib fib 8")), "21");
    EXPECT_EQ(jit_result(run("jit run parallel parallel_sum 100000")),
              jit_result(run("jit run parallel serial_sum 100000")));
    auto test = run("smp-test --json");
    EXPECT_EQ(json_value(test, "cpus"), "2") << test;
    EXPECT_EQ(json_value(test, "every_cpu_ran"), "true") << test;
    EXPECT_TRUE(contains(test, "\"ok\":true}")) << test;
    auto limit = run("jit limit");
    EXPECT_TRUE(contains(limit, "limited to 10 s; 10 call(s) contained")) << limit;

    // A fault in the kernel itself is still a panic.
    session->send_line("panic fault");
    EXPECT_TRUE(session->wait_for("halted after panic", command_timeout())) << session->pending();
    EXPECT_EQ(session->wait_exit(command_timeout()), 3) << session->output();
}

} // namespace
} // namespace fluid::test
