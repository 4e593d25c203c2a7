// A client for the QEMU human monitor on a UNIX socket (fluid-qemu.sh
// --monitor unix:PATH), for what the serial console cannot show, e.g.
// `screendump` of the framebuffer. Every wait has a timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fluid::test {

class QemuMonitor {
public:
    // Connects (retrying while QEMU creates the socket) and reads the banner.
    static std::optional<QemuMonitor> connect(const std::string& path, std::chrono::seconds timeout);
    QemuMonitor(QemuMonitor&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    QemuMonitor(const QemuMonitor&) = delete;
    ~QemuMonitor();

    // Sends one command; returns what QEMU printed up to its next prompt.
    std::optional<std::string> command(const std::string& line, std::chrono::seconds timeout);

private:
    explicit QemuMonitor(int fd) : fd_(fd) { }
    std::optional<std::string> read_to_prompt(std::chrono::seconds timeout);
    int fd_ = -1;
};

// A binary PPM (P6, maxval 255), as QEMU's screendump writes it.
struct PpmImage {
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> rgb;  // width * height * 3
};
std::optional<PpmImage> read_ppm(const std::string& path);

}  // namespace fluid::test
