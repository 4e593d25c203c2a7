#include "tests/integration/QemuMonitor.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

namespace fluid::test {

namespace {
using Clock = std::chrono::steady_clock;
constexpr const char* kMonitorPrompt = "(qemu) ";
}  // namespace

std::optional<QemuMonitor> QemuMonitor::connect(const std::string& path, std::chrono::seconds timeout)
{
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof(address.sun_path))
        return std::nullopt;
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return std::nullopt;
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
            QemuMonitor monitor(fd);
            if (!monitor.read_to_prompt(timeout))
                return std::nullopt;
            return monitor;
        }
        ::close(fd);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return std::nullopt;
}

QemuMonitor::~QemuMonitor()
{
    if (fd_ >= 0)
        ::close(fd_);
}

std::optional<std::string> QemuMonitor::read_to_prompt(std::chrono::seconds timeout)
{
    std::string text;
    auto deadline = Clock::now() + timeout;
    while (text.find(kMonitorPrompt) == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return std::nullopt;
        pollfd fds { fd_, POLLIN, 0 };
        if (::poll(&fds, 1, static_cast<int>(left)) <= 0)
            continue;
        char buffer[1024];
        ssize_t got = ::read(fd_, buffer, sizeof(buffer));
        if (got <= 0)
            return std::nullopt;
        text.append(buffer, static_cast<size_t>(got));
    }
    return text;
}

std::optional<std::string> QemuMonitor::command(const std::string& line, std::chrono::seconds timeout)
{
    std::string data = line + "\n";
    if (::write(fd_, data.data(), data.size()) != static_cast<ssize_t>(data.size()))
        return std::nullopt;
    return read_to_prompt(timeout);
}

std::optional<PpmImage> read_ppm(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string magic;
    unsigned maxval = 0;
    PpmImage image;
    if (!(in >> magic >> image.width >> image.height >> maxval) || magic != "P6" || maxval != 255)
        return std::nullopt;
    in.get();  // the one whitespace byte before the pixels
    image.rgb.resize(size_t(image.width) * image.height * 3);
    if (!in.read(reinterpret_cast<char*>(image.rgb.data()), static_cast<std::streamsize>(image.rgb.size())))
        return std::nullopt;
    return image;
}

}  // namespace fluid::test
