// Bad input on the partition: an image whose /modules/ holds a corrupt .bc
// beside the good ones, and files that crash LLVM's own bitcode reader
// (built by the integration.image_corrupt fixture). The kernel must name
// each broken module and why, load the others, and keep running.
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

    // Files on which LLVM's own reader crashes or calls report_fatal_error
    // (tests/integration/corrupt-bitcode): each is refused, none panics.
    for (const char* name : { "fatal_error", "null_value", "bad_pointer", "lazy_metadata", "struct_index", "attachment" }) {
        std::string line = std::string("jit: module ") + name + " (/modules/" + name + ".bc) not loaded: module " + name
            + ": corrupt bitcode, LLVM's reader failed: ";
        EXPECT_NE(boot_log.find(line), std::string::npos) << line << "\n" << boot_log;
    }
    EXPECT_NE(boot_log.find("reader failed: lazyLoadOneMetadata failed jumping"), std::string::npos) << boot_log;
    // Faults name the function, demangled and without its parameters.
    EXPECT_NE(boot_log.find("reader failed: page fault at llvm::"), std::string::npos) << boot_log;
    // Again at the prompt, twice, and the machine goes on.
    for (int i = 0; i < 2; ++i) {
        auto again = session->command("load /modules/lazy_metadata.bc", command_timeout());
        ASSERT_TRUE(again.has_value()) << session->pending();
        EXPECT_NE(again->find("error: module lazy_metadata: corrupt bitcode, LLVM's reader failed: "), std::string::npos)
            << *again;
    }
    auto fib_after = session->command("load /modules/fib.bc", command_timeout());
    ASSERT_TRUE(fib_after.has_value()) << session->pending();
    auto fib_again = session->command("jit run fib fib 20", command_timeout());
    ASSERT_TRUE(fib_again.has_value()) << session->pending();
    EXPECT_NE(fib_again->find("fib(20) = 6765"), std::string::npos) << *fib_again;

    // The rule behind it: a fault in kernel code is contained there only
    // while the CPU holds no lock. `panic library` is such a fault with no
    // lock held; `panic library-locked` holds a spinlock and must panic.
    auto contained = session->command("panic library", command_timeout());
    ASSERT_TRUE(contained.has_value()) << session->pending();
    EXPECT_NE(contained->find("contained: page fault at "), std::string::npos) << *contained;
    EXPECT_NE(contained->find("address 0x0"), std::string::npos) << *contained;
    auto still = session->command("jit run fib fib 10", command_timeout());
    ASSERT_TRUE(still.has_value()) << session->pending();
    EXPECT_NE(still->find("fib(10) = 55"), std::string::npos) << *still;
    session->send_line("panic library-locked");
    EXPECT_TRUE(session->wait_for("halted after panic", command_timeout())) << session->pending();
    EXPECT_EQ(session->wait_exit(command_timeout()), 3) << session->output();
}

// The disk on an AHCI (SATA) controller, as on most PCs since 2008 (run
// with FLUID_TEST_DISK=ahci): the kernel's AHCI driver finds it on the PCI
// bus, mounts the boot volume from it and loads the modules from /modules.
TEST(ModuleLoad, AhciDiskHoldsTheBootVolume)
{
    double ready = -1;
    auto session = boot(Firmware::Bios, "ahci-boot-volume", &ready);
    ASSERT_GE(ready, 0) << session->output();
    const std::string& boot_log = session->output();
    EXPECT_NE(boot_log.find("storage: sata0: "), std::string::npos) << boot_log;
    EXPECT_NE(boot_log.find("jit: module fib (/modules/fib.bc):"), std::string::npos) << boot_log;

    auto disks = session->command("disks", command_timeout());
    ASSERT_TRUE(disks.has_value()) << session->pending();
    auto sata0 = disks->find("sata0: ");
    ASSERT_NE(sata0, std::string::npos) << *disks;
    EXPECT_NE(disks->find("(boot volume)", sata0), std::string::npos) << *disks;

    auto modules = session->command("modules", command_timeout());
    ASSERT_TRUE(modules.has_value()) << session->pending();
    EXPECT_NE(modules->find("from /modules/fib.bc"), std::string::npos) << *modules;
    auto fib = session->command("jit run fib fib 20", command_timeout());
    ASSERT_TRUE(fib.has_value()) << session->pending();
    EXPECT_NE(fib->find("fib(20) = 6765"), std::string::npos) << *fib;
    auto cfg = session->command("cat /boot/grub/grub.cfg", command_timeout());
    ASSERT_TRUE(cfg.has_value()) << session->pending();
    EXPECT_NE(cfg->find("multiboot2 /boot/kernel.elf"), std::string::npos) << *cfg;
}

// `storage=none` on the kernel command line (an image made by the
// integration.image_nostorage fixture) skips the disk drivers, as when the
// boot disk sits on a controller the kernel has no driver for (a USB
// stick, NVMe). The JIT must then run the read-only copies GRUB loaded.
TEST(ModuleLoad, WithoutADiskGrubsCopiesAreUsed)
{
    double ready = -1;
    auto session = boot(Firmware::Bios, "no-disk", &ready);
    ASSERT_GE(ready, 0) << session->output();
    const std::string& boot_log = session->output();
    EXPECT_NE(boot_log.find("storage: disabled by storage=none"), std::string::npos) << boot_log;
    // Every module the image carries (FLUID_MODULE_COUNT, from the build).
    EXPECT_NE(boot_log.find("jit: no boot volume; loading the " + std::to_string(FLUID_MODULE_COUNT)
                            + " module(s) GRUB passed (read-only)"),
              std::string::npos)
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
