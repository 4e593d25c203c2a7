/*
 * AVX2/FMA/F16C versions of the dot-product kernels and of attention,
 * instruction for instruction those of llm/VecDotAvx2.cpp (eight float
 * lanes, one FMA per 32-block, the same horizontal sum), so the results are
 * the native code's bits. The binders load this module only when the JIT's
 * target CPU has avx2, fma and f16c (the engine drops the target attributes
 * below and compiles for its own CPU: on one without AVX2 the intrinsics
 * could not be selected). Entries it does not define (the K-quant dots,
 * RMSNorm, RoPE, SiLU) come from llm_kernels.bc.
 *
 * The native AVX-VNNI Q8_0/Q4_0 dots sum the same integers per lane as
 * these, so they give the same bits too.
 */
#include "llm_common.h"

#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma,f16c")))

/*
 * One rounding, as VecDotAvx2.cpp's __builtin_fmaf. Not __builtin_fmaf
 * here: modules are built with math-errno, under which clang calls the
 * library's fmaf, which the kernel does not export; the elementwise
 * builtin is always the llvm.fma instruction.
 */

AVX2 static inline float hsum(__m256 v)
{
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
    return _mm_cvtss_f32(sum);
}

/* ggml's mul_sum_i8_pairs_float */
AVX2 static inline __m256 mul_sum_i8(__m256i x, __m256i y)
{
    const __m256i ax = _mm256_sign_epi8(x, x);
    const __m256i sy = _mm256_sign_epi8(y, x);
    const __m256i dot16 = _mm256_maddubs_epi16(ax, sy);
    const __m256i dot32 = _mm256_madd_epi16(dot16, _mm256_set1_epi16(1));
    return _mm256_cvtepi32_ps(dot32);
}

AVX2 static inline float half(uint16_t h)
{
    return _cvtsh_ss(h);
}

AVX2 static float dot_f32(const float* w, const float* x, size_t n)
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i), _mm256_loadu_ps(x + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 8), _mm256_loadu_ps(x + i + 8), acc1);
    }
    float sum = hsum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i)
        sum = __builtin_elementwise_fma(w[i], x[i], sum);
    return sum;
}

AVX2 static float dot_f16(const uint16_t* w, const uint16_t* x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 a = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(w + i)));
        const __m256 b = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(x + i)));
        acc = _mm256_fmadd_ps(a, b, acc);
    }
    float sum = hsum(acc);
    for (; i < n; ++i)
        sum = __builtin_elementwise_fma(llm_fp16_to_fp32(w[i]), llm_fp16_to_fp32(x[i]), sum);
    return sum;
}

AVX2 static void axpy_f16(float a, const uint16_t* v, float* out, size_t n)
{
    const __m256 scale = _mm256_set1_ps(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 values = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(v + i)));
        _mm256_storeu_ps(out + i, _mm256_fmadd_ps(scale, values, _mm256_loadu_ps(out + i)));
    }
    for (; i < n; ++i)
        out[i] = __builtin_elementwise_fma(a, llm_fp16_to_fp32(v[i]), out[i]);
}

AVX2 static float dot_q8_0_q8_0(const block_q8_0* w, const block_q8_0* x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    for (size_t b = 0; b < n / QK8_0; ++b) {
        /* Weights stream once per token; ask for them ~1 KiB ahead. */
        _mm_prefetch((const char*)(w + b) + 1024, _MM_HINT_T0);
        const __m256 d = _mm256_set1_ps(half(w[b].d) * half(x[b].d));
        const __m256i qw = _mm256_loadu_si256((const __m256i*)w[b].qs);
        const __m256i qx = _mm256_loadu_si256((const __m256i*)x[b].qs);
        acc = _mm256_fmadd_ps(d, mul_sum_i8(qw, qx), acc);
    }
    return hsum(acc);
}

AVX2 static float dot_q4_0_q8_0(const block_q4_0* w, const block_q8_0* x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    const __m256i low_mask = _mm256_set1_epi8(0x0F);
    const __m256i eight = _mm256_set1_epi8(8);
    for (size_t b = 0; b < n / QK4_0; ++b) {
        _mm_prefetch((const char*)(w + b) + 1024, _MM_HINT_T0);
        const __m256 d = _mm256_set1_ps(half(w[b].d) * half(x[b].d));
        /* ggml's bytes_from_nibbles_32: low nibbles are elements 0..15. */
        const __m128i packed = _mm_loadu_si128((const __m128i*)w[b].qs);
        const __m256i both = _mm256_insertf128_si256(_mm256_castsi128_si256(packed), _mm_srli_epi16(packed, 4), 1);
        const __m256i qw = _mm256_sub_epi8(_mm256_and_si256(both, low_mask), eight);
        const __m256i qx = _mm256_loadu_si256((const __m256i*)x[b].qs);
        acc = _mm256_fmadd_ps(d, mul_sum_i8(qw, qx), acc);
    }
    return hsum(acc);
}

AVX2 void fluid_llm_matvec_f32(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                               size_t row_begin, size_t row_end)
{
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = dot_f32((const float*)(rows + r * row_bytes), (const float*)x, cols);
}

AVX2 void fluid_llm_matvec_f16(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                               size_t row_begin, size_t row_end)
{
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = dot_f16((const uint16_t*)(rows + r * row_bytes), (const uint16_t*)x, cols);
}

AVX2 void fluid_llm_matvec_q8_0(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                                size_t row_begin, size_t row_end)
{
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = dot_q8_0_q8_0((const block_q8_0*)(rows + r * row_bytes), (const block_q8_0*)x, cols);
}

AVX2 void fluid_llm_matvec_q4_0(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                                size_t row_begin, size_t row_end)
{
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = dot_q4_0_q8_0((const block_q4_0*)(rows + r * row_bytes), (const block_q8_0*)x, cols);
}

/* llm/ComputeKernels.cpp's attention_head with the AVX2 dot and axpy. */
AVX2 void fluid_llm_attention_head(const float* q, const uint16_t* keys, const uint16_t* values, size_t stride,
                                   uint32_t positions, uint32_t head_dim, float scale, float* scores, float* out)
{
    uint16_t q16[1024];
    for (uint32_t i = 0; i < head_dim; ++i)
        q16[i] = llm_fp32_to_fp16(q[i]);
    float max = -__builtin_inff();
    for (uint32_t p = 0; p < positions; ++p) {
        scores[p] = dot_f16(keys + p * stride, q16, head_dim) * scale;
        max = __builtin_fmaxf(max, scores[p]);
    }
    double sum = 0;
    for (uint32_t p = 0; p < positions; ++p) {
        scores[p] = expf(scores[p] - max);
        sum += scores[p];
    }
    const float inverse = (float)(1.0 / sum);
    for (uint32_t p = 0; p < positions; ++p)
        scores[p] = llm_round_to_fp16(scores[p] * inverse);
    for (uint32_t i = 0; i < head_dim; ++i)
        out[i] = 0;
    for (uint32_t p = 0; p < positions; ++p)
        axpy_f16(scores[p], values + p * stride, out, head_dim);
}
