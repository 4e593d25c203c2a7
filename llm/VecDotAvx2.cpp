#include "llm/VecDotAvx2.h"

#include "llm/Fp16.h"

#include <immintrin.h>

#define FLUID_AVX2 [[gnu::target("avx2,fma,f16c")]]

namespace fluid::llm::avx2 {

FLUID_AVX2 static inline float hsum(__m256 v)
{
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
    return _mm_cvtss_f32(sum);
}

// ggml's mul_sum_i8_pairs_float: sum of x*y over 32 int8 pairs, as eight
// float lanes. The sign trick lets maddubs (unsigned x signed) do it.
FLUID_AVX2 static inline __m256 mul_sum_i8(__m256i x, __m256i y)
{
    const __m256i ax = _mm256_sign_epi8(x, x);
    const __m256i sy = _mm256_sign_epi8(y, x);
    const __m256i dot16 = _mm256_maddubs_epi16(ax, sy);
    const __m256i dot32 = _mm256_madd_epi16(dot16, _mm256_set1_epi16(1));
    return _mm256_cvtepi32_ps(dot32);
}

// The F16C instruction, not the portable bit manipulation: two of these
// per 32-block are a visible share of a Q8_0 row's work.
FLUID_AVX2 static inline float half(uint16_t h)
{
    return _cvtsh_ss(h);
}

FLUID_AVX2 float dot_f32(const float* w, const float* x, size_t n)
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i), _mm256_loadu_ps(x + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 8), _mm256_loadu_ps(x + i + 8), acc1);
    }
    float sum = hsum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) // explicitly fused: VecDot.cpp's portable twin does the same
        sum = __builtin_fmaf(w[i], x[i], sum);
    return sum;
}

FLUID_AVX2 float dot_f16(const uint16_t* w, const uint16_t* x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 a = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i)));
        const __m256 b = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)));
        acc = _mm256_fmadd_ps(a, b, acc);
    }
    float sum = hsum(acc);
    for (; i < n; ++i)
        sum = __builtin_fmaf(fp16_to_fp32(w[i]), fp16_to_fp32(x[i]), sum);
    return sum;
}

FLUID_AVX2 void axpy_f16(float a, const uint16_t* v, float* out, size_t n)
{
    const __m256 scale = _mm256_set1_ps(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 values = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i)));
        _mm256_storeu_ps(out + i, _mm256_fmadd_ps(scale, values, _mm256_loadu_ps(out + i)));
    }
    for (; i < n; ++i)
        out[i] = __builtin_fmaf(a, fp16_to_fp32(v[i]), out[i]);
}

FLUID_AVX2 float dot_q8_0_q8_0(const BlockQ8_0* w, const BlockQ8_0* x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    for (size_t b = 0; b < n / qk8_0; ++b) {
        // Weights stream from memory once per token: asking for them ~1 KiB
        // ahead keeps more cache misses in flight than the hardware
        // prefetcher alone does on these VMs.
        _mm_prefetch(reinterpret_cast<const char*>(w + b) + 1024, _MM_HINT_T0);
        const __m256 d = _mm256_set1_ps(half(w[b].d) * half(x[b].d));
        const __m256i qw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w[b].qs));
        const __m256i qx = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].qs));
        acc = _mm256_fmadd_ps(d, mul_sum_i8(qw, qx), acc);
    }
    return hsum(acc);
}

FLUID_AVX2 float dot_q4_0_q8_0(const BlockQ4_0* w, const BlockQ8_0* x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    const __m256i low_mask = _mm256_set1_epi8(0x0F);
    const __m256i eight = _mm256_set1_epi8(8);
    for (size_t b = 0; b < n / qk4_0; ++b) {
        _mm_prefetch(reinterpret_cast<const char*>(w + b) + 1024, _MM_HINT_T0);
        const __m256 d = _mm256_set1_ps(half(w[b].d) * half(x[b].d));
        // ggml's bytes_from_nibbles_32: low nibbles in the low 16 bytes
        // (elements 0..15), high nibbles in the high 16 (elements 16..31).
        const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w[b].qs));
        const __m256i both = _mm256_insertf128_si256(_mm256_castsi128_si256(packed), _mm_srli_epi16(packed, 4), 1);
        const __m256i qw = _mm256_sub_epi8(_mm256_and_si256(both, low_mask), eight);
        const __m256i qx = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].qs));
        acc = _mm256_fmadd_ps(d, mul_sum_i8(qw, qx), acc);
    }
    return hsum(acc);
}

// AVX-VNNI: vpdpbusd multiplies unsigned by signed bytes and sums each four
// into an int32 lane in one instruction. The lanes hold the same integers
// as mul_sum_i8's (elements 4k..4k+3), so the results are bit-identical;
// only the instruction count drops (Q4_0 is compute-bound on the host).
#define FLUID_VNNI [[gnu::target("avx2,fma,f16c,avxvnni")]]

FLUID_VNNI float dot_q4_0_q8_0_vnni(const BlockQ4_0* w, const BlockQ8_0* x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    const __m256i low_mask = _mm256_set1_epi8(0x0F);
    const __m256i ones = _mm256_set1_epi8(1);
    for (size_t b = 0; b < n / qk4_0; ++b) {
        _mm_prefetch(reinterpret_cast<const char*>(w + b) + 1024, _MM_HINT_T0);
        const __m256 d = _mm256_set1_ps(half(w[b].d) * half(x[b].d));
        const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w[b].qs));
        const __m256i both = _mm256_insertf128_si256(_mm256_castsi128_si256(packed), _mm_srli_epi16(packed, 4), 1);
        const __m256i nibbles = _mm256_and_si256(both, low_mask); // unsigned 0..15
        const __m256i qx = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].qs));
        // The weight is nibble - 8: sum (nibble - 8) x = sum nibble x - 8 sum x.
        const __m256i dot = _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), nibbles, qx);
        const __m256i sum_x = _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), ones, qx);
        const __m256i lanes = _mm256_sub_epi32(dot, _mm256_slli_epi32(sum_x, 3));
        acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(lanes), acc);
    }
    return hsum(acc);
}

FLUID_VNNI float dot_q8_0_q8_0_vnni(const BlockQ8_0* w, const BlockQ8_0* x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    for (size_t b = 0; b < n / qk8_0; ++b) {
        _mm_prefetch(reinterpret_cast<const char*>(w + b) + 1024, _MM_HINT_T0);
        const __m256 d = _mm256_set1_ps(half(w[b].d) * half(x[b].d));
        const __m256i qw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w[b].qs));
        const __m256i qx = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[b].qs));
        // |w| (unsigned) times x with w's sign: the same products, no
        // 16-bit intermediate (so no saturation on a -128 weight either).
        const __m256i dot = _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), _mm256_sign_epi8(qw, qw),
                                                    _mm256_sign_epi8(qx, qw));
        acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(dot), acc);
    }
    return hsum(acc);
}

} // namespace fluid::llm::avx2
