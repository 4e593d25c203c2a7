// Bad input on the partition: an image whose /modules/ holds a corrupt .bc
// beside the good ones (built by the integration.image_corrupt fixture). The
// kernel must name the broken module and why, load the others, and keep
// running.
#include "tests/integration/QemuSession.h"
#include "tests/integration/TestEnvironment.h"

#include <gtest/gtest.h>

namespace fluid::test {
namespace {

TEST(ModuleLoad, CorruptModuleIsReportedAndTheOthersLoad)
{
    double ready = -1;
    auto session = boot(Firmware::Bios, "corrupt-module", &ready);
    ASSERT_GE(ready, 0) << session->output();
    const std::string& boot_log = session->output();
    EXPECT_NE(boot_log.find("jit: module broken (/modules/broken.bc) not loaded:"), std::string::npos) << boot_log;
    EXPECT_NE(boot_log.find("jit: module fib (/modules/fib.bc):"), std::string::npos) << boot_log;

    auto modules = session->command("modules", command_timeout());
    ASSERT_TRUE(modules.has_value()) << session->pending();
    EXPECT_NE(modules->find("broken (/modules/broken.bc): not loaded:"), std::string::npos) << *modules;

    auto fib = session->command("jit run fib fib 20", command_timeout());
    ASSERT_TRUE(fib.has_value()) << session->pending();
    EXPECT_NE(fib->find("fib(20) = 6765"), std::string::npos) << *fib;

    auto broken = session->command("jit run broken f 1", command_timeout());
    ASSERT_TRUE(broken.has_value()) << session->pending();
    EXPECT_NE(broken->find("error:"), std::string::npos) << *broken;
}

// The disk on an AHCI controller, which the kernel has no driver for yet:
// like a USB stick on a real PC. The kernel must say so and run the modules
// from the read-only copies GRUB loaded (run with FLUID_TEST_DISK=ahci).
TEST(ModuleLoad, WithoutADiskDriverGrubsCopiesAreUsed)
{
    double ready = -1;
    auto session = boot(Firmware::Bios, "no-disk-driver", &ready);
    ASSERT_GE(ready, 0) << session->output();
    const std::string& boot_log = session->output();
    EXPECT_NE(boot_log.find("storage: no disk holds the boot volume"), std::string::npos) << boot_log;
    EXPECT_NE(boot_log.find("jit: no boot volume; loading the 4 module(s) GRUB passed (read-only)"), std::string::npos)
        << boot_log;
    auto fib = session->command("jit run fib fib 20", command_timeout());
    ASSERT_TRUE(fib.has_value()) << session->pending();
    EXPECT_NE(fib->find("fib(20) = 6765"), std::string::npos) << *fib;
    auto modules = session->command("modules", command_timeout());
    ASSERT_TRUE(modules.has_value()) << session->pending();
    EXPECT_NE(modules->find("from multiboot:fib.bc"), std::string::npos) << *modules;
    auto load = session->command("load /modules/fib.bc", command_timeout());
    ASSERT_TRUE(load.has_value()) << session->pending();
    EXPECT_NE(load->find("error: no boot volume"), std::string::npos) << *load;
}

}  // namespace
}  // namespace fluid::test
