// The benchmark suite through its runner on the host: every workload's
// self-check passes at O0, O3 and AOT with the same checksum, and a wrong
// module (the bench_wrong fixture) is reported as failing, untimed; through
// a TierManager, a workload climbs to O3 and is timed there.
#include "kernel/bench/BenchReport.h"
#include "kernel/bench/BenchRunner.h"
#include "kernel/bench/ModuleApiFromExports.h"
#include "jit/TierManager.h"
#include "tests/unit/jit/JitTestSupport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>

namespace fluid::bench {
namespace {

uint64_t steady_ns()
{
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

std::vector<uint8_t> read_path(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    EXPECT_TRUE(file.good()) << "cannot open " << path;
    return { std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>() };
}

class BenchSuite : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override
    {
        m_engine = jit::test::make_engine();
        ASSERT_NE(m_engine, nullptr);
        bench_aot_bind(module_api_from_exports(m_engine->exports()));
    }
    std::unique_ptr<jit::Engine> m_engine;
};

TEST_P(BenchSuite, ChecksPassAndChecksumsAgreeAtEveryTier)
{
    const std::string& name = GetParam();
    std::vector<uint8_t> bitcode = jit::test::read_module(("bench_" + name).c_str());
    ASSERT_FALSE(bitcode.empty());
    Workload workload { name, bitcode, bench_aot_lookup(name) };
    ASSERT_NE(workload.aot, nullptr);
    BenchRunner runner(*m_engine, steady_ns, { 2, 0 });
    WorkloadResult result = runner.run(workload);

    EXPECT_TRUE(result.passed()) << format_json(result);
    for (const TierResult* tier : { &result.o0, &result.o3, &result.aot }) {
        EXPECT_TRUE(tier->present);
        EXPECT_TRUE(tier->check_passed) << tier->error;
        EXPECT_TRUE(tier->timed) << tier->error;
        EXPECT_GT(tier->median_ns, 0u);
    }
    EXPECT_EQ(result.o3.checksum, result.o0.checksum);
    EXPECT_EQ(result.aot.checksum, result.o0.checksum);
    EXPECT_GT(result.o0.compile_ns, 0u);
    EXPECT_GT(result.o3.compile_ns, 0u);
    EXPECT_EQ(result.n, workload.aot->default_n());
    EXPECT_FALSE(result.swapped_after_calls.has_value());
    std::string json = format_json(result);
    EXPECT_NE(json.find("\"name\":\"" + name + "\",\"check\":\"pass\""), std::string::npos) << json;
    // The engine has no instances left: each tier's was unloaded.
    EXPECT_TRUE(m_engine->modules().empty());
}

std::vector<std::string> suite_names()
{
    std::vector<std::string> names;
    for (const AotWorkload& workload : bench_aot_workloads())
        names.emplace_back(workload.name);
    return names;
}

INSTANTIATE_TEST_SUITE_P(Workloads, BenchSuite, ::testing::ValuesIn(suite_names()),
                         [](const auto& info) { return info.param; });

TEST(BenchSuiteFailures, WrongModuleIsReportedAsFailingAndNotTimed)
{
    auto engine = jit::test::make_engine();
    ASSERT_NE(engine, nullptr);
    std::vector<uint8_t> bitcode = read_path(FLUID_BENCH_WRONG_MODULE);
    ASSERT_FALSE(bitcode.empty());
    Workload workload { workload_name_from_module(FLUID_BENCH_WRONG_MODULE), bitcode, nullptr };
    ASSERT_EQ(workload.name, "wrong");
    WorkloadResult result = BenchRunner(*engine, steady_ns, { 3, 0 }).run(workload);

    EXPECT_FALSE(result.passed());
    EXPECT_FALSE(result.o0.check_passed);
    EXPECT_FALSE(result.o3.check_passed);
    EXPECT_FALSE(result.o0.timed);
    EXPECT_FALSE(result.o3.timed);
    EXPECT_FALSE(result.aot.present);
    std::string json = format_json(result);
    EXPECT_NE(json.find("\"check\":\"fail\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"o0_ns\":null,\"o3_ns\":null,\"aot_ns\":null"), std::string::npos) << json;
    EXPECT_NE(json.find("self-check returned 0"), std::string::npos) << json;
    WorkloadResult results[] = { result };
    EXPECT_NE(format_json_summary(results).find("\"passed\":0,\"failed\":1"), std::string::npos);
}

// The JIT's sha256 against another workload's AOT code: both checks pass,
// but the checksums differ, and that must fail the workload.
TEST(BenchSuiteFailures, ChecksumMismatchBetweenTiersFails)
{
    auto engine = jit::test::make_engine();
    ASSERT_NE(engine, nullptr);
    bench_aot_bind(module_api_from_exports(engine->exports()));
    std::vector<uint8_t> bitcode = jit::test::read_module("bench_sha256");
    Workload workload { "sha256", bitcode, bench_aot_lookup("sum") };
    ASSERT_NE(workload.aot, nullptr);
    WorkloadResult result = BenchRunner(*engine, steady_ns, { 1, 2 }).run(workload);
    EXPECT_TRUE(result.o0.check_passed);
    EXPECT_TRUE(result.aot.check_passed);
    EXPECT_FALSE(result.passed());
    EXPECT_NE(result.error.find("checksums differ"), std::string::npos) << result.error;
}

TEST(BenchSuiteFailures, ModuleWithoutTheEntryPointsIsAnError)
{
    auto engine = jit::test::make_engine();
    ASSERT_NE(engine, nullptr);
    std::vector<uint8_t> bitcode = jit::test::read_module("fib");
    Workload workload { "fib", bitcode, nullptr };
    WorkloadResult result = BenchRunner(*engine, steady_ns, { 1, 0 }).run(workload);
    EXPECT_FALSE(result.passed());
    EXPECT_NE(result.o0.error.find("does not export int64_t bench_fib_run"), std::string::npos) << result.o0.error;
}

// The tiered way: the workload's tier-0 instance is called until tiering
// swapped run() to O3 (compiled between calls, as on one CPU), then timed.
class BenchTiered : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override
    {
        m_engine = jit::test::make_engine();
        ASSERT_NE(m_engine, nullptr);
        bench_aot_bind(module_api_from_exports(m_engine->exports()));
        m_tiers = std::make_unique<jit::TierManager>(*m_engine, jit::TierManager::Platform { steady_ns, nullptr });
        jit::test::hot_target().store(m_tiers.get());
    }
    void TearDown() override { jit::test::hot_target().store(nullptr); }

    WorkloadResult run(const std::string& name)
    {
        m_bitcode = jit::test::read_module(("bench_" + name).c_str());
        auto handle = m_tiers->load("bench_" + name, m_bitcode);
        EXPECT_FALSE(handle.is_error()) << handle.error().message();
        Workload workload { name, m_bitcode, bench_aot_lookup(name), handle.is_error() ? jit::ModuleHandle {} : *handle };
        BenchRunner runner(*m_engine, steady_ns, { 2, 0 });
        runner.set_tiering({ m_tiers.get(), [this] {
                                while (m_tiers->has_work())
                                    ASSERT_FALSE(m_tiers->compile_one().is_error());
                            } });
        return runner.run(workload);
    }

    std::unique_ptr<jit::Engine> m_engine;
    std::unique_ptr<jit::TierManager> m_tiers;
    std::vector<uint8_t> m_bitcode;
};

TEST_P(BenchTiered, ClimbsToO3AndIsTimedThere)
{
    const std::string& name = GetParam();
    WorkloadResult result = run(name);
    std::string json = format_json(result);
    EXPECT_TRUE(result.passed()) << json;
    ASSERT_TRUE(result.swapped_after_calls.has_value()) << json;
    EXPECT_EQ(m_tiers->tier_of("bench_" + name, "bench_" + name + "_run"), jit::OptLevel::O3);
    EXPECT_TRUE(result.tiered.timed) << json;
    EXPECT_GT(result.tiered.median_ns, 0u);
    EXPECT_EQ(result.tiered.checksum, result.o0.checksum);
    EXPECT_GT(result.tier_compile_ns[3], 0u);
    // Promoted by calls only after the policy's 10000th; by loop
    // back-edges within the calls the runner made.
    if (result.swapped_by_back_edges)
        EXPECT_LE(*result.swapped_after_calls, result.tiered_calls);
    else
        EXPECT_GE(*result.swapped_after_calls, 10000u);
    EXPECT_NE(json.find("\"swapped_after_calls\":" + std::to_string(*result.swapped_after_calls) + ","),
              std::string::npos) << json;
    EXPECT_NE(json.find("\"tiered_check\":\"pass\",\"tiered_o3_ns\":" + std::to_string(result.tiered.median_ns)),
              std::string::npos) << json;
}

INSTANTIATE_TEST_SUITE_P(Some, BenchTiered, ::testing::Values("sum", "fibonacci", "sha256"),
                         [](const auto& info) { return info.param; });

class BenchTieringOff : public BenchTiered {};

TEST_F(BenchTieringOff, ItIsUntimedButNotFailed)
{
    jit::TierPolicy policy = m_tiers->policy();
    policy.enabled = false;
    m_tiers->set_policy(policy);
    WorkloadResult result = run("sum");
    EXPECT_TRUE(result.passed()) << format_json(result);
    EXPECT_TRUE(result.tiered.present);
    EXPECT_TRUE(result.tiered.check_passed);
    EXPECT_FALSE(result.tiered.timed);
    EXPECT_FALSE(result.swapped_after_calls.has_value());
    EXPECT_NE(format_json(result).find("\"tiered_o3_ns\":null"), std::string::npos);
}

// A function pinned below O3 never gets there: the runner must not wait
// out its time limit for it.
TEST_F(BenchTieringOff, APinnedFunctionIsNotWaitedFor)
{
    m_bitcode = jit::test::read_module("bench_sum");
    auto handle = m_tiers->load("bench_sum", m_bitcode);
    ASSERT_FALSE(handle.is_error()) << handle.error().message();
    ASSERT_FALSE(m_tiers->pin("bench_sum", "bench_sum_run", jit::OptLevel::O1).is_error());
    Workload workload { "sum", m_bitcode, bench_aot_lookup("sum"), *handle };
    BenchRunner runner(*m_engine, steady_ns, { 1, 0 });
    runner.set_tiering({ m_tiers.get(), {}, 60'000'000'000ull });
    auto start = std::chrono::steady_clock::now();
    WorkloadResult result = runner.run(workload);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
    EXPECT_TRUE(result.passed()) << format_json(result);
    EXPECT_FALSE(result.tiered.timed);
    EXPECT_EQ(result.tiered_calls, 0u);
    EXPECT_FALSE(result.swapped_after_calls.has_value());
}

TEST(BenchAot, RegistryHoldsTheTwelveWorkloadsInOrder)
{
    const char* expected[] = { "fibonacci", "sum",       "compute", "primes",   "fft_1d",    "sha256",
                               "matrix_mul", "quicksort", "strops",  "regex_dfa", "gemm_tile", "physics_step" };
    auto workloads = bench_aot_workloads();
    ASSERT_EQ(workloads.size(), std::size(expected));
    for (size_t i = 0; i < workloads.size(); ++i)
        EXPECT_STREQ(workloads[i].name, expected[i]);
    EXPECT_EQ(bench_aot_lookup("bench_sha256"), bench_aot_lookup("sha256"));
    EXPECT_EQ(bench_aot_lookup("nope"), nullptr);
    EXPECT_EQ(bench_aot_lookup("bench_"), nullptr);
}

} // namespace
} // namespace fluid::bench
