// The suite's output formats and argument parsing (kernel/bench/).
#include "kernel/bench/BenchArguments.h"
#include "kernel/bench/BenchReport.h"
#include "kernel/bench/Workload.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace fluid::bench {
namespace {

TEST(BenchReport, FixedPointRoundsAndCarries)
{
    EXPECT_EQ(format_fixed(1234567, 1000000, 3), "1.235");
    EXPECT_EQ(format_fixed(999, 1000, 2), "1.00");
    EXPECT_EQ(format_fixed(5, 1000, 3), "0.005");
    EXPECT_EQ(format_fixed(7, 2, 0), "4"); // half rounds up
    EXPECT_EQ(format_fixed(1, 0, 3), "0");
}

TEST(BenchReport, JsonStringsAreEscaped)
{
    EXPECT_EQ(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
}

WorkloadResult passing_result()
{
    WorkloadResult r;
    r.name = "sha256";
    r.n = 4;
    r.iterations = 3;
    for (TierResult* tier : { &r.o0, &r.o3, &r.aot }) {
        tier->present = tier->check_passed = tier->timed = true;
        tier->checksum = 77;
    }
    r.o0.median_ns = 3000;
    r.o3.median_ns = 1000;
    r.aot.median_ns = 800;
    r.o0.compile_ns = 1'500'000;
    r.o3.compile_ns = 12'345'678;
    return r;
}

TEST(BenchReport, JsonLineHasEveryField)
{
    WorkloadResult r = passing_result();
    std::string json = format_json(r);
    EXPECT_EQ(json,
              "{\"name\":\"sha256\",\"check\":\"pass\",\"checks\":{\"o0\":\"pass\",\"o3\":\"pass\",\"aot\":\"pass\"},"
              "\"n\":4,\"iterations\":3,\"o0_ns\":3000,\"o3_ns\":1000,\"aot_ns\":800,"
              "\"compile_ms\":{\"o0\":1.500,\"o3\":12.346},\"o0_over_o3\":3.000,\"o3_over_aot\":1.250,"
              "\"swapped_after_calls\":null,\"tiered_check\":\"none\",\"tiered_o3_ns\":null,\"tiered_calls\":0,"
              "\"swapped_by\":null,\"tier_compile_ms\":{\"o0\":null,\"o1\":null,\"o2\":null,\"o3\":null},"
              "\"checksum\":77,\"error\":null}\n");
    r.swapped_after_calls = 17;
    r.swapped_by_back_edges = true;
    r.tiered_calls = 20;
    r.tiered.present = r.tiered.check_passed = r.tiered.timed = true;
    r.tiered.median_ns = 990;
    r.tier_compile_ns[1] = 2'000'000;
    r.tier_compile_ns[3] = 7'250'000;
    EXPECT_NE(format_json(r).find("\"swapped_after_calls\":17,\"tiered_check\":\"pass\",\"tiered_o3_ns\":990,"
                                  "\"tiered_calls\":20,\"swapped_by\":\"back_edges\",\"tier_compile_ms\":"
                                  "{\"o0\":null,\"o1\":2.000,\"o2\":null,\"o3\":7.250}"),
              std::string::npos) << format_json(r);
    // A tiered way that failed its check fails the workload.
    r.tiered.check_passed = false;
    EXPECT_FALSE(r.passed());
}

TEST(BenchReport, FailedCheckHidesTimesAndNamesTheTier)
{
    WorkloadResult r = passing_result();
    r.o3.check_passed = false;
    r.o3.timed = false;
    r.o3.error = "self-check returned 0";
    std::string json = format_json(r);
    EXPECT_NE(json.find("\"check\":\"fail\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"o3\":\"fail\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"o3_ns\":null"), std::string::npos) << json;
    EXPECT_NE(json.find("\"o3_over_aot\":null"), std::string::npos) << json;
    EXPECT_NE(json.find("\"error\":\"O3: self-check returned 0\""), std::string::npos) << json;
    std::string row = format_table_row(r);
    EXPECT_NE(row.find("FAIL"), std::string::npos) << row;
    EXPECT_NE(row.find("sha256: O3: self-check returned 0"), std::string::npos) << row;
}

TEST(BenchReport, SummaryCountsPassesAndFailures)
{
    WorkloadResult results[] = { passing_result(), passing_result() };
    results[1].error = "checksums differ";
    EXPECT_EQ(format_json_summary(results),
              "{\"summary\":\"bench\",\"workloads\":2,\"passed\":1,\"failed\":1,\"check\":\"fail\"}\n");
    EXPECT_NE(format_table_summary(results).find("2 workload(s): 1 passed, 1 failed"), std::string::npos);
}

ErrorOr<BenchArguments> parse(std::vector<std::string_view> words)
{
    return parse_bench_arguments(words);
}

TEST(BenchArguments, NamesIterationsAndJson)
{
    auto parsed = parse({ "sha256", "--iterations", "3", "bench_fft_1d", "--json", "--n", "9" });
    ASSERT_FALSE(parsed.is_error()) << parsed.error().message();
    EXPECT_EQ(parsed->names, (std::vector<std::string> { "sha256", "bench_fft_1d" }));
    EXPECT_EQ(parsed->iterations, 3u);
    EXPECT_EQ(parsed->n, 9);
    EXPECT_TRUE(parsed->json);
    EXPECT_TRUE(parsed->selects("sha256"));
    EXPECT_TRUE(parsed->selects("fft_1d"));
    EXPECT_FALSE(parsed->selects("sum"));
    auto all = parse({});
    ASSERT_FALSE(all.is_error());
    EXPECT_TRUE(all->selects("anything"));
    EXPECT_EQ(all->iterations, 5u);
    EXPECT_FALSE(all->json);
    EXPECT_EQ(all->tier_seconds, 20u);
    auto off = parse({ "--tier-seconds", "0" });
    ASSERT_FALSE(off.is_error()) << off.error().message();
    EXPECT_EQ(off->tier_seconds, 0u);
    auto some = parse({ "--tier-seconds", "7" });
    ASSERT_FALSE(some.is_error()) << some.error().message();
    EXPECT_EQ(some->tier_seconds, 7u);
}

TEST(BenchArguments, BadInputIsAnError)
{
    EXPECT_TRUE(parse({ "--iterations" }).is_error());
    EXPECT_TRUE(parse({ "--iterations", "0" }).is_error());
    EXPECT_TRUE(parse({ "--iterations", "x3" }).is_error());
    EXPECT_TRUE(parse({ "--n", "-4" }).is_error());
    EXPECT_TRUE(parse({ "--tier-seconds" }).is_error());
    EXPECT_TRUE(parse({ "--tier-seconds", "3601" }).is_error());
    auto unknown = parse({ "--fast" });
    ASSERT_TRUE(unknown.is_error());
    EXPECT_NE(std::string(unknown.error().message()).find("--fast"), std::string::npos);
}

TEST(BenchWorkload, NamesComeFromModuleNames)
{
    EXPECT_EQ(workload_name_from_module("bench_sha256"), "sha256");
    EXPECT_EQ(workload_name_from_module("/modules/bench_fft_1d.bc"), "fft_1d");
    EXPECT_EQ(workload_name_from_module("fib.bc"), "");
    EXPECT_EQ(workload_name_from_module("bench_"), "");
}

} // namespace
} // namespace fluid::bench
