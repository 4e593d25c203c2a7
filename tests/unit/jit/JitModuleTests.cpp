// The workload modules compute what the same C++ computes, at O0 and O3,
// including code that needs helpers the source never names (128-bit
// division, large struct copies).
#include "jit/Engine.h"
#include "tests/unit/jit/JitTestSupport.h"

#include <gtest/gtest.h>

namespace fluid::jit {
namespace {

// The C++ twin of modules/matmul.c.
int64_t matmul_reference(int64_t n, int64_t seed)
{
    uint64_t state = static_cast<uint64_t>(seed);
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return state >> 33;
    };
    std::vector<uint32_t> a(n * n), b(n * n), c(n * n, 0);
    for (auto& value : a)
        value = static_cast<uint32_t>(next() % 2001u) - 1000u;
    for (auto& value : b)
        value = static_cast<uint32_t>(next() % 2001u) - 1000u;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t k = 0; k < n; ++k)
            for (int64_t j = 0; j < n; ++j)
                c[i * n + j] += a[i * n + k] * b[k * n + j];
    uint64_t sum = 0;
    for (int64_t i = 0; i < n * n; ++i)
        sum += static_cast<uint64_t>(c[i]) * static_cast<uint64_t>(i + 1);
    return static_cast<int64_t>(sum & 0x7fffffffffffffffull);
}

class JitModules : public testing::TestWithParam<OptLevel> {
protected:
    void SetUp() override
    {
        m_engine = test::make_engine();
        ASSERT_TRUE(m_engine);
    }

    ModuleHandle load(const char* name)
    {
        auto handle = m_engine->load_module(name, test::read_module(name), GetParam());
        EXPECT_FALSE(handle.is_error()) << handle.error().message();
        return handle.is_error() ? ModuleHandle {} : *handle;
    }

    int64_t call(ModuleHandle handle, const char* function, std::vector<int64_t> args)
    {
        auto result = m_engine->call(handle, function, args);
        EXPECT_FALSE(result.is_error()) << result.error().message();
        return result.is_error() ? INT64_MIN : *result;
    }

    std::unique_ptr<Engine> m_engine;
};

TEST_P(JitModules, MatmulMatchesReference)
{
    ModuleHandle matmul = load("matmul");
    // Odd sizes exercise the vector loops' remainders.
    for (int64_t n : { 1, 7, 37, 64 })
        EXPECT_EQ(call(matmul, "matmul", { n, 12345 }), matmul_reference(n, 12345)) << "n = " << n;
    EXPECT_EQ(call(matmul, "matmul", { 0, 1 }), -1);
}

TEST_P(JitModules, FloatMathGoesThroughTheMathExports)
{
    ModuleHandle vecmath = load("vecmath");
    EXPECT_EQ(call(vecmath, "softmax_pair_ok", {}), 1);
    for (int64_t n : { 1, 2, 17, 1000 })
        EXPECT_EQ(call(vecmath, "softmax_ppm", { n }), 1000000) << "n = " << n;
    EXPECT_EQ(call(vecmath, "softmax_ppm", { 0 }), -1);
}

TEST_P(JitModules, Int128DivisionUsesExportedBuiltins)
{
    ModuleHandle wide = load("wide");
    test::observed().divti3_calls = 0;
    const int64_t a = 4'000'000'000'000, b = 5'000'000'000, c = 7'000'000'007;
    __int128 product = static_cast<__int128>(a) * b;
    EXPECT_EQ(call(wide, "wide_muldiv", { a, b, c }), static_cast<int64_t>(product / c));
    EXPECT_EQ(call(wide, "wide_mulmod", { a, b, c }), static_cast<int64_t>(product % c));
    EXPECT_EQ(call(wide, "wide_muldiv", { -a, b, c }), static_cast<int64_t>(-product / c));

    unsigned __int128 value = (static_cast<unsigned __int128>(0x1234) << 64) | 0x9abcdef012345678ull;
    unsigned __int128 expected = (value / 1'000'003u) ^ (value % 1'000'003u);
    EXPECT_EQ(call(wide, "wide_udiv", { 0x1234, static_cast<int64_t>(0x9abcdef012345678ull), 1'000'003 }),
              static_cast<int64_t>(expected & 0x7fffffffffffffffull));
    // The signed division went through the export table's __divti3 (a
    // counting wrapper here), not some private copy.
    EXPECT_GE(test::observed().divti3_calls, 2);
}

TEST_P(JitModules, LargeStructCopies)
{
    ModuleHandle wide = load("wide");
    test::observed().memcpy_calls = 0;
    // sum over i of seed * (i + 1), i < 512 = seed * 131328
    EXPECT_EQ(call(wide, "big_copy", { 3 }), 3 * 131328);
    EXPECT_EQ(call(wide, "big_copy", { -11 }), -11 * 131328);
    // Unoptimised code copies 4 KiB structs with memcpy; O3 may see through.
    if (GetParam() == OptLevel::O0)
        EXPECT_GT(test::observed().memcpy_calls, 0);
}

INSTANTIATE_TEST_SUITE_P(JitLevels, JitModules, testing::Values(OptLevel::O0, OptLevel::O3),
                         [](const testing::TestParamInfo<OptLevel>& info) { return opt_level_name(info.param); });

TEST(JitOptimisation, O3ChangesTheCode)
{
    // Timing belongs in a benchmark; these are facts that show the pipeline
    // and the code generator ran at different levels.
    auto engine = test::make_engine();
    ASSERT_TRUE(engine);
    auto bitcode = test::read_module("matmul");
    auto o0 = engine->load_module("matmul", bitcode, OptLevel::O0);
    auto o3 = engine->load_module("matmul", bitcode, OptLevel::O3);
    ASSERT_FALSE(o0.is_error());
    ASSERT_FALSE(o3.is_error());
    const ModuleInfo& slow = *engine->module_info(*o0);
    const ModuleInfo& fast = *engine->module_info(*o3);
    // O0 keeps every load and store of the unoptimised IR; O3 promotes
    // locals to registers, inlines the static helpers, then unrolls and
    // vectorises the loops, so the count changes but may grow.
    EXPECT_NE(fast.ir_instructions, slow.ir_instructions);
    EXPECT_NE(fast.object_bytes, slow.object_bytes);
    EXPECT_EQ(fast.functions.size(), 1u);  // only `matmul` is external
}

} // namespace
} // namespace fluid::jit
