// QemuSession: one Fluid guest under QEMU, driven over its serial console.
//
// Starts qemu/fluid-qemu.sh [--snapshot] --serial stdio [--uefi] in its own process
// group, with the guest's COM1 on a pair of pipes. Every wait has a host-side
// timeout; on timeout, and in the destructor, the whole process group is killed,
// so a hung guest never outlives the test. The child also gets SIGKILL if the
// test process dies (PR_SET_PDEATHSIG). Everything the guest prints (and QEMU's
// stderr, prefixed) is appended to a log file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace fluid::test {

enum class Firmware { Bios, Uefi };

class QemuSession {
public:
    struct Options {
        std::string script;    // path of qemu/fluid-qemu.sh
        std::string image;     // disk image (opened with --snapshot: never written)
        Firmware firmware = Firmware::Bios;
        int smp = 1;
        int mem_mib = 1024;
        std::string disk = "ide";  // ide, ahci, or usb (no kernel driver: GRUB's copies are used)
        std::string machine = "pc";  // pc (i440FX) or q35
        std::vector<std::string> extra_args;  // more fluid-qemu.sh options (--no-pit, --monitor ...)
        std::string log_path;  // appended to; empty = no log
        bool snapshot = true;  // false: the guest's writes reach the image file
    };

    explicit QemuSession(Options options);
    ~QemuSession();
    QemuSession(const QemuSession&) = delete;
    QemuSession& operator=(const QemuSession&) = delete;

    // Waits until `needle` appears in the output after the read cursor, then moves
    // the cursor past it. Returns false on timeout or if QEMU exited first.
    bool wait_for(const std::string& needle, std::chrono::seconds timeout);

    void send_line(const std::string& line);  // line + "\r", as a terminal sends Enter
    void send_bytes(const std::string& raw);

    // Sends `line` and returns what the guest printed up to the next "fluid> "
    // prompt (the echo of the line included; "\r" removed), or nullopt on timeout.
    // Call it with the previous prompt already consumed (by wait_for or command):
    // output not yet read when it is called is skipped.
    std::optional<std::string> command(const std::string& line, std::chrono::seconds timeout);

    // Waits for QEMU to exit; returns its exit status, or -1 (after killing the
    // process group) if it did not exit in time or died from a signal.
    int wait_exit(std::chrono::seconds timeout);

    // Kills the process group now (SIGTERM, then SIGKILL).
    void kill();

    bool running() const { return pid_ > 0 && !exited_; }
    const std::string& output() const { return output_; }        // all guest output
    std::string pending() const { return output_.substr(cursor_); }  // after the cursor
    double seconds_since_start() const;
    void log(const std::string& note);  // a "# note" line in the log file

private:
    // Reads whatever is available within `timeout_ms`; false once both pipes are closed.
    bool pump(int timeout_ms);
    void reap(bool block);
    void append_log(const char* prefix, const std::string& data);

    Options options_;
    pid_t pid_ = -1;
    int in_fd_ = -1;   // guest's serial input (QEMU's stdin)
    int out_fd_ = -1;  // guest's serial output (QEMU's stdout)
    int err_fd_ = -1;  // QEMU's stderr
    bool exited_ = false;
    int status_ = -1;
    std::string output_;
    std::string::size_type cursor_ = 0;
    std::FILE* log_ = nullptr;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace fluid::test
