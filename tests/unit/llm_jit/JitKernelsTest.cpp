// The JIT-compiled kernels (modules/llm/*.bc through jit/ and tiering)
// against the native ones (llm/ComputeKernels.cpp): the same bits for every
// weight type, RMSNorm, RoPE, SiLU·mul and attention, on random inputs, at
// tier 0 (O0) and after promotion to O3; the portable module against the
// native portable path (no AVX2), and the AVX2 module, where the CPU has
// it, against the native AVX2 path.
#include "llm/Activation.h"
#include "llm/CpuFeatures.h"
#include "llm/Fp16.h"
#include "llm/JitKernels.h"
#include "llm/Pcg32.h"
#include "tests/unit/jit/JitTestSupport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fluid::llm {
namespace {

uint64_t now_ns()
{
    return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now().time_since_epoch())
                        .count());
}

std::vector<uint8_t> read_llm_module(const char* name)
{
    std::ifstream file(std::string(FLUID_LLM_MODULES_DIR) + "/" + name + ".bc", std::ios::binary);
    return { std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>() };
}

// Uniform in [-1, 1), from a seeded PCG32.
struct Random {
    Pcg32 rng;
    explicit Random(uint64_t seed) : rng(seed) {}
    float uniform() { return static_cast<float>(rng.next()) / 2147483648.0f - 1.0f; }
    uint8_t byte() { return static_cast<uint8_t>(rng.next()); }
    std::vector<float> floats(size_t n, float scale = 1.0f)
    {
        std::vector<float> v(n);
        for (float& f : v)
            f = uniform() * scale;
        return v;
    }
};

// A weight matrix of random valid blocks (any bytes are valid quants; the
// scales are finite halves).
std::vector<uint8_t> random_rows(GgmlType type, size_t rows, size_t cols, Random& random, size_t& row_bytes)
{
    const GgmlTypeInfo* info = ggml_type_info(static_cast<uint32_t>(type));
    const size_t block_bytes = info->block_bytes;
    row_bytes = cols / info->block_elements * block_bytes;
    std::vector<uint8_t> data(rows * row_bytes);
    for (auto& b : data)
        b = random.byte();
    auto set_half = [&](size_t offset, float value) {
        const uint16_t h = fp32_to_fp16(value);
        memcpy(data.data() + offset, &h, 2);
    };
    const size_t blocks = rows * row_bytes / block_bytes;
    for (size_t b = 0; b < blocks; ++b) {
        const size_t at = b * block_bytes;
        switch (type) {
        case GgmlType::F32:
            for (size_t i = 0; i < block_bytes; i += 4) {
                const float f = random.uniform();
                memcpy(data.data() + at + i, &f, 4);
            }
            break;
        case GgmlType::F16: set_half(at, random.uniform()); break;
        case GgmlType::Q8_0:
        case GgmlType::Q4_0: set_half(at, random.uniform() * 0.01f); break;
        case GgmlType::Q4_K:
            set_half(at, random.uniform() * 0.01f);
            set_half(at + 2, random.uniform() * 0.01f);
            break;
        case GgmlType::Q6_K: set_half(at + 208, random.uniform() * 0.01f); break;
        default: break;
        }
    }
    return data;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

class JitKernels : public testing::Test {
protected:
    void SetUp() override
    {
        m_engine = jit::test::make_engine();
        ASSERT_TRUE(m_engine);
        m_tiers = std::make_unique<jit::TierManager>(*m_engine, jit::TierManager::Platform { now_ns, nullptr });
        jit::test::hot_target().store(m_tiers.get());
        m_portable_bc = read_llm_module(jit_kernels_module);
        m_avx2_bc = read_llm_module(jit_kernels_avx2_module);
        ASSERT_FALSE(m_portable_bc.empty());
        ASSERT_FALSE(m_avx2_bc.empty());
    }
    void TearDown() override
    {
        jit::test::hot_target().store(nullptr);
        set_simd_enabled(true);
    }

    // avx2: bind the AVX2 module too (if the JIT's CPU has it) and compare
    // against the native dispatch; else the portable module against the
    // native portable code.
    void bind(bool avx2)
    {
        auto binding = bind_jit_kernels(*m_engine, *m_tiers, m_portable_bc,
                                        avx2 ? std::span<const uint8_t>(m_avx2_bc) : std::span<const uint8_t>(),
                                        m_jit);
        ASSERT_FALSE(binding.is_error()) << binding.error().message();
        ASSERT_TRUE(m_jit.complete());
        m_binding = *binding;
        EXPECT_EQ(m_binding.avx2, avx2 && jit_cpu_has_avx2(m_engine->cpu()));
        set_simd_enabled(m_binding.avx2);
        // The AVX2 module is only worth testing where the native side has AVX2 too.
        if (avx2)
            EXPECT_EQ(cpu_has_avx2(), m_binding.avx2);
    }

    // Every function of the bound modules compiled at O3 now.
    void promote_all()
    {
        for (size_t i = 0; i < compute_kernel_count; ++i) {
            auto pinned = m_tiers->pin(m_binding.sources[i], compute_kernel_symbols[i], jit::OptLevel::O3);
            ASSERT_FALSE(pinned.is_error()) << pinned.error().message();
            EXPECT_EQ(m_tiers->tier_of(m_binding.sources[i], compute_kernel_symbols[i]), jit::OptLevel::O3);
        }
    }

    [[clang::no_sanitize("function")]] void check_matvec(GgmlType type, size_t cols)
    {
        Random random(static_cast<uint64_t>(type) * 1000 + cols);
        const size_t rows = 37;
        size_t row_bytes = 0;
        std::vector<uint8_t> weights = random_rows(type, rows, cols, random, row_bytes);
        std::vector<float> input = random.floats(cols, 2.0f);
        Activation x;
        x.prepare(input.data(), cols, type);
        std::vector<float> native(rows, -1.0f), jitted(rows, -1.0f);
        ComputeKernels::native().matvec(type)(weights.data(), row_bytes, x.data(), cols, native.data(), 3, rows);
        m_jit.matvec(type)(weights.data(), row_bytes, x.data(), cols, jitted.data(), 3, rows);
        EXPECT_TRUE(same_bits(native, jitted)) << ggml_type_name(type) << " row 3: native " << native[3] << " jit "
                                               << jitted[3];
        EXPECT_EQ(jitted[2], -1.0f) << "wrote outside the row range";
        EXPECT_NE(native[5], 0.0f);
    }

    [[clang::no_sanitize("function")]] void check_vector_kernels()
    {
        Random random(7);
        const ComputeKernels& n = ComputeKernels::native();
        const size_t dim = 96;
        std::vector<float> x = random.floats(dim, 3.0f), weight = random.floats(dim);
        std::vector<float> a(dim), b(dim);
        n.rms_norm(x.data(), weight.data(), a.data(), dim, 1e-5f);
        m_jit.rms_norm(x.data(), weight.data(), b.data(), dim, 1e-5f);
        EXPECT_TRUE(same_bits(a, b)) << "rms_norm";

        const uint32_t heads = 3, head_dim = 32, pairs = 14; // rope on part of each head
        std::vector<float> cos = random.floats(pairs), sin = random.floats(pairs);
        a = random.floats(heads * head_dim, 2.0f);
        b = a;
        n.rope(a.data(), heads, head_dim, pairs, cos.data(), sin.data());
        m_jit.rope(b.data(), heads, head_dim, pairs, cos.data(), sin.data());
        EXPECT_TRUE(same_bits(a, b)) << "rope";

        std::vector<float> up = random.floats(dim, 2.0f);
        a = random.floats(dim, 6.0f);
        b = a;
        n.silu_mul(a.data(), up.data(), dim);
        m_jit.silu_mul(b.data(), up.data(), dim);
        EXPECT_TRUE(same_bits(a, b)) << "silu_mul";

        // Two KV heads interleaved (stride 2 * head_dim), 45 positions; an
        // odd head size exercises the scalar tails.
        for (uint32_t hd : { 64u, 37u }) {
            const uint32_t positions = 45;
            const size_t stride = 2 * hd;
            std::vector<uint16_t> keys(positions * stride), values(positions * stride);
            for (size_t i = 0; i < keys.size(); ++i) {
                keys[i] = fp32_to_fp16(random.uniform());
                values[i] = fp32_to_fp16(random.uniform());
            }
            std::vector<float> q = random.floats(hd, 4.0f);
            std::vector<float> scores_a(positions), scores_b(positions), out_a(hd), out_b(hd);
            const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
            n.attention_head(q.data(), keys.data() + hd, values.data() + hd, stride, positions, hd, scale,
                             scores_a.data(), out_a.data());
            m_jit.attention_head(q.data(), keys.data() + hd, values.data() + hd, stride, positions, hd, scale,
                                 scores_b.data(), out_b.data());
            EXPECT_TRUE(same_bits(out_a, out_b)) << "attention_head " << hd;
            EXPECT_TRUE(same_bits(scores_a, scores_b)) << "attention weights " << hd;
        }
    }

    void check_all()
    {
        check_matvec(GgmlType::F32, 530); // not a multiple of 16: the scalar tail
        check_matvec(GgmlType::F16, 530);
        check_matvec(GgmlType::Q8_0, 512);
        check_matvec(GgmlType::Q4_0, 512);
        check_matvec(GgmlType::Q4_K, 512);
        check_matvec(GgmlType::Q6_K, 512);
        check_vector_kernels();
    }

    std::unique_ptr<jit::Engine> m_engine;
    std::unique_ptr<jit::TierManager> m_tiers;
    std::vector<uint8_t> m_portable_bc, m_avx2_bc;
    ComputeKernels m_jit;
    JitKernelsBinding m_binding;
};

TEST_F(JitKernels, PortableModuleMatchesNativePortableAtO0AndO3)
{
    bind(false);
    ASSERT_FALSE(HasFatalFailure());
    for (size_t i = 0; i < compute_kernel_count; ++i)
        EXPECT_EQ(m_binding.sources[i], jit_kernels_module);
    check_all();
    promote_all();
    check_all();
}

TEST_F(JitKernels, Avx2ModuleMatchesNativeDispatchAtO0AndO3)
{
    bind(true);
    ASSERT_FALSE(HasFatalFailure());
    check_all();
    promote_all();
    check_all();
}

TEST_F(JitKernels, TableEntriesAreTheTierZeroEntries)
{
    bind(true);
    ASSERT_FALSE(HasFatalFailure());
    // The table holds the entry (which jumps through the slot), so a
    // promotion does not change the address the engine calls.
    const ComputeKernels before = m_jit;
    promote_all();
    EXPECT_EQ(memcmp(&before, &m_jit, sizeof(before)), 0);
    auto handle = m_binding.modules[0];
    auto address = m_engine->lookup(handle, "fluid_llm_rms_norm");
    ASSERT_FALSE(address.is_error());
    EXPECT_EQ(reinterpret_cast<uint64_t>(m_jit.rms_norm), *address);
}

TEST(JitKernelsCpu, Avx2NeedsAvx2FmaF16cStillOnAtTheEnd)
{
    const char* triple = jit::TargetCpu::default_triple;
    EXPECT_TRUE(jit_cpu_has_avx2(jit::TargetCpu(triple, "x86-64-v3", "+avx,+avx2,+f16c,+fma,+sse2")));
    EXPECT_FALSE(jit_cpu_has_avx2(jit::TargetCpu(triple, "x86-64-v3", "+avx,+avx2,+fma,-f16c")));
    EXPECT_FALSE(jit_cpu_has_avx2(jit::TargetCpu(triple, "x86-64", "")));
    // The kernel under QEMU's TCG: detected AVX2, then "-avx" (KernelJit.cpp).
    EXPECT_FALSE(jit_cpu_has_avx2(jit::TargetCpu(triple, "x86-64-v2", "+avx,+avx2,+f16c,+fma,-avx")));
    // "+avx2" implies "+avx" to LLVM, so this CPU does get AVX2 code.
    EXPECT_TRUE(jit_cpu_has_avx2(jit::TargetCpu(triple, "x86-64-v2", "+avx2,+f16c,+fma")));
}

TEST_F(JitKernels, MissingEntryIsAnErrorNamingIt)
{
    // Another module in the portable module's place defines none of the entries.
    ComputeKernels table = ComputeKernels::native();
    auto binding = bind_jit_kernels(*m_engine, *m_tiers, jit::test::read_module("fib"), {}, table);
    ASSERT_TRUE(binding.is_error());
    EXPECT_STREQ(binding.error().message(), "llm: module llm_kernels does not define fluid_llm_matvec_f32");
    EXPECT_EQ(table.rms_norm, ComputeKernels::native().rms_norm) << "the table changed on error";
}

} // namespace
} // namespace fluid::llm
