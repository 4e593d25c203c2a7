// Conversions between floats and ggml's block formats, with exactly the
// arithmetic llama.cpp's CPU back end uses, so that our dot products see
// the same integers it does.
#pragma once

#include "llm/GgufTypes.h"
#include "llm/QuantBlocks.h"

#include <cstddef>
#include <cstdint>

namespace fluid::llm {

// Round half to even, like _mm256_round_ps(_MM_ROUND_NEAREST) in ggml's
// AVX2 quantize_row_q8_0. Valid for |x| < 2^22, which is all we round.
inline float round_half_even(float x)
{
    constexpr float magic = 12582912.0f; // 1.5 * 2^23
    float shifted = x + magic; // exact IEEE arithmetic: no -ffast-math anywhere in the build
    return shifted - magic;
}

// The activation side of Q8_0/Q4_0 dot products: `n` (a multiple of 32)
// floats into n/32 blocks, as ggml's x86 quantize_row_q8_0.
void quantize_row_q8_0(const float* x, BlockQ8_0* y, size_t n);

// The activation side of Q4_K/Q6_K dot products: ggml's
// quantize_row_q8_K_ref (what its x86 build uses), n a multiple of 256.
void quantize_row_q8_K(const float* x, BlockQ8_K* y, size_t n);

// The weight side, for tools and tests: ggml's reference quantisers
// (quantize_row_q8_0_ref, quantize_row_q4_0_ref).
void quantize_row_q8_0_reference(const float* x, BlockQ8_0* y, size_t n);
void quantize_row_q4_0_reference(const float* x, BlockQ4_0* y, size_t n);

// Elements [0, n) of a row of `type` as floats. Supported: F32, F16, Q8_0,
// Q4_0, Q4_K, Q6_K; returns false for other types.
bool dequantize_row(GgmlType type, const void* row, float* y, size_t n);

} // namespace fluid::llm
