#include "tests/integration/TestEnvironment.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

namespace fluid::test {

namespace {

std::string env_or(const char* name, const char* fallback)
{
    const char* value = std::getenv(name);
    return value && *value ? value : fallback;
}

std::chrono::seconds scaled(int seconds)
{
    double scale = std::atof(env_or("FLUID_TEST_TIMEOUT_SCALE", "1").c_str());
    if (scale <= 0)
        scale = 1;
    return std::chrono::seconds(static_cast<long>(seconds * scale + 0.5));
}

}  // namespace

std::string image_path() { return env_or("FLUID_TEST_IMAGE", FLUID_DEFAULT_IMAGE); }

std::string qemu_script() { return std::string(FLUID_SOURCE_DIR) + "/qemu/fluid-qemu.sh"; }

std::string firmware_name(Firmware firmware) { return firmware == Firmware::Bios ? "Bios" : "Uefi"; }

std::string log_path(const std::string& test_name, Firmware firmware)
{
    std::string dir = env_or("FLUID_TEST_LOG_DIR", FLUID_DEFAULT_LOG_DIR);
    ::mkdir(dir.c_str(), 0755);
    // The same test may run on another disk bus at the same time (e.g. the
    // big-file read over IDE and over AHCI): keep their logs apart.
    std::string disk = env_or("FLUID_TEST_DISK", "ide");
    std::string path = dir + "/" + test_name + (disk == "ide" ? "" : "-" + disk) + "-" + firmware_name(firmware) + ".log";
    std::remove(path.c_str());  // one run per file
    return path;
}

std::chrono::seconds boot_timeout(Firmware firmware) { return scaled(firmware == Firmware::Bios ? 90 : 180); }

std::chrono::seconds command_timeout() { return scaled(30); }

std::unique_ptr<QemuSession> boot(Firmware firmware, const std::string& test_name, double* ready_seconds, int smp)
{
    MachineSettings machine;
    machine.smp = smp;
    return boot(firmware, test_name, ready_seconds, machine);
}

std::unique_ptr<QemuSession> boot(Firmware firmware, const std::string& test_name, double* ready_seconds,
                                  const MachineSettings& machine)
{
    QemuSession::Options options;
    options.script = qemu_script();
    options.image = image_path();
    options.firmware = firmware;
    options.smp = machine.smp;
    options.mem_mib = machine.mem_mib;
    options.machine = machine.machine;
    options.extra_args = machine.extra_args;
    options.disk = machine.disk.empty() ? env_or("FLUID_TEST_DISK", "ide") : machine.disk;
    options.log_path = log_path(test_name, firmware);
    auto session = std::make_unique<QemuSession>(options);
    *ready_seconds = -1;
    if (session->wait_for("fluid: ready", boot_timeout(firmware))) {
        double seconds = session->seconds_since_start();
        session->log("boot: 'fluid: ready' after " + std::to_string(seconds) + " s (" + firmware_name(firmware)
            + ")");
        std::printf("[ boot     ] %s: fluid: ready after %.1f s (log: %s)\n", firmware_name(firmware).c_str(), seconds,
            options.log_path.c_str());
        std::fflush(stdout);
        if (session->wait_for("fluid> ", command_timeout()))
            *ready_seconds = seconds;
    }
    return session;
}

}  // namespace fluid::test
