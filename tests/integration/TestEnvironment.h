// Where the integration tests find the image, the QEMU script and their logs, and
// how long they wait. Paths come from compile definitions set in CMakeLists.txt;
// the environment can override them:
//   FLUID_TEST_IMAGE          disk image to boot (default: <build>/fluid.img)
//   FLUID_TEST_LOG_DIR        where the per-test logs go (default: <build>/tests/integration/logs)
//   FLUID_TEST_TIMEOUT_SCALE  multiplies every timeout (e.g. 2 on a slow machine)
//   FLUID_TEST_DISK           ide (default) or ahci: the bus the image hangs on
#pragma once

#include "tests/integration/QemuSession.h"

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace fluid::test {

std::string image_path();
std::string qemu_script();
std::string log_path(const std::string& test_name, Firmware firmware);
std::string firmware_name(Firmware firmware);  // "Bios" / "Uefi"
inline void PrintTo(Firmware firmware, std::ostream* os) { *os << firmware_name(firmware); }

// Boot to "fluid: ready": 90 s under SeaBIOS, 180 s under OVMF (TCG on 2 slow cores).
std::chrono::seconds boot_timeout(Firmware firmware);
// One shell command, or a panic/poweroff to QEMU's exit.
std::chrono::seconds command_timeout();

// Starts a session and waits for "fluid: ready" and the first prompt. Returns the
// session either way; *ready_seconds is the boot time, or negative on failure.
// `smp` virtual CPUs (QEMU -smp).
std::unique_ptr<QemuSession> boot(Firmware firmware, const std::string& test_name, double* ready_seconds,
                                  int smp = 1);

// The machine, for the boots that vary more than the CPU count (MachineTest.cpp).
struct MachineSettings {
    int smp = 1;
    int mem_mib = 1024;
    std::string disk;            // empty: FLUID_TEST_DISK, else ide
    std::string machine = "pc";  // or q35
    std::vector<std::string> extra_args;  // more fluid-qemu.sh options
};
std::unique_ptr<QemuSession> boot(Firmware firmware, const std::string& test_name, double* ready_seconds,
                                  const MachineSettings& machine);

}  // namespace fluid::test
