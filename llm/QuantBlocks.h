// ggml's quantised block layouts (ggml-common.h), byte for byte: weights
// are used in place from the file, so these must match exactly.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::llm {

constexpr size_t qk4_0 = 32;
constexpr size_t qk8_0 = 32;
constexpr size_t qk_k = 256;
constexpr size_t k_scale_size = 12;

// 32 weights: value = (nibble - 8) * d. Low nibbles of qs are elements
// 0..15, high nibbles elements 16..31.
struct [[gnu::packed]] BlockQ4_0 {
    uint16_t d; // fp16
    uint8_t qs[qk4_0 / 2];
};
static_assert(sizeof(BlockQ4_0) == 18);

// 32 weights: value = qs[i] * d.
struct [[gnu::packed]] BlockQ8_0 {
    uint16_t d; // fp16
    int8_t qs[qk8_0];
};
static_assert(sizeof(BlockQ8_0) == 34);

// 256 weights in 8 sub-blocks of 32, each with a 6-bit scale and min.
struct [[gnu::packed]] BlockQ4_K {
    uint16_t d;    // fp16 super-block scale for the scales
    uint16_t dmin; // fp16 super-block scale for the mins
    uint8_t scales[k_scale_size];
    uint8_t qs[qk_k / 2];
};
static_assert(sizeof(BlockQ4_K) == 144);

// ggml's get_scale_min_k4: the 6-bit scale and min of Q4_K sub-block j.
inline void q4_k_scale_min(int j, const uint8_t* q, uint8_t& scale, uint8_t& min)
{
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = static_cast<uint8_t>((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        min = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4));
    }
}

// 256 weights in 16 sub-blocks of 16, 6-bit quants, 8-bit scales.
struct [[gnu::packed]] BlockQ6_K {
    uint8_t ql[qk_k / 2];
    uint8_t qh[qk_k / 4];
    int8_t scales[qk_k / 16];
    uint16_t d; // fp16
};
static_assert(sizeof(BlockQ6_K) == 210);

// The activation side of K-quant dot products: 256 values, a float scale,
// and the sums of each 16 (for the min terms of Q4_K).
struct BlockQ8_K {
    float d;
    int8_t qs[qk_k];
    int16_t bsums[qk_k / 16];
};
static_assert(sizeof(BlockQ8_K) == 292);

} // namespace fluid::llm
