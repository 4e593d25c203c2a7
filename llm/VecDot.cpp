#include "llm/VecDot.h"

#include "llm/CpuFeatures.h"
#include "llm/Fp16.h"
#include "llm/VecDotAvx2.h"

#include <cstring>

namespace fluid::llm {

// The portable versions reproduce the AVX2 ones (VecDotAvx2.cpp) operation
// for operation: eight float lanes, fused multiply-adds, the same final
// pairwise sum. So a CPU without AVX2 (the kernel under QEMU's qemu64)
// computes the same logits as one with it, and both stay as close to
// ggml's AVX2 code as we can get; with Q8_0 activations a last-bit
// difference can flip a rounding and, many layers on, a greedy choice.

// a * b + c with one rounding: a * b is exact in double (24 + 24 bits);
// rounding the double sum to float differs from a true fused result only
// when it lands exactly halfway between floats, which practically never
// happens with these data.
static inline float fused(float a, float b, float c)
{
    return static_cast<float>(static_cast<double>(a) * b + c);
}

// VecDotAvx2's hsum: lanes i and i + 4, then pairs, then the two halves.
static inline float lane_sum(const float* a)
{
    const float s0 = a[0] + a[4], s1 = a[1] + a[5], s2 = a[2] + a[6], s3 = a[3] + a[7];
    return (s0 + s2) + (s1 + s3);
}

static float dot_f32_portable(const float* w, const float* x, size_t n)
{
    float acc0[8] = {}, acc1[8] = {};
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (size_t k = 0; k < 8; ++k) {
            acc0[k] = fused(w[i + k], x[i + k], acc0[k]);
            acc1[k] = fused(w[i + 8 + k], x[i + 8 + k], acc1[k]);
        }
    }
    for (size_t k = 0; k < 8; ++k)
        acc0[k] += acc1[k];
    float sum = lane_sum(acc0);
    for (; i < n; ++i)
        sum = fused(w[i], x[i], sum);
    return sum;
}

static float dot_f16_portable(const uint16_t* w, const uint16_t* x, size_t n)
{
    float acc[8] = {};
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (size_t k = 0; k < 8; ++k)
            acc[k] = fused(fp16_to_fp32(w[i + k]), fp16_to_fp32(x[i + k]), acc[k]);
    }
    float sum = lane_sum(acc);
    for (; i < n; ++i)
        sum = fused(fp16_to_fp32(w[i]), fp16_to_fp32(x[i]), sum);
    return sum;
}

// Lane k of a block holds the integer sum of its elements 4k..4k+3 (what
// maddubs + madd leave there), scaled by the block's d in one FMA.
static float dot_q8_0_q8_0_portable(const BlockQ8_0* w, const BlockQ8_0* x, size_t n)
{
    float acc[8] = {};
    for (size_t b = 0; b < n / qk8_0; ++b) {
        const float d = fp16_to_fp32(w[b].d) * fp16_to_fp32(x[b].d);
        for (size_t k = 0; k < 8; ++k) {
            int32_t lane = 0;
            for (size_t j = 4 * k; j < 4 * k + 4; ++j)
                lane += static_cast<int32_t>(w[b].qs[j]) * x[b].qs[j];
            acc[k] = fused(d, static_cast<float>(lane), acc[k]);
        }
    }
    return lane_sum(acc);
}

static float dot_q4_0_q8_0_portable(const BlockQ4_0* w, const BlockQ8_0* x, size_t n)
{
    float acc[8] = {};
    for (size_t b = 0; b < n / qk4_0; ++b) {
        const float d = fp16_to_fp32(w[b].d) * fp16_to_fp32(x[b].d);
        for (size_t k = 0; k < 8; ++k) {
            int32_t lane = 0;
            for (size_t j = 4 * k; j < 4 * k + 4; ++j) {
                const int32_t q = j < 16 ? (w[b].qs[j] & 0x0F) - 8 : (w[b].qs[j - 16] >> 4) - 8;
                lane += q * x[b].qs[j];
            }
            acc[k] = fused(d, static_cast<float>(lane), acc[k]);
        }
    }
    return lane_sum(acc);
}

float dot_f32(const float* w, const float* x, size_t n)
{
    return cpu_has_avx2() ? avx2::dot_f32(w, x, n) : dot_f32_portable(w, x, n);
}

float dot_f16(const uint16_t* w, const uint16_t* x, size_t n)
{
    return cpu_has_avx2() ? avx2::dot_f16(w, x, n) : dot_f16_portable(w, x, n);
}

float dot_q8_0_q8_0(const BlockQ8_0* w, const BlockQ8_0* x, size_t n)
{
    if (!cpu_use_simd_integer_dots())
        return dot_q8_0_q8_0_portable(w, x, n);
    if (cpu_has_avx_vnni())
        return avx2::dot_q8_0_q8_0_vnni(w, x, n);
    return cpu_has_avx2() ? avx2::dot_q8_0_q8_0(w, x, n) : dot_q8_0_q8_0_portable(w, x, n);
}

float dot_q4_0_q8_0(const BlockQ4_0* w, const BlockQ8_0* x, size_t n)
{
    if (!cpu_use_simd_integer_dots())
        return dot_q4_0_q8_0_portable(w, x, n);
    if (cpu_has_avx_vnni())
        return avx2::dot_q4_0_q8_0_vnni(w, x, n);
    return cpu_has_avx2() ? avx2::dot_q4_0_q8_0(w, x, n) : dot_q4_0_q8_0_portable(w, x, n);
}

void axpy_f16(float a, const uint16_t* v, float* out, size_t n)
{
    if (cpu_has_avx2()) {
        avx2::axpy_f16(a, v, out, n);
        return;
    }
    for (size_t i = 0; i < n; ++i)
        out[i] = fused(a, fp16_to_fp32(v[i]), out[i]);
}

float dot_q4_k_q8_k(const BlockQ4_K* w, const BlockQ8_K* x, size_t n)
{
    float sum = 0;
    for (size_t b = 0; b < n / qk_k; ++b) {
        const BlockQ4_K& block = w[b];
        const int8_t* q8 = x[b].qs;
        const uint8_t* q4 = block.qs;
        int32_t sumi = 0; // sum over sub-blocks of scale * (q4 . q8)
        int32_t summ = 0; // sum over sub-blocks of min * (sum of q8)
        for (int j = 0; j < 8; j += 2) {
            uint8_t scale_lo, min_lo, scale_hi, min_hi;
            q4_k_scale_min(j, block.scales, scale_lo, min_lo);
            q4_k_scale_min(j + 1, block.scales, scale_hi, min_hi);
            int32_t lo = 0, hi = 0;
            for (int l = 0; l < 32; ++l) {
                lo += (q4[l] & 0xF) * q8[l];
                hi += (q4[l] >> 4) * q8[l + 32];
            }
            sumi += scale_lo * lo + scale_hi * hi;
            summ += min_lo * (x[b].bsums[2 * j] + x[b].bsums[2 * j + 1]);
            summ += min_hi * (x[b].bsums[2 * j + 2] + x[b].bsums[2 * j + 3]);
            q4 += 32;
            q8 += 64;
        }
        const float d = fp16_to_fp32(block.d) * x[b].d;
        const float dmin = fp16_to_fp32(block.dmin) * x[b].d;
        sum += d * static_cast<float>(sumi) - dmin * static_cast<float>(summ);
    }
    return sum;
}

float dot_q6_k_q8_k(const BlockQ6_K* w, const BlockQ8_K* x, size_t n)
{
    float sum = 0;
    for (size_t b = 0; b < n / qk_k; ++b) {
        const BlockQ6_K& block = w[b];
        const uint8_t* ql = block.ql;
        const uint8_t* qh = block.qh;
        const int8_t* q8 = x[b].qs;
        int32_t sumi = 0;
        for (int half = 0; half < 2; ++half) {
            // Elements l, l+32, l+64, l+96 of this half; scales per 16.
            int32_t part[8] = {};
            for (int l = 0; l < 32; ++l) {
                const int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                const int is = l / 16;
                part[is + 0] += q1 * q8[l];
                part[is + 2] += q2 * q8[l + 32];
                part[is + 4] += q3 * q8[l + 64];
                part[is + 6] += q4 * q8[l + 96];
            }
            for (int s = 0; s < 8; ++s)
                sumi += block.scales[half * 8 + s] * part[s];
            ql += 64;
            qh += 32;
            q8 += 128;
        }
        sum += fp16_to_fp32(block.d) * x[b].d * static_cast<float>(sumi);
    }
    return sum;
}

} // namespace fluid::llm
