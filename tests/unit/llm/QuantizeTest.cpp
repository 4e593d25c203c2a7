#include "llm/CpuFeatures.h"
#include "llm/Fp16.h"
#include "llm/Quantize.h"
#include "llm/VecDot.h"
#include "llm/VecDotAvx2.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace fluid::llm;

TEST(Fp16, ConvertsLikeIeeeHalf)
{
    EXPECT_EQ(fp32_to_fp16(1.0f), 0x3C00);
    EXPECT_EQ(fp32_to_fp16(-2.0f), 0xC000);
    EXPECT_EQ(fp32_to_fp16(65504.0f), 0x7BFF);
    EXPECT_EQ(fp32_to_fp16(1e6f), 0x7C00); // overflow to infinity
    EXPECT_EQ(fp32_to_fp16(0x1p-24f), 0x0001); // smallest subnormal
    EXPECT_EQ(fp16_to_fp32(0x3555), 0.333251953125f);
    EXPECT_EQ(fp16_to_fp32(0x0001), 0x1p-24f);
    // Round to nearest even: 1 + 2^-11 is halfway between 1 and 1 + 2^-10.
    EXPECT_EQ(fp32_to_fp16(1.0f + 0x1p-11f), 0x3C00);
    EXPECT_EQ(fp32_to_fp16(1.0f + 3 * 0x1p-11f), 0x3C02);
    for (uint32_t h = 0; h < 0x7C00; ++h)
        ASSERT_EQ(fp32_to_fp16(fp16_to_fp32(static_cast<uint16_t>(h))), h) << h;
}

TEST(Quantize, RoundHalfEven)
{
    EXPECT_EQ(round_half_even(2.5f), 2.0f);
    EXPECT_EQ(round_half_even(3.5f), 4.0f);
    EXPECT_EQ(round_half_even(-2.5f), -2.0f);
    EXPECT_EQ(round_half_even(-126.6f), -127.0f);
}

TEST(Quantize, Q8_0BlockHoldsScaledIntegers)
{
    std::vector<float> x(64);
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = std::sin(static_cast<float>(i)) * (i < 32 ? 1.0f : 100.0f);
    std::vector<BlockQ8_0> blocks(2);
    quantize_row_q8_0(x.data(), blocks.data(), x.size());
    std::vector<float> y(64);
    ASSERT_TRUE(dequantize_row(GgmlType::Q8_0, blocks.data(), y.data(), y.size()));
    for (size_t i = 0; i < x.size(); ++i) {
        float d = fp16_to_fp32(blocks[i / 32].d);
        EXPECT_NEAR(y[i], x[i], d * 0.5f + 1e-6f) << i;
    }
    // The largest magnitude maps to +-127.
    int max = 0;
    for (int8_t q : blocks[1].qs)
        max = std::max(max, std::abs(static_cast<int>(q)));
    EXPECT_EQ(max, 127);
}

TEST(Quantize, Q4_0NibbleOrderAndValues)
{
    BlockQ4_0 block {};
    block.d = fp32_to_fp16(0.5f);
    block.qs[0] = 0xF0; // element 0 low nibble 0 -> -8, element 16 high nibble 15 -> 7
    for (int j = 1; j < 16; ++j)
        block.qs[j] = 0x88; // zeros
    float y[32];
    ASSERT_TRUE(dequantize_row(GgmlType::Q4_0, &block, y, 32));
    EXPECT_EQ(y[0], -4.0f);
    EXPECT_EQ(y[16], 3.5f);
    EXPECT_EQ(y[1], 0.0f);

    std::vector<float> x(32);
    for (int i = 0; i < 32; ++i)
        x[i] = static_cast<float>(i - 16) / 4.0f;
    BlockQ4_0 q;
    quantize_row_q4_0_reference(x.data(), &q, 32);
    ASSERT_TRUE(dequantize_row(GgmlType::Q4_0, &q, y, 32));
    for (int i = 0; i < 32; ++i)
        EXPECT_NEAR(y[i], x[i], 0.5f * std::fabs(fp16_to_fp32(q.d)) + 1e-6f) << i;
}

TEST(VecDot, IntegerDotsMatchDequantisedProducts)
{
    std::vector<float> w(128), x(128);
    for (size_t i = 0; i < w.size(); ++i) {
        w[i] = std::cos(0.37f * static_cast<float>(i));
        x[i] = std::sin(0.11f * static_cast<float>(i)) * 3.0f;
    }
    std::vector<BlockQ8_0> w8(4), x8(4);
    std::vector<BlockQ4_0> w4(4);
    quantize_row_q8_0_reference(w.data(), w8.data(), w.size());
    quantize_row_q4_0_reference(w.data(), w4.data(), w.size());
    quantize_row_q8_0(x.data(), x8.data(), x.size());
    std::vector<float> wd(128), xd(128);
    dequantize_row(GgmlType::Q8_0, x8.data(), xd.data(), xd.size());

    dequantize_row(GgmlType::Q8_0, w8.data(), wd.data(), wd.size());
    EXPECT_NEAR(dot_q8_0_q8_0(w8.data(), x8.data(), 128), dot_f32(wd.data(), xd.data(), 128), 1e-3f);
    dequantize_row(GgmlType::Q4_0, w4.data(), wd.data(), wd.size());
    EXPECT_NEAR(dot_q4_0_q8_0(w4.data(), x8.data(), 128), dot_f32(wd.data(), xd.data(), 128), 1e-3f);

    double exact = 0;
    for (size_t i = 0; i < w.size(); ++i)
        exact += static_cast<double>(w[i]) * x[i];
    EXPECT_NEAR(dot_f32(w.data(), x.data(), 128), exact, 1e-4);
    std::vector<uint16_t> w16(128), x16(128);
    for (size_t i = 0; i < w.size(); ++i)
        w16[i] = fp32_to_fp16(w[i]), x16[i] = fp32_to_fp16(x[i]);
    EXPECT_NEAR(dot_f16(w16.data(), x16.data(), 128), exact, 0.05);
    EXPECT_NEAR(dot_q8_0_q8_0(w8.data(), x8.data(), 128), exact, 0.2);
}

TEST(VecDot, KQuantDotsMatchDequantisedProducts)
{
    // Random but valid blocks: any bytes are a Q4_K/Q6_K block once the
    // fp16 scales are sane.
    std::vector<BlockQ4_K> w4(2);
    std::vector<BlockQ6_K> w6(2);
    uint32_t state = 12345;
    auto next = [&] { return state = state * 1664525u + 1013904223u; };
    for (auto* bytes : { reinterpret_cast<uint8_t*>(w4.data()), reinterpret_cast<uint8_t*>(w6.data()) }) {
        size_t size = bytes == reinterpret_cast<uint8_t*>(w4.data()) ? sizeof(BlockQ4_K) * 2 : sizeof(BlockQ6_K) * 2;
        for (size_t i = 0; i < size; ++i)
            bytes[i] = static_cast<uint8_t>(next() >> 24);
    }
    for (auto& b : w4)
        b.d = fp32_to_fp16(0.01f), b.dmin = fp32_to_fp16(0.02f);
    for (auto& b : w6)
        b.d = fp32_to_fp16(0.003f);
    std::vector<float> x(512);
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = std::sin(0.05f * static_cast<float>(i)) + 0.25f;
    std::vector<BlockQ8_K> x8(2);
    quantize_row_q8_K(x.data(), x8.data(), x.size());
    // Q8_K: bsums are the sums of 16 quants, d the inverse scale.
    int sum = 0;
    for (int i = 0; i < 16; ++i)
        sum += x8[0].qs[i];
    EXPECT_EQ(x8[0].bsums[0], sum);
    std::vector<float> xd(512), wd(512);
    for (size_t i = 0; i < xd.size(); ++i)
        xd[i] = x8[i / 256].qs[i % 256] * x8[i / 256].d;
    for (size_t i = 0; i < x.size(); ++i)
        EXPECT_NEAR(xd[i], x[i], std::fabs(x8[i / 256].d) * 0.5f + 1e-6f);

    ASSERT_TRUE(dequantize_row(GgmlType::Q4_K, w4.data(), wd.data(), wd.size()));
    EXPECT_NEAR(dot_q4_k_q8_k(w4.data(), x8.data(), 512), dot_f32(wd.data(), xd.data(), 512), 1e-2f);
    ASSERT_TRUE(dequantize_row(GgmlType::Q6_K, w6.data(), wd.data(), wd.size()));
    EXPECT_NEAR(dot_q6_k_q8_k(w6.data(), x8.data(), 512), dot_f32(wd.data(), xd.data(), 512), 1e-2f);
}

// The AVX2 versions and the portable ones give the same bits. On a CPU
// without AVX2 the dispatch must fall back (and the comparison is then
// trivially exact).
TEST(VecDot, Avx2AndPortablePathsAgree)
{
    std::vector<float> w(320), x(320);
    for (size_t i = 0; i < w.size(); ++i) {
        w[i] = std::cos(0.21f * static_cast<float>(i)) * 0.7f;
        x[i] = std::sin(0.13f * static_cast<float>(i)) * 2.0f;
    }
    std::vector<BlockQ8_0> w8(10), x8(10);
    std::vector<BlockQ4_0> w4(10);
    std::vector<uint16_t> w16(320), x16(320);
    quantize_row_q8_0_reference(w.data(), w8.data(), w.size());
    quantize_row_q4_0_reference(w.data(), w4.data(), w.size());
    quantize_row_q8_0(x.data(), x8.data(), x.size());
    for (size_t i = 0; i < w.size(); ++i)
        w16[i] = fp32_to_fp16(w[i]), x16[i] = fp32_to_fp16(x[i]);
    std::vector<float> acc_simd(317, 1.0f), acc_portable(317, 1.0f);

    set_simd_enabled(true);
    const bool simd = cpu_has_avx2();
    float simd_results[5] = { dot_f32(w.data(), x.data(), 317), dot_f16(w16.data(), x16.data(), 317),
                              dot_q8_0_q8_0(w8.data(), x8.data(), 320), dot_q4_0_q8_0(w4.data(), x8.data(), 320) };
    axpy_f16(0.3f, w16.data(), acc_simd.data(), 317);
    set_simd_enabled(false);
    EXPECT_FALSE(cpu_has_avx2());
    float portable[5] = { dot_f32(w.data(), x.data(), 317), dot_f16(w16.data(), x16.data(), 317),
                          dot_q8_0_q8_0(w8.data(), x8.data(), 320), dot_q4_0_q8_0(w4.data(), x8.data(), 320) };
    axpy_f16(0.3f, w16.data(), acc_portable.data(), 317);
    set_simd_enabled(true);
    EXPECT_EQ(cpu_has_avx2(), simd);
    // Each SIMD variant the CPU has, called directly (the dispatch above
    // picks only the best one).
    if (cpu_has_avx2()) {
        EXPECT_EQ(avx2::dot_q8_0_q8_0(w8.data(), x8.data(), 320), portable[2]);
        EXPECT_EQ(avx2::dot_q4_0_q8_0(w4.data(), x8.data(), 320), portable[3]);
    }
    if (cpu_has_avx_vnni()) {
        EXPECT_EQ(avx2::dot_q8_0_q8_0_vnni(w8.data(), x8.data(), 320), portable[2]);
        EXPECT_EQ(avx2::dot_q4_0_q8_0_vnni(w4.data(), x8.data(), 320), portable[3]);
    }
    // The portable code reproduces the AVX2 operation order and fusing.
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(simd_results[i], portable[i]) << i;
    EXPECT_EQ(acc_simd, acc_portable);
}
