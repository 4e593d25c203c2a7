// QEMU standing in for the PCs a USB stick meets (issue 9): the image as a
// USB stick under SeaBIOS and OVMF (the kernel has no USB driver, so it runs
// the copies GRUB loaded and does not save profiles), a q35 machine whose
// disk sits on the chipset's AHCI controller under OVMF, 512 MiB and 8 GiB
// of memory, and 16 CPUs. Each test is one short boot.
#include "tests/integration/QemuMonitor.h"
#include "tests/integration/QemuSession.h"
#include "tests/integration/ShellReplies.h"
#include "tests/integration/TestEnvironment.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>

namespace fluid::test {
namespace {

std::string run(QemuSession& session, const std::string& line)
{
    auto reply = session.command(line, command_timeout());
    EXPECT_TRUE(reply.has_value()) << "no prompt after '" << line << "':\n" << session.pending();
    return reply.value_or("");
}

void expect_fib_runs(QemuSession& session)
{
    auto fib = run(session, "jit run fib fib 20");
    EXPECT_NE(fib.find("fib(20) = 6765"), std::string::npos) << fib;
}

void poweroff(QemuSession& session)
{
    session.send_line("poweroff");
    EXPECT_EQ(session.wait_exit(command_timeout()), 0) << session.pending();
}

class UsbStickTest : public ::testing::TestWithParam<Firmware> { };

// The firmware boots GRUB from the stick; GRUB loads the kernel and every
// /modules/*.bc; the kernel finds no disk it can drive and runs GRUB's copies.
TEST_P(UsbStickTest, RunsGrubsCopiesAndDoesNotSaveProfiles)
{
    MachineSettings machine;
    machine.disk = "usb";
    double ready = -1;
    auto session = boot(GetParam(), "usb-stick", &ready, machine);
    ASSERT_GE(ready, 0) << session->output();
    const std::string& boot_log = session->output();
    EXPECT_NE(boot_log.find("storage: no disk holds the boot volume"), std::string::npos) << boot_log;
    EXPECT_EQ(boot_log.find("FAT16 volume mounted"), std::string::npos) << "a disk driver saw the stick:\n" << boot_log;
    EXPECT_NE(boot_log.find("jit: no boot volume; loading the " + std::to_string(FLUID_MODULE_COUNT)
                            + " module(s) GRUB passed (read-only)"),
              std::string::npos)
        << boot_log;
    EXPECT_NE(boot_log.find("profile: saving is off"), std::string::npos) << boot_log;

    expect_fib_runs(*session);
    auto modules = run(*session, "modules");
    EXPECT_NE(modules.find("from multiboot:fib.bc"), std::string::npos) << modules;
    auto save = run(*session, "profile save");
    EXPECT_NE(save.find("error: no writable boot volume"), std::string::npos) << save;

    // The models too: generate runs on GRUB's copy of the default model, in place.
    auto models = run(*session, "models");
    EXPECT_NE(models.find("/models/default.gguf  (GRUB's copy, read-only)"), std::string::npos) << models;
    auto text = run(*session, "generate \"In the beginning\" --tokens 4");
    EXPECT_NE(text.find("generation 3 tokens"), std::string::npos) << text;
    EXPECT_EQ(text.find("error"), std::string::npos) << text;

    session->send_line("poweroff");
    EXPECT_TRUE(session->wait_for("profile: not saved (saving is off", command_timeout())) << session->pending();
    EXPECT_EQ(session->wait_exit(command_timeout()), 0) << session->pending();
}

INSTANTIATE_TEST_SUITE_P(Firmware, UsbStickTest, ::testing::Values(Firmware::Bios, Firmware::Uefi),
    [](const auto& info) { return firmware_name(info.param); });

// Counts the pixels of a screendump that are not black (the console's background).
size_t lit_pixels(const PpmImage& image)
{
    size_t lit = 0;
    for (size_t i = 0; i + 2 < image.rgb.size(); i += 3)
        lit += image.rgb[i] | image.rgb[i + 1] | image.rgb[i + 2] ? 1 : 0;
    return lit;
}

// q35 (ICH9) under OVMF without an 8254 PIT, as a UEFI PC without legacy
// timers: the boot disk hangs on the chipset's own AHCI controller, the
// TSC is calibrated against the HPET, and the console is GRUB's
// framebuffer: reported on serial, and the screen (QEMU's screendump
// through the monitor) shows text, not just background.
TEST(Machine, Q35UefiAhciHoldsTheBootVolume)
{
    std::string socket = std::string(FLUID_TEST_SCRATCH_DIR) + "/monitor-q35.sock";
    std::string screen = std::string(FLUID_TEST_SCRATCH_DIR) + "/q35-screen.ppm";
    ::unlink(socket.c_str());
    ::unlink(screen.c_str());
    MachineSettings machine;
    machine.machine = "q35";
    machine.disk = "ide"; // on q35 an IDE-interface drive lands on the ICH9 AHCI ports
    machine.extra_args = { "--no-pit", "--monitor", "unix:" + socket };
    double ready = -1;
    auto session = boot(Firmware::Uefi, "q35-ahci", &ready, machine);
    ASSERT_GE(ready, 0) << session->output();
    const std::string& boot_log = session->output();
    EXPECT_NE(boot_log.find("calibrated against the HPET (no PIT)"), std::string::npos) << boot_log;
    EXPECT_NE(boot_log.find("console: framebuffer 1024x768, 32 bpp"), std::string::npos) << boot_log;
    EXPECT_NE(boot_log.find("storage: sata0: "), std::string::npos) << boot_log;
    EXPECT_NE(boot_log.find("jit: loading modules from /modules on the boot volume"), std::string::npos) << boot_log;
    auto disks = run(*session, "disks");
    auto sata0 = disks.find("sata0: ");
    ASSERT_NE(sata0, std::string::npos) << disks;
    EXPECT_NE(disks.find("(boot volume)", sata0), std::string::npos) << disks;
    expect_fib_runs(*session);

    auto monitor = QemuMonitor::connect(socket, command_timeout());
    ASSERT_TRUE(monitor.has_value()) << "no QEMU monitor on " << socket;
    ASSERT_TRUE(monitor->command("screendump " + screen, command_timeout()).has_value());
    auto image = read_ppm(screen);
    ASSERT_TRUE(image.has_value()) << "screendump wrote no PPM at " << screen;
    EXPECT_EQ(image->width, 1024u);
    EXPECT_EQ(image->height, 768u);
    // A screenful of boot log is tens of thousands of pixels; a blank one is 0.
    EXPECT_GT(lit_pixels(*image), 5000u) << "the framebuffer shows no text";
    poweroff(*session);
}

// Seconds of guest uptime across `host_seconds` of host time.
double uptime_across(QemuSession& session, int host_seconds)
{
    auto ns = [&] { return std::strtod(json_value(run(session, "uptime --json"), "uptime_ns").c_str(), nullptr); };
    double before = ns();
    std::this_thread::sleep_for(std::chrono::seconds(host_seconds));
    return (ns() - before) / 1e9;
}

// Neither an 8254 PIT nor an HPET: the TSC is calibrated against the ACPI
// PM timer, and uptime keeps pace with the host's clock. (Under SeaBIOS:
// OVMF without both timers takes minutes to boot under TCG.)
TEST(Machine, WithoutPitOrHpetUsesThePmTimer)
{
    MachineSettings machine;
    machine.extra_args = { "--no-pit", "--no-hpet" };
    double ready = -1;
    auto session = boot(Firmware::Bios, "no-pit-no-hpet", &ready, machine);
    ASSERT_GE(ready, 0) << session->output();
    const std::string& boot_log = session->output();
    EXPECT_NE(boot_log.find("calibrated against the ACPI PM timer (no PIT, no HPET)"), std::string::npos) << boot_log;
    double uptime = uptime_across(*session, 2);
    EXPECT_GT(uptime, 1.0) << "the clock runs slow";
    EXPECT_LT(uptime, 4.0) << "the clock runs fast";
    expect_fib_runs(*session);
    poweroff(*session);
}

// 512 MiB: everything still fits (the kernel is ~40 MiB, LLVM's heap less).
TEST(Machine, Memory512MiB)
{
    MachineSettings machine;
    machine.mem_mib = 512;
    double ready = -1;
    auto session = boot(Firmware::Bios, "mem512", &ready, machine);
    ASSERT_GE(ready, 0) << session->output();
    auto mem = run(*session, "mem --json");
    uint64_t total = std::strtoull(json_value(mem, "total_bytes").c_str(), nullptr, 10);
    EXPECT_GT(total, 400ull << 20) << mem;
    EXPECT_LE(total, 512ull << 20) << mem;
    EXPECT_EQ(json_value(mem, "above_4g_page"), "0") << mem;
    expect_fib_runs(*session);
    poweroff(*session);
}

// 8 GiB: QEMU's pc machine puts 5 GiB above 4 GiB. The page allocator
// counts it, the identity map covers it, and a page up there reads back
// what was written through the map.
TEST(Machine, Memory8GiBAbove4GiBIsUsed)
{
    MachineSettings machine;
    machine.mem_mib = 8192;
    double ready = -1;
    auto session = boot(Firmware::Bios, "mem8g", &ready, machine);
    ASSERT_GE(ready, 0) << session->output();
    auto mem = run(*session, "mem --json");
    uint64_t total = std::strtoull(json_value(mem, "total_bytes").c_str(), nullptr, 10);
    uint64_t highest = std::strtoull(json_value(mem, "highest_address").c_str(), nullptr, 10);
    uint64_t high_page = std::strtoull(json_value(mem, "above_4g_page").c_str(), nullptr, 10);
    EXPECT_GT(total, 7ull << 30) << mem;
    EXPECT_GE(highest, 9ull << 30) << mem; // 3 GiB below the PCI hole, 5 GiB from 4 GiB
    EXPECT_GE(high_page, 4ull << 30) << mem;
    EXPECT_EQ(json_value(mem, "above_4g_ok"), "true") << mem;
    expect_fib_runs(*session);
    poweroff(*session);
}

// 16 CPUs (more than SmpTest's 8): all come online and a parallel sum over
// all of them matches the serial one.
TEST(Machine, SixteenCpus)
{
    MachineSettings machine;
    machine.smp = 16;
    double ready = -1;
    auto session = boot(Firmware::Bios, "smp16", &ready, machine);
    ASSERT_GE(ready, 0) << session->output();
    auto cpus = run(*session, "cpus --json");
    EXPECT_EQ(json_value(cpus, "count"), "16") << cpus;
    EXPECT_EQ(json_value(cpus, "online"), "16") << cpus;
    auto serial = jit_result(run(*session, "jit run parallel serial_sum 100000"));
    auto parallel = jit_result(run(*session, "jit run parallel parallel_sum 100000"));
    EXPECT_FALSE(serial.empty());
    EXPECT_EQ(serial, parallel);
    EXPECT_EQ(jit_result(run(*session, "jit run parallel cpu_count")), "16");
    poweroff(*session);
}

} // namespace
} // namespace fluid::test
