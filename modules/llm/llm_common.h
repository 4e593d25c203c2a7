/*
 * Shared by the modules in modules/llm/: ggml's block layouts and the scalar pieces of
 * llm/ (Fp16.h, VecDot.cpp's portable helpers), repeated operation for
 * operation so the JIT'd kernels compute the same bits as the native ones
 * (docs/LLM.md, "JIT-compiled kernels").
 */
#ifndef FLUID_LLM_COMMON_H
#define FLUID_LLM_COMMON_H

#include <fluid/module.h>

/*
 * No contraction of a*b+c into an FMA: the native llm/ code is built for
 * the x86-64 baseline, which has no FMA, so its a*b+c rounds twice. The
 * JIT targets the CPU present (FMA on any AVX2 machine) and would fuse
 * where the native code does not. Where the native code does fuse, these
 * kernels say so explicitly (fused() below, __builtin_fmaf in the AVX2 module).
 */
#pragma STDC FP_CONTRACT OFF

#define QK4_0 32
#define QK8_0 32
#define QK_K 256

typedef struct __attribute__((packed)) {
    uint16_t d;
    uint8_t qs[QK4_0 / 2];
} block_q4_0;
_Static_assert(sizeof(block_q4_0) == 18, "block_q4_0");

typedef struct __attribute__((packed)) {
    uint16_t d;
    int8_t qs[QK8_0];
} block_q8_0;
_Static_assert(sizeof(block_q8_0) == 34, "block_q8_0");

typedef struct __attribute__((packed)) {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[12];
    uint8_t qs[QK_K / 2];
} block_q4_k;
_Static_assert(sizeof(block_q4_k) == 144, "block_q4_k");

typedef struct __attribute__((packed)) {
    uint8_t ql[QK_K / 2];
    uint8_t qh[QK_K / 4];
    int8_t scales[QK_K / 16];
    uint16_t d;
} block_q6_k;
_Static_assert(sizeof(block_q6_k) == 210, "block_q6_k");

typedef struct {
    float d;
    int8_t qs[QK_K];
    int16_t bsums[QK_K / 16];
} block_q8_k;
_Static_assert(sizeof(block_q8_k) == 292, "block_q8_k");

static inline float llm_fp32_from_bits(uint32_t bits)
{
    union { uint32_t u; float f; } v = { bits };
    return v.f;
}

static inline uint32_t llm_fp32_to_bits(float f)
{
    union { float f; uint32_t u; } v = { f };
    return v.u;
}

/* llm/Fp16.h: fp16_to_fp32 */
static inline float llm_fp16_to_fp32(uint16_t h)
{
    const uint32_t w = (uint32_t)h << 16;
    const uint32_t sign = w & 0x80000000u;
    const uint32_t two_w = w + w;
    const uint32_t exp_offset = 0xE0u << 23;
    const float exp_scale = 0x1.0p-112f;
    const float normalized = llm_fp32_from_bits((two_w >> 4) + exp_offset) * exp_scale;
    const uint32_t magic_mask = 126u << 23;
    const float magic_bias = 0.5f;
    const float denormalized = llm_fp32_from_bits((two_w >> 17) | magic_mask) - magic_bias;
    const uint32_t denormalized_cutoff = 1u << 27;
    const uint32_t result = sign
        | (two_w < denormalized_cutoff ? llm_fp32_to_bits(denormalized) : llm_fp32_to_bits(normalized));
    return llm_fp32_from_bits(result);
}

/* llm/Fp16.h: fp32_to_fp16 */
static inline uint16_t llm_fp32_to_fp16(float f)
{
    const float scale_to_inf = 0x1.0p+112f;
    const float scale_to_zero = 0x1.0p-110f;
    float base = (__builtin_fabsf(f) * scale_to_inf) * scale_to_zero;
    const uint32_t w = llm_fp32_to_bits(f);
    const uint32_t shl1_w = w + w;
    const uint32_t sign = w & 0x80000000u;
    uint32_t bias = shl1_w & 0xFF000000u;
    if (bias < 0x71000000u)
        bias = 0x71000000u;
    base = llm_fp32_from_bits((bias >> 1) + 0x07800000u) + base;
    const uint32_t bits = llm_fp32_to_bits(base);
    const uint32_t exp_bits = (bits >> 13) & 0x00007C00u;
    const uint32_t mantissa_bits = bits & 0x00000FFFu;
    const uint32_t nonsign = exp_bits + mantissa_bits;
    return (uint16_t)((sign >> 16) | (shl1_w > 0xFF000000u ? 0x7E00u : nonsign));
}

static inline float llm_round_to_fp16(float f)
{
    return llm_fp16_to_fp32(llm_fp32_to_fp16(f));
}

/* llm/QuantBlocks.h: q4_k_scale_min (ggml's get_scale_min_k4) */
static inline void llm_q4_k_scale_min(int j, const uint8_t* q, uint8_t* scale, uint8_t* min)
{
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = (uint8_t)((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        *min = (uint8_t)((q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4));
    }
}

#endif
