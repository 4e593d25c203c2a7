// Tiering in the kernel, on one CPU (the shell compiles between commands)
// and on two (a compiler CPU): a function reaches O1, O2 and O3 once each,
// its results never change, calls are counted exactly, a single long call
// is promoted by its loop back-edges, and swapped-out code is freed.
#include "tests/integration/QemuSession.h"
#include "tests/integration/ShellReplies.h"
#include "tests/integration/TestEnvironment.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <thread>

namespace fluid::test {
namespace {

size_t count_of(const std::string& text, const std::string& needle)
{
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

class TieringTest : public ::testing::TestWithParam<int> {
protected:
    void SetUp() override
    {
        double ready = -1;
        m_session = boot(Firmware::Bios, "tiering-smp" + std::to_string(GetParam()), &ready, GetParam());
        ASSERT_GE(ready, 0) << m_session->output();
    }

    std::string run(const std::string& line)
    {
        auto reply = m_session->command(line, command_timeout());
        EXPECT_TRUE(reply.has_value()) << "no prompt after '" << line << "':\n" << m_session->pending();
        return reply.value_or("");
    }

    std::unique_ptr<QemuSession> m_session;
};

TEST_P(TieringTest, PromotesThroughEveryTierOnceWithTheSameResults)
{
    // The first design's ladder, to see every step.
    ASSERT_NE(run("tier steps O1:100,O2:1000,O3:10000").find("O2 after 1000 calls"), std::string::npos);
    // fib(12) makes 465 calls of fib, each through the patchable entry.
    int runs = 0;
    std::string profile;
    for (; runs < 12; ++runs) {
        auto reply = run("jit run --repeat 40 fib fib 12");
        ASSERT_NE(reply.find("fib(12) = 144"), std::string::npos) << reply;
        profile = run("profile fib --json");
        if (json_value(profile, "tier") == "\"O3\"")
            break;
        std::this_thread::sleep_for(std::chrono::seconds(1)); // let the compiler CPU catch up
    }
    ASSERT_EQ(json_value(profile, "tier"), "\"O3\"") << profile;
    EXPECT_EQ(json_value(profile, "calls"), std::to_string((runs + 1) * 40 * 465)) << "calls are counted exactly";
    EXPECT_EQ(count_of(profile, "{\"tier\":\"O1\""), 1u) << profile;
    EXPECT_EQ(count_of(profile, "{\"tier\":\"O2\""), 1u) << profile;
    EXPECT_EQ(count_of(profile, "{\"tier\":\"O3\""), 1u) << profile;
    auto after = run("jit run --repeat 40 fib fib 20");
    EXPECT_NE(after.find("fib(20) = 6765"), std::string::npos) << after;
    EXPECT_NE(after.find("at O3"), std::string::npos) << after;
}

TEST_P(TieringTest, OneLongCallIsPromotedByItsLoops)
{
    auto first = run("jit run parallel serial_sum 1200000");
    std::string value = jit_result(first);
    ASSERT_FALSE(value.empty()) << first;
    std::string profile;
    for (int i = 0; i < 20; ++i) {
        profile = run("profile parallel --json");
        if (profile.find("\"back_edges\":true") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    EXPECT_NE(profile.find("{\"tier\":\"O1\",\"at_calls\":1,"), std::string::npos) << profile;
    EXPECT_NE(profile.find("\"back_edges\":true"), std::string::npos) << profile;
    auto second = run("jit run parallel serial_sum 1200000");
    EXPECT_EQ(jit_result(second), value) << second;
    EXPECT_NE(second.find("at O1"), std::string::npos) << second;
}

TEST_P(TieringTest, SwappedOutCodeIsFreed)
{
    // Warm up first: the first compile at each level builds that level's
    // code generator (a TargetMachine, kept for later), which is not a leak.
    for (const char* level : { "O1", "O2", "O1", "O2" })
        ASSERT_NE(run(std::string("tier pin fib fib ") + level).find("pinned at"), std::string::npos);
    run("echo settle"); // a quiescent point
    auto before = run("mem --json");
    for (int i = 0; i < 12; ++i) {
        auto reply = run(std::string("tier pin fib fib ") + (i % 2 ? "O1" : "O2"));
        ASSERT_NE(reply.find("pinned at"), std::string::npos) << reply;
        ASSERT_NE(run("jit run fib fib 15").find("fib(15) = 610"), std::string::npos);
    }
    std::string profile;
    for (int i = 0; i < 10; ++i) {
        profile = run("profile fib --json");
        if (json_value(profile, "retired_versions") == "0")
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    EXPECT_EQ(json_value(profile, "retired_versions"), "0") << profile;
    EXPECT_EQ(json_value(profile, "live_versions"), "1") << profile;
    auto after = run("mem --json");
    long free_before = std::stol(json_value(before, "free_bytes"));
    long free_after = std::stol(json_value(after, "free_bytes"));
    EXPECT_GE(free_after, free_before - 64 * 1024) << "12 swaps kept memory:\n" << before << after;
}

// Every core calls one function in a loop (fluid_parallel_for in a
// module) while the compiler CPU swaps it O0 -> O1 -> O2 -> O3: every
// answer equals the serial one computed before any swap.
TEST(TieringAllCores, SwapsWhileFourCoresCallGiveTheSameAnswers)
{
    double ready = -1;
    auto session = boot(Firmware::Bios, "tiering-all-cores", &ready, 4);
    ASSERT_GE(ready, 0) << session->output();
    auto run = [&](const std::string& line) {
        auto reply = session->command(line, command_timeout());
        EXPECT_TRUE(reply.has_value()) << "no prompt after '" << line << "':\n" << session->pending();
        return reply.value_or("");
    };
    ASSERT_NE(run("tier steps O1:100,O2:1000,O3:5000").find("O3 after 5000 calls"), std::string::npos);
    std::string expected = jit_result(run("jit run parallel serial_calls 3000"));
    ASSERT_FALSE(expected.empty());
    std::string profile;
    int rounds = 0;
    for (; rounds < 25; ++rounds) {
        auto reply = run("jit run parallel parallel_calls 3000");
        ASSERT_EQ(jit_result(reply), expected) << "round " << rounds << ":\n" << reply;
        profile = run("profile parallel --json");
        size_t at = profile.find("\"function\":\"tiered_work\"");
        if (at != std::string::npos && json_value(profile.substr(at), "tier") == "\"O3\"")
            break;
    }
    size_t at = profile.find("\"function\":\"tiered_work\"");
    ASSERT_NE(at, std::string::npos) << profile;
    std::string work = profile.substr(at, profile.find("]}", at) - at);
    EXPECT_EQ(json_value(work, "tier"), "\"O3\"") << work;
    EXPECT_EQ(count_of(work, "{\"tier\":\"O1\""), 1u) << work;
    EXPECT_EQ(count_of(work, "{\"tier\":\"O2\""), 1u) << work;
    EXPECT_EQ(count_of(work, "{\"tier\":\"O3\""), 1u) << work;
    // Counted exactly, on four CPUs: 3000 calls per run.
    EXPECT_EQ(json_value(work, "calls"), std::to_string(3000 * (rounds + 2))) << work;
    auto cpus = run("cpus --json");
    EXPECT_EQ(json_value(cpus, "online"), "4") << cpus;
}

// The profile survives a reboot: one boot promotes fib and saves, the next
// starts fib at O3 before its first call. Runs on a copy of the image,
// without --snapshot, and checks the volume with fsck.fat in between.
TEST(ProfilePersistence, NextBootStartsHotFunctionsAtTheirTier)
{
    std::string image = std::string(FLUID_TEST_SCRATCH_DIR) + "/profile.img";
    ASSERT_EQ(std::system(("cp --sparse=always '" + image_path() + "' '" + image + "'").c_str()), 0);
    auto start = [&](const char* name) {
        QemuSession::Options options;
        options.script = qemu_script();
        options.image = image;
        options.snapshot = false;
        options.log_path = log_path(name, Firmware::Bios);
        auto session = std::make_unique<QemuSession>(options);
        EXPECT_TRUE(session->wait_for("fluid: ready", boot_timeout(Firmware::Bios))) << session->output();
        EXPECT_TRUE(session->wait_for("fluid> ", command_timeout())) << session->output();
        return session;
    };
    {
        auto first = start("profile-first");
        std::string profile;
        for (int i = 0; i < 12 && json_value(profile, "tier") != "\"O3\""; ++i) {
            ASSERT_TRUE(first->command("jit run --repeat 40 fib fib 12", command_timeout()).has_value());
            profile = first->command("profile fib --json", command_timeout()).value_or("");
        }
        ASSERT_EQ(json_value(profile, "tier"), "\"O3\"") << profile;
        auto saved = first->command("profile save", command_timeout()).value_or("");
        EXPECT_NE(saved.find("profile saved to /profile/profile.json: 1 function(s)"), std::string::npos) << saved;
        auto text = first->command("cat /profile/profile.json", command_timeout()).value_or("");
        EXPECT_NE(text.find("\"function\": \"fib\""), std::string::npos) << text;
        first->send_line("poweroff");
        EXPECT_EQ(first->wait_exit(command_timeout()), 0) << first->output();
    }
    EXPECT_EQ(std::system(("'" + std::string(FLUID_SOURCE_DIR) + "/tools/mkimage.sh' --check '" + image + "'").c_str()), 0)
        << "fsck.fat -n finds the volume unclean after the save";
    auto second = start("profile-second");
    EXPECT_NE(second->output().find("jit: profile: fib.fib starts at O3"), std::string::npos) << second->output();
    auto profile = second->command("profile fib --json", command_timeout()).value_or("");
    EXPECT_EQ(json_value(profile, "tier"), "\"O3\"") << profile;
    EXPECT_EQ(json_value(profile, "calls"), "0") << profile;
    auto run = second->command("jit run fib fib 20", command_timeout()).value_or("");
    EXPECT_NE(run.find("fib(20) = 6765"), std::string::npos) << run;
    EXPECT_NE(run.find("at O3"), std::string::npos) << run;
    second->kill();
    std::remove(image.c_str());
}

INSTANTIATE_TEST_SUITE_P(Cpus, TieringTest, ::testing::Values(1, 2),
                         [](const auto& info) { return "smp" + std::to_string(info.param); });

} // namespace
} // namespace fluid::test
