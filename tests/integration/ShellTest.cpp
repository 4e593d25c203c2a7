// The serial shell, over one boot per firmware: every test in this suite talks to
// the same guest (booting under TCG is the slow part), in declaration order.
#include "tests/integration/QemuSession.h"
#include "tests/integration/TestEnvironment.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

namespace fluid::test {
namespace {

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

bool has_line(const std::string& text, const std::string& exact)
{
    for (auto& line : lines_of(text))
        if (line == exact)
            return true;
    return false;
}

bool has_line_starting(const std::string& text, const std::string& prefix)
{
    for (auto& line : lines_of(text))
        if (line.rfind(prefix, 0) == 0)
            return true;
    return false;
}

class ShellTest : public ::testing::TestWithParam<Firmware> {
protected:
    struct Guest {
        std::unique_ptr<QemuSession> session;
        double ready_seconds = -1;
    };

    static std::map<Firmware, Guest>& guests()
    {
        static std::map<Firmware, Guest> map;
        return map;
    }

    static void TearDownTestSuite() { guests().clear(); }  // kills the guests

    void SetUp() override
    {
        auto& guest = guests()[GetParam()];
        if (!guest.session)
            guest.session = boot(GetParam(), "shell", &guest.ready_seconds);
        ready_seconds_ = guest.ready_seconds;
        session_ = guest.session.get();
        ASSERT_GE(ready_seconds_, 0) << "no 'fluid: ready' and prompt within "
                                     << boot_timeout(GetParam()).count() << " s; output:\n"
                                     << session_->output();
        ASSERT_TRUE(session_->running()) << "the guest is gone; output:\n" << session_->output();
    }

    // Runs one command; fails the test if no prompt follows.
    std::string run(const std::string& line)
    {
        auto reply = session_->command(line, command_timeout());
        EXPECT_TRUE(reply.has_value()) << "no prompt after '" << line << "'; output since:\n" << session_->pending();
        return reply.value_or("");
    }

    QemuSession* session_ = nullptr;
    double ready_seconds_ = -1;
};

TEST_P(ShellTest, BootsToReady)
{
    RecordProperty("boot_seconds", std::to_string(ready_seconds_));
    EXPECT_LT(ready_seconds_, boot_timeout(GetParam()).count());
}

TEST_P(ShellTest, EchoPrintsItsArguments)
{
    auto reply = run("echo hello world");
    EXPECT_TRUE(has_line(reply, "hello world")) << reply;
}

TEST_P(ShellTest, VersionNamesFluid)
{
    auto reply = run("version");
    EXPECT_NE(reply.find("Fluid"), std::string::npos) << reply;
}

TEST_P(ShellTest, MemJsonIsConsistent)
{
    auto reply = run("mem --json");
    std::string json;
    for (auto& line : lines_of(reply))
        if (!line.empty() && line.front() == '{')
            json = line;
    ASSERT_FALSE(json.empty()) << "no JSON line in:\n" << reply;
    EXPECT_EQ(json.back(), '}') << json;
    auto field = [&](const char* name) -> long long {
        std::smatch m;
        std::regex re(std::string("\"") + name + "\"\\s*:\\s*([0-9]+)");
        if (!std::regex_search(json, m, re))
            return -1;
        return std::stoll(m[1]);
    };
    long long total = field("total_bytes"), free = field("free_bytes");
    EXPECT_GT(total, 0) << json;
    EXPECT_GE(free, 0) << json;
    EXPECT_LE(free, total) << json;
    EXPECT_GE(field("used_bytes"), 0) << json;
    EXPECT_GE(field("heap_bytes"), 0) << json;
}

TEST_P(ShellTest, UptimeIncreases)
{
    auto uptime = [&]() -> double {
        auto reply = run("uptime");
        std::smatch m;
        if (!std::regex_search(reply, m, std::regex("up ([0-9]+(\\.[0-9]+)?) s")))
            ADD_FAILURE() << "no 'up N.NNN s' in:\n" << reply;
        return m.empty() ? -1 : std::stod(m[1]);
    };
    double first = uptime();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    double second = uptime();
    EXPECT_GT(first, 0);
    EXPECT_GT(second, first);
}

TEST_P(ShellTest, UnknownCommandIsAnError)
{
    auto reply = run("frobnicate --now");
    EXPECT_TRUE(has_line_starting(reply, "error: unknown command")) << reply;
}

TEST_P(ShellTest, OverlongLineIsRejectedAndShellRecovers)
{
    auto reply = run(std::string(300, 'x'));
    EXPECT_TRUE(has_line_starting(reply, "error: line too long")) << reply;
    auto after = run("echo ok");
    EXPECT_TRUE(has_line(after, "ok")) << after;
}

TEST_P(ShellTest, GarbageBytesAreReportedAndShellRecovers)
{
    const std::string garbage("\x00\x01\x1b\xff\xfe\x02\x80\x9b", 8);
    auto reply = run(garbage);
    EXPECT_TRUE(has_line_starting(reply, "error:")) << reply;
    auto after = run("echo ok");
    EXPECT_TRUE(has_line(after, "ok")) << after;
}

// The JIT inside the kernel: the modules on the image were compiled at boot.
TEST_P(ShellTest, ModulesAreListedWithTheirFunctions)
{
    auto reply = run("modules");
    EXPECT_TRUE(has_line_starting(reply, "fib (")) << reply;
    EXPECT_NE(reply.find(": fib"), std::string::npos) << reply;
    EXPECT_TRUE(has_line_starting(reply, "matmul (")) << reply;
}

TEST_P(ShellTest, JitRunsFibAtO0AndO3)
{
    for (const char* level : { "0", "3" }) {
        auto reply = run(std::string("jit run --opt ") + level + " fib fib 30");
        EXPECT_TRUE(has_line(reply, "fib(30) = 832040")) << reply;
        EXPECT_NE(reply.find(std::string("compiled at O") + level), std::string::npos) << reply;
    }
    // Without --opt the call goes through the tiered instance, which starts
    // at O0 (and may already have climbed if the function got hot).
    auto reply = run("jit run fib fib 30");
    EXPECT_TRUE(has_line(reply, "fib(30) = 832040")) << reply;
    EXPECT_NE(reply.find("1 call(s) in"), std::string::npos) << reply;
    EXPECT_NE(reply.find(" at O"), std::string::npos) << reply;
}

// The same computation as modules/matmul.c, done here as the reference.
int64_t matmul_reference(int64_t n, int64_t seed)
{
    uint64_t state = uint64_t(seed);
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return state >> 33;
    };
    std::vector<uint32_t> a(n * n), b(n * n), c(n * n, 0);
    for (auto& v : a)
        v = uint32_t(next() % 2001u) - 1000u;
    for (auto& v : b)
        v = uint32_t(next() % 2001u) - 1000u;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t k = 0; k < n; ++k)
            for (int64_t j = 0; j < n; ++j)
                c[i * n + j] += a[i * n + k] * b[k * n + j];
    uint64_t sum = 0;
    for (int64_t i = 0; i < n * n; ++i)
        sum += uint64_t(c[i]) * uint64_t(i + 1);
    return int64_t(sum & 0x7fffffffffffffffull);
}

TEST_P(ShellTest, JitMatmulMatchesTheHostReference)
{
    for (const char* level : { "0", "3" }) {
        auto reply = run(std::string("jit run --opt ") + level + " matmul matmul 48 7");
        std::string expected = "matmul(48, 7) = " + std::to_string(matmul_reference(48, 7));
        EXPECT_TRUE(has_line(reply, expected)) << "expected '" << expected << "' in:\n" << reply;
    }
}

TEST_P(ShellTest, JitModulesUseTheKernelMathExports)
{
    auto reply = run("jit run --opt 3 vecmath softmax_ppm 257");
    EXPECT_TRUE(has_line(reply, "softmax_ppm(257) = 1000000")) << reply;
    reply = run("jit run vecmath softmax_pair_ok");
    EXPECT_TRUE(has_line(reply, "softmax_pair_ok() = 1")) << reply;
}

// The module store: modules come from /modules on the boot volume and can
// be unloaded and loaded again without a reboot.
TEST_P(ShellTest, ModulesUnloadLoadAndRescan)
{
    auto listed = run("modules --json");
    EXPECT_NE(listed.find("\"module\":\"fib\",\"source\":\"/modules/fib.bc\",\"loaded\":true"), std::string::npos)
        << listed;
    EXPECT_TRUE(has_line(run("unload fib"), "unloaded fib"));
    EXPECT_TRUE(has_line_starting(run("jit run fib fib 10"), "error: no module 'fib'"));
    EXPECT_TRUE(has_line_starting(run("unload fib"), "error: no module 'fib'"));
    auto loaded = run("load /modules/fib.bc");
    EXPECT_NE(loaded.find("jit: module fib (/modules/fib.bc): 1 function(s)"), std::string::npos) << loaded;
    EXPECT_TRUE(has_line(run("jit run fib fib 10"), "fib(10) = 55"));
    EXPECT_TRUE(has_line_starting(run("load /modules/nope.bc"), "error: FAT:"));
    auto rescanned = run("rescan");
    for (const char* name : { "fib", "matmul", "vecmath", "wide" })
        EXPECT_NE(rescanned.find(std::string("jit: module ") + name + " (/modules/"), std::string::npos) << rescanned;
    EXPECT_TRUE(has_line(run("jit run fib fib 12"), "fib(12) = 144"));
}

TEST_P(ShellTest, JitReportsBadRequests)
{
    EXPECT_TRUE(has_line_starting(run("jit run nosuch f 1"), "error: no module 'nosuch'"));
    EXPECT_TRUE(has_line_starting(run("jit run fib nosuch 1"), "error:"));
    EXPECT_TRUE(has_line_starting(run("jit run fib fib abc"), "error: argument 'abc'"));
    EXPECT_TRUE(has_line_starting(run("jit run --opt 9 fib fib 1"), "error: --opt"));
    auto after = run("jit run fib fib 10");
    EXPECT_TRUE(has_line(after, "fib(10) = 55")) << after;
}

TEST_P(ShellTest, JitInfoNamesLlvmAndTheTarget)
{
    auto reply = run("jit info");
    EXPECT_TRUE(has_line_starting(reply, "LLVM 19.")) << reply;
    // QEMU's TCG (these tests never have KVM) offers AVX2 under -cpu max but
    // emulates it slowly, so the kernel targets x86-64-v2 with the AVX family
    // turned off (kernel/jit/KernelJit.cpp): the CPU has it, the JIT says no.
    EXPECT_NE(reply.find("x86-64-v2"), std::string::npos) << reply;
    EXPECT_NE(reply.find("-avx2"), std::string::npos) << reply;
    EXPECT_EQ(reply.find("+avx2"), std::string::npos) << reply;
    EXPECT_NE(reply.find("+sse4.2"), std::string::npos) << reply;
}

TEST_P(ShellTest, AcpiTablesAndCpusFromTheMadt)
{
    auto tables = run("acpi");
    EXPECT_TRUE(has_line_starting(tables, "  APIC ")) << tables;
    EXPECT_TRUE(has_line_starting(tables, "  FACP ")) << tables;
    auto cpus = run("cpus --json");
    EXPECT_NE(cpus.find("{\"index\":0,\"acpi_id\":0,\"apic_id\":0,\"online\":true,"), std::string::npos) << cpus;
    EXPECT_NE(cpus.find("\"interrupt_controller\":\"xAPIC\""), std::string::npos) << cpus;
}

// The boot disk through our own ATA driver, MBR parser and FAT16 code.
TEST_P(ShellTest, DisksFindsTheBootVolume)
{
    auto reply = run("disks");
    EXPECT_TRUE(has_line_starting(reply, "ata0: QEMU HARDDISK")) << reply;
    EXPECT_NE(reply.find("FAT16 partition at LBA 2048 (boot volume)"), std::string::npos) << reply;
}

TEST_P(ShellTest, LsAndCatReadTheBootVolume)
{
    auto root = run("ls /");
    for (const char* dir : { "boot/", "EFI/", "modules/", "models/" })
        EXPECT_NE(root.find(dir), std::string::npos) << root;
    auto modules = run("ls /modules");
    EXPECT_NE(modules.find("fib.bc"), std::string::npos) << modules;
    auto cfg = run("cat /boot/grub/grub.cfg");
    EXPECT_NE(cfg.find("multiboot2 /boot/kernel.elf"), std::string::npos) << cfg;
    auto binary = run("cat /boot/kernel.elf");
    EXPECT_TRUE(has_line_starting(binary, "cat: /boot/kernel.elf is a binary file")) << binary;
    auto missing = run("ls /no/such/dir");
    EXPECT_TRUE(has_line_starting(missing, "error: FAT:")) << missing;
}

TEST_P(ShellTest, DfAgreesWithTheImage)
{
    auto reply = run("df --json");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(reply, m, std::regex("\"total_bytes\":([0-9]+),\"free_bytes\":([0-9]+)"))) << reply;
    long long total = std::stoll(m[1]), free = std::stoll(m[2]);
    // The partition is the 256 MiB image minus the first MiB, less FAT overhead.
    EXPECT_GT(total, 250ll << 20) << reply;
    EXPECT_LT(total, 256ll << 20) << reply;
    EXPECT_LT(free, total - (30ll << 20)) << "the kernel alone is over 30 MiB: " << reply;
}

INSTANTIATE_TEST_SUITE_P(Firmware, ShellTest, ::testing::Values(Firmware::Bios, Firmware::Uefi),
    [](const ::testing::TestParamInfo<Firmware>& info) { return firmware_name(info.param); });

}  // namespace
}  // namespace fluid::test
