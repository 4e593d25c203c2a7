#include "tests/integration/QemuSession.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace fluid::test {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kPrompt = "fluid> ";

std::string printable(const std::string& bytes)
{
    std::string out;
    for (unsigned char c : bytes) {
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    return out;
}

void close_fd(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

int remaining_ms(Clock::time_point deadline)
{
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

QemuSession::QemuSession(Options options)
    : options_(std::move(options))
    , start_(Clock::now())
{
    // A guest that exits while we write must not kill the test with SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);

    if (!options_.log_path.empty()) {
        log_ = std::fopen(options_.log_path.c_str(), "a");
        if (!log_)
            throw std::runtime_error("cannot open log " + options_.log_path + ": " + std::strerror(errno));
    }

    std::vector<std::string> args = {"/bin/bash", options_.script, "--image", options_.image,
        "--serial", "stdio", "--smp", std::to_string(options_.smp), "--mem",
        std::to_string(options_.mem_mib), "--disk", options_.disk, "--machine", options_.machine, "--verbose"};
    if (options_.snapshot)
        args.push_back("--snapshot");
    if (options_.firmware == Firmware::Uefi)
        args.push_back("--uefi");
    args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    std::string cmdline;
    for (auto& a : args)
        cmdline += a + " ";
    log("start: " + cmdline);

    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
        throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));

    pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0)
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid_ == 0) {
        // Child: own process group (so the whole tree can be killed at once), and
        // SIGKILL if the test process dies. fluid-qemu.sh execs QEMU in this same
        // process, so both settings reach QEMU itself.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(127);
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::setpgid(pid_, pid_);  // also from the parent, so kill(-pid) works at once
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    in_fd_ = in[1];
    out_fd_ = out[0];
    err_fd_ = err[0];
}

QemuSession::~QemuSession()
{
    kill();
    close_fd(in_fd_);
    close_fd(out_fd_);
    close_fd(err_fd_);
    if (log_) {
        log("end");
        std::fclose(log_);
    }
}

double QemuSession::seconds_since_start() const
{
    return std::chrono::duration<double>(Clock::now() - start_).count();
}

void QemuSession::log(const std::string& note)
{
    if (!log_)
        return;
    std::fprintf(log_, "\n# [%8.3f s] %s\n", seconds_since_start(), note.c_str());
    std::fflush(log_);
}

void QemuSession::append_log(const char* prefix, const std::string& data)
{
    if (!log_)
        return;
    if (prefix)
        std::fprintf(log_, "%s", prefix);
    std::fwrite(data.data(), 1, data.size(), log_);
    std::fflush(log_);
}

bool QemuSession::pump(int timeout_ms)
{
    if (out_fd_ < 0 && err_fd_ < 0) {
        reap(true);
        return false;
    }
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    int n = ::poll(fds, 2, timeout_ms);
    if (n < 0 && errno != EINTR)
        throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    char buf[4096];
    for (int i = 0; i < 2 && n > 0; i++) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        int& fd = i == 0 ? out_fd_ : err_fd_;
        ssize_t got = ::read(fd, buf, sizeof buf);
        if (got <= 0) {
            close_fd(fd);
            continue;
        }
        std::string chunk(buf, static_cast<size_t>(got));
        if (i == 0) {
            output_ += chunk;
            append_log(nullptr, chunk);
        } else {
            append_log("\n[qemu stderr] ", chunk);
        }
    }
    reap(false);
    return out_fd_ >= 0 || err_fd_ >= 0;
}

void QemuSession::reap(bool block)
{
    if (pid_ <= 0 || exited_)
        return;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (r != pid_)
        return;
    exited_ = true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (WIFSIGNALED(status))
        log("QEMU killed by signal " + std::to_string(WTERMSIG(status)));
    else
        log("QEMU exited with status " + std::to_string(status_));
    // QEMU may have left children (it does not, but a wrapper might): end the group.
    ::kill(-pid_, SIGKILL);
}

bool QemuSession::wait_for(const std::string& needle, std::chrono::seconds timeout)
{
    auto deadline = Clock::now() + timeout;
    for (;;) {
        auto pos = output_.find(needle, cursor_);
        if (pos != std::string::npos) {
            cursor_ = pos + needle.size();
            return true;
        }
        if (exited_ || (out_fd_ < 0 && err_fd_ < 0)) {
            // Drain what is still in the pipes (briefly), then give up.
            auto drain_until = Clock::now() + std::chrono::seconds(2);
            while (pump(50) && Clock::now() < drain_until) {}
            if (output_.find(needle, cursor_) != std::string::npos)
                continue;
            log("wait_for('" + printable(needle) + "'): QEMU exited first");
            return false;
        }
        int ms = remaining_ms(deadline);
        if (ms == 0) {
            log("wait_for('" + printable(needle) + "'): timed out after " + std::to_string(timeout.count())
                + " s; killing QEMU");
            kill();
            return false;
        }
        pump(ms < 200 ? ms : 200);
    }
}

void QemuSession::send_bytes(const std::string& raw)
{
    log("send: " + printable(raw));
    size_t done = 0;
    while (done < raw.size() && in_fd_ >= 0) {
        ssize_t n = ::write(in_fd_, raw.data() + done, raw.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            log(std::string("send failed: ") + std::strerror(errno));
            return;
        }
        done += static_cast<size_t>(n);
    }
}

void QemuSession::send_line(const std::string& line)
{
    send_bytes(line + "\r");
}

std::optional<std::string> QemuSession::command(const std::string& line, std::chrono::seconds timeout)
{
    // Anything not yet read is stale (the caller has consumed the last prompt).
    pump(0);
    auto start = cursor_ = output_.size();
    send_line(line);
    if (!wait_for(kPrompt, timeout))
        return std::nullopt;
    std::string reply = output_.substr(start, cursor_ - std::strlen(kPrompt) - start);
    std::string clean;
    for (char c : reply)
        if (c != '\r')
            clean += c;
    return clean;
}

int QemuSession::wait_exit(std::chrono::seconds timeout)
{
    auto deadline = Clock::now() + timeout;
    while (!exited_) {
        int ms = remaining_ms(deadline);
        if (ms == 0) {
            log("wait_exit: QEMU still running after " + std::to_string(timeout.count()) + " s; killing it");
            kill();
            return -1;
        }
        if (!pump(ms < 200 ? ms : 200)) {
            // Both pipes closed: QEMU is gone or about to be.
            reap(true);
        }
    }
    return status_;
}

void QemuSession::kill()
{
    if (pid_ <= 0 || exited_)
        return;
    log("killing QEMU's process group");
    ::kill(-pid_, SIGTERM);
    for (int i = 0; i < 50 && !exited_; i++) {
        reap(false);
        if (!exited_)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!exited_) {
        ::kill(-pid_, SIGKILL);
        reap(true);
    }
    status_ = -1;  // killed by us: not an exit status the guest chose
}

}  // namespace fluid::test
