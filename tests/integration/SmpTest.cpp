// Every core: QEMU boots with -smp 1, 2, 4 and 8 under SeaBIOS and OVMF.
// All cores come online; the lock stress loses no increment; a parallel
// sum (in the kernel and in a JIT'd module) equals the serial one; and a
// panic on the last core is reported with that core's id.
#include "tests/integration/QemuSession.h"
#include "tests/integration/ShellReplies.h"
#include "tests/integration/TestEnvironment.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <tuple>

namespace fluid::test {
namespace {

class SmpTest : public ::testing::TestWithParam<std::tuple<Firmware, int>> { };

TEST_P(SmpTest, AllCoresWorkAndAnApPanicNamesItsCore)
{
    auto [firmware, smp] = GetParam();
    double ready = -1;
    auto session = boot(firmware, "smp" + std::to_string(smp), &ready, smp);
    ASSERT_GE(ready, 0) << session->output();
    auto run = [&](const std::string& line) {
        auto reply = session->command(line, command_timeout());
        EXPECT_TRUE(reply.has_value()) << "no prompt after '" << line << "':\n" << session->pending();
        return reply.value_or("");
    };
    std::string n = std::to_string(smp);

    auto cpus = run("cpus --json");
    EXPECT_EQ(json_value(cpus, "count"), n) << cpus;
    EXPECT_EQ(json_value(cpus, "online"), n) << cpus;

    auto test = run("smp-test --json");
    EXPECT_EQ(json_value(test, "cpus"), n) << test;
    EXPECT_EQ(json_value(test, "expected"), json_value(test, "counted")) << "lost increments:\n" << test;
    EXPECT_EQ(json_value(test, "serial"), json_value(test, "parallel")) << test;
    EXPECT_EQ(json_value(test, "every_cpu_ran"), "true") << test;
    EXPECT_NE(test.find("\"ok\":true}"), std::string::npos) << test;

    // JIT'd code fans out through fluid_parallel_for.
    auto serial = jit_result(run("jit run parallel serial_sum 300000"));
    auto parallel = jit_result(run("jit run parallel parallel_sum 300000"));
    EXPECT_FALSE(serial.empty());
    EXPECT_EQ(serial, parallel);
    EXPECT_EQ(jit_result(run("jit run parallel cpu_count")), n);

    if (smp == 1) {
        session->send_line("poweroff");
        EXPECT_EQ(session->wait_exit(command_timeout()), 0) << session->output();
        return;
    }
    std::string last = std::to_string(smp - 1);
    session->send_line("panic fault --cpu " + last);
    EXPECT_TRUE(session->wait_for("halted after panic", command_timeout())) << session->pending();
    EXPECT_EQ(session->wait_exit(command_timeout()), 3) << session->output();
    const std::string& out = session->output();
    EXPECT_NE(out.find("on cpu " + last + " (APIC id"), std::string::npos) << out;
    EXPECT_NE(out.find("idle_loop"), std::string::npos) << "backtrace should show the AP's idle loop:\n" << out;
    EXPECT_NE(out.find("ap_main"), std::string::npos) << out;
}

std::string name(const ::testing::TestParamInfo<std::tuple<Firmware, int>>& info)
{
    return firmware_name(std::get<0>(info.param)) + "_smp" + std::to_string(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Cores, SmpTest,
    ::testing::Combine(::testing::Values(Firmware::Bios, Firmware::Uefi), ::testing::Values(1, 2, 4, 8)), name);

} // namespace
} // namespace fluid::test
