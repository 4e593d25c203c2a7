// How a Fluid guest ends: each test boots its own guest, ends it, and checks QEMU's
// exit status (0 = ACPI poweroff, 3 = panic through isa-debug-exit). A guest that
// does not exit in time is killed and the test fails: never a hang.
#include "tests/integration/QemuSession.h"
#include "tests/integration/TestEnvironment.h"

#include <gtest/gtest.h>

namespace fluid::test {
namespace {

class LifecycleTest : public ::testing::TestWithParam<Firmware> {
protected:
    std::unique_ptr<QemuSession> boot_guest(const std::string& name)
    {
        double ready = -1;
        auto session = boot(GetParam(), name, &ready);
        EXPECT_GE(ready, 0) << "no 'fluid: ready' and prompt within " << boot_timeout(GetParam()).count()
                            << " s; output:\n"
                            << session->output();
        return ready >= 0 ? std::move(session) : nullptr;
    }
};

TEST_P(LifecycleTest, PanicExitsWithStatus3)
{
    auto session = boot_guest("panic");
    ASSERT_TRUE(session);
    session->send_line("panic");
    EXPECT_TRUE(session->wait_for("PANIC", command_timeout())) << session->pending();
    EXPECT_EQ(session->wait_exit(command_timeout()), 3) << "output:\n" << session->output();
    // The report names the exception, the faulting address and where it
    // happened, with symbols from the kernel's own ELF symbol table.
    const std::string& out = session->output();
    EXPECT_NE(out.find("page fault (#PF), vector 14"), std::string::npos) << out;
    EXPECT_NE(out.find("CR2 (faulting address) 0x0000000000000000"), std::string::npos) << out;
    EXPECT_NE(out.find("cause: write access, page not present"), std::string::npos) << out;
    EXPECT_NE(out.find("RAX "), std::string::npos) << out;
    EXPECT_NE(out.find("backtrace:"), std::string::npos) << out;
    EXPECT_NE(out.find("cmd_panic"), std::string::npos) << "backtrace not symbolised:\n" << out;
    EXPECT_NE(out.find("kmain"), std::string::npos) << "backtrace stops early:\n" << out;
}

// How compiled library code can die: each ends in a named panic and status 3.
class PanicKindTest : public ::testing::TestWithParam<std::pair<const char*, const char*>> { };

TEST_P(PanicKindTest, EndsInANamedPanic)
{
    auto [kind, expected] = GetParam();
    double ready = -1;
    auto session = boot(Firmware::Bios, std::string("panic-") + kind, &ready);
    ASSERT_GE(ready, 0) << session->output();
    session->send_line(std::string("panic ") + kind);
    EXPECT_TRUE(session->wait_for(expected, command_timeout())) << session->pending();
    EXPECT_EQ(session->wait_exit(command_timeout()), 3) << "output:\n" << session->output();
    EXPECT_NE(session->output().find("PANIC: "), std::string::npos) << session->output();
}

INSTANTIATE_TEST_SUITE_P(Kinds, PanicKindTest,
    ::testing::Values(std::make_pair("abort", "abort() called"),
                      std::make_pair("assert", "1 + 1 == 3"),
                      std::make_pair("canary", "stack smashing detected"),
                      std::make_pair("throw", "an uncaught C++ exception, on purpose")),
    [](const auto& info) { return std::string(info.param.first); });

TEST_P(LifecycleTest, PoweroffExitsWithStatus0)
{
    auto session = boot_guest("poweroff");
    ASSERT_TRUE(session);
    session->send_line("poweroff");
    EXPECT_TRUE(session->wait_for("powering off", command_timeout())) << session->pending();
    EXPECT_EQ(session->wait_exit(command_timeout()), 0) << "output:\n" << session->output();
}

INSTANTIATE_TEST_SUITE_P(Firmware, LifecycleTest, ::testing::Values(Firmware::Bios, Firmware::Uefi),
    [](const ::testing::TestParamInfo<Firmware>& info) { return firmware_name(info.param); });

}  // namespace
}  // namespace fluid::test
