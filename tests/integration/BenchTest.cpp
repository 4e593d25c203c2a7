// The benchmark suite in the kernel (`bench`), on an image that also holds
// the deliberately wrong workload bench_wrong.bc (the integration.image_bench
// fixture): every workload of the suite passes its self-check at JIT-O0,
// JIT-O3 and AOT, and the wrong one is reported as failing, untimed. The
// workloads asked for first also run through tiering until run() is at O3
// (swapped_after_calls, tiered_o3_ns); the whole suite skips that
// (--tier-seconds 0) to keep the test short.
#include "tests/integration/QemuSession.h"
#include "tests/integration/TestEnvironment.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fluid::test {
namespace {

const char* const suite[] = { "fibonacci", "sum",       "compute", "primes",   "fft_1d",    "sha256",
                              "matrix_mul", "quicksort", "strops",  "regex_dfa", "gemm_tile", "physics_step" };

// The JSON line of workload `name`, or "".
std::string workload_line(const std::string& output, const std::string& name)
{
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("{\"name\":\"" + name + "\",", 0) == 0)
            return line;
    return "";
}

void expect_passed_at_every_tier(const std::string& output, const std::string& name, bool tiered)
{
    std::string line = workload_line(output, name);
    ASSERT_FALSE(line.empty()) << name << " missing in:\n" << output;
    EXPECT_NE(line.find("\"check\":\"pass\",\"checks\":{\"o0\":\"pass\",\"o3\":\"pass\",\"aot\":\"pass\"}"),
              std::string::npos) << line;
    EXPECT_TRUE(std::regex_search(line, std::regex("\"o0_ns\":[1-9][0-9]*,\"o3_ns\":[1-9][0-9]*,\"aot_ns\":[1-9][0-9]*")))
        << line;
    EXPECT_TRUE(std::regex_search(line, std::regex("\"compile_ms\":\\{\"o0\":[0-9]+\\.[0-9]+,\"o3\":[0-9]+\\.[0-9]+\\}")))
        << line;
    if (tiered)
        EXPECT_TRUE(std::regex_search(
            line, std::regex("\"swapped_after_calls\":[1-9][0-9]*,\"tiered_check\":\"pass\",\"tiered_o3_ns\":[1-9][0-9]*,")))
            << line;
    else
        EXPECT_NE(line.find("\"swapped_after_calls\":null,\"tiered_check\":\"none\",\"tiered_o3_ns\":null"),
                  std::string::npos) << line;
    EXPECT_NE(line.find("\"error\":null"), std::string::npos) << line;
}

TEST(Bench, SuitePassesAtEveryTierAndTheWrongModuleFails)
{
    double ready = -1;
    auto session = boot(Firmware::Bios, "bench", &ready);
    ASSERT_GE(ready, 0) << session->output();
    EXPECT_NE(session->output().find("jit: module bench_wrong (/modules/bench_wrong.bc):"), std::string::npos)
        << session->output();
    auto long_timeout = command_timeout() * 10;

    // A couple of workloads, the way the acceptance test names them.
    auto some = session->command("bench --json --iterations 3 sha256 fft_1d", long_timeout);
    ASSERT_TRUE(some.has_value()) << session->pending();
    expect_passed_at_every_tier(*some, "sha256", true);
    expect_passed_at_every_tier(*some, "fft_1d", true);
    EXPECT_NE(some->find("{\"summary\":\"bench\",\"workloads\":2,\"passed\":2,\"failed\":0,\"check\":\"pass\"}"),
              std::string::npos) << *some;
    EXPECT_EQ(workload_line(*some, "sum"), "") << "not asked for";

    // The wrong module: a failed check, no times.
    auto wrong = session->command("bench --json --iterations 3 wrong", long_timeout);
    ASSERT_TRUE(wrong.has_value()) << session->pending();
    std::string line = workload_line(*wrong, "wrong");
    ASSERT_FALSE(line.empty()) << *wrong;
    EXPECT_NE(line.find("\"check\":\"fail\",\"checks\":{\"o0\":\"fail\",\"o3\":\"fail\",\"aot\":\"none\"}"),
              std::string::npos) << line;
    EXPECT_NE(line.find("\"o0_ns\":null,\"o3_ns\":null,\"aot_ns\":null"), std::string::npos) << line;
    EXPECT_NE(line.find("self-check returned 0"), std::string::npos) << line;
    EXPECT_NE(line.find("\"swapped_after_calls\":null,\"tiered_check\":\"fail\",\"tiered_o3_ns\":null"),
              std::string::npos) << line;
    EXPECT_NE(wrong->find("\"passed\":0,\"failed\":1,\"check\":\"fail\""), std::string::npos) << *wrong;

    // The whole suite, one timed call per tier: twelve passes, one failure.
    auto all = session->command("bench --json --iterations 1 --tier-seconds 0", long_timeout);
    ASSERT_TRUE(all.has_value()) << session->pending();
    for (const char* name : suite)
        expect_passed_at_every_tier(*all, name, false);
    EXPECT_NE(workload_line(*all, "wrong").find("\"check\":\"fail\""), std::string::npos) << *all;
    EXPECT_NE(all->find("{\"summary\":\"bench\",\"workloads\":13,\"passed\":12,\"failed\":1,\"check\":\"fail\"}"),
              std::string::npos) << *all;

    // The table, and errors.
    auto table = session->command("bench --iterations 1 --tier-seconds 0 fibonacci", long_timeout);
    ASSERT_TRUE(table.has_value()) << session->pending();
    EXPECT_TRUE(std::regex_search(*table, std::regex("\nfibonacci +pass +24 "))) << *table;
    EXPECT_NE(table->find("1 workload(s): 1 passed, 0 failed"), std::string::npos) << *table;
    auto missing = session->command("bench nosuch", command_timeout());
    ASSERT_TRUE(missing.has_value()) << session->pending();
    EXPECT_NE(missing->find("error: no workload 'nosuch'"), std::string::npos) << *missing;
    auto bad = session->command("bench --iterations 0", command_timeout());
    ASSERT_TRUE(bad.has_value()) << session->pending();
    EXPECT_NE(bad->find("error: --iterations needs a positive number"), std::string::npos) << *bad;
}

} // namespace
} // namespace fluid::test
