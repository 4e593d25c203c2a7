/*
 * The LLM engine's compute kernels (llm/ComputeKernels.h) as a module, in
 * portable C: every CPU the JIT can target runs it. The operations and
 * their order are those of llm/VecDot.cpp's portable dot products and
 * llm/ComputeKernels.cpp, so the results are the same bits as the native
 * code's (tests/unit/llm/JitKernelsTest.cpp checks it for every weight
 * type). On a CPU with AVX2, FMA and F16C the binder also loads
 * llm_kernels_avx2.bc, which replaces the dot-product kernels.
 *
 * Each entry has the fixed C name the binders look up
 * (llm::compute_kernel_symbols); the parallel fan-out stays in the engine,
 * which calls these for ranges of rows and single heads.
 */
#include "llm_common.h"

/* a * b + c rounded once, through double (VecDot.cpp's fused()). */
static inline float fused(float a, float b, float c)
{
    return (float)((double)a * (double)b + (double)c);
}

/* VecDotAvx2's hsum order: lanes i and i + 4, then pairs, then halves. */
static inline float lane_sum(const float* a)
{
    const float s0 = a[0] + a[4], s1 = a[1] + a[5], s2 = a[2] + a[6], s3 = a[3] + a[7];
    return (s0 + s2) + (s1 + s3);
}

static float dot_f32(const float* w, const float* x, size_t n)
{
    float acc0[8] = { 0 }, acc1[8] = { 0 };
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

static float dot_f16(const uint16_t* w, const uint16_t* x, size_t n)
{
    float acc[8] = { 0 };
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (size_t k = 0; k < 8; ++k)
            acc[k] = fused(llm_fp16_to_fp32(w[i + k]), llm_fp16_to_fp32(x[i + k]), acc[k]);
    }
    float sum = lane_sum(acc);
    for (; i < n; ++i)
        sum = fused(llm_fp16_to_fp32(w[i]), llm_fp16_to_fp32(x[i]), sum);
    return sum;
}

static float dot_q8_0_q8_0(const block_q8_0* w, const block_q8_0* x, size_t n)
{
    float acc[8] = { 0 };
    for (size_t b = 0; b < n / QK8_0; ++b) {
        const float d = llm_fp16_to_fp32(w[b].d) * llm_fp16_to_fp32(x[b].d);
        for (size_t k = 0; k < 8; ++k) {
            int32_t lane = 0;
            for (size_t j = 4 * k; j < 4 * k + 4; ++j)
                lane += (int32_t)w[b].qs[j] * x[b].qs[j];
            acc[k] = fused(d, (float)lane, acc[k]);
        }
    }
    return lane_sum(acc);
}

static float dot_q4_0_q8_0(const block_q4_0* w, const block_q8_0* x, size_t n)
{
    float acc[8] = { 0 };
    for (size_t b = 0; b < n / QK4_0; ++b) {
        const float d = llm_fp16_to_fp32(w[b].d) * llm_fp16_to_fp32(x[b].d);
        for (size_t k = 0; k < 8; ++k) {
            int32_t lane = 0;
            for (size_t j = 4 * k; j < 4 * k + 4; ++j) {
                const int32_t q = j < 16 ? (w[b].qs[j] & 0x0F) - 8 : (w[b].qs[j - 16] >> 4) - 8;
                lane += q * x[b].qs[j];
            }
            acc[k] = fused(d, (float)lane, acc[k]);
        }
    }
    return lane_sum(acc);
}

/* ggml_vec_dot_q4_K_q8_K as llm/VecDot.cpp writes it. */
static float dot_q4_k_q8_k(const block_q4_k* w, const block_q8_k* x, size_t n)
{
    float sum = 0;
    for (size_t b = 0; b < n / QK_K; ++b) {
        const block_q4_k* block = &w[b];
        const int8_t* q8 = x[b].qs;
        const uint8_t* q4 = block->qs;
        int32_t sumi = 0;
        int32_t summ = 0;
        for (int j = 0; j < 8; j += 2) {
            uint8_t scale_lo, min_lo, scale_hi, min_hi;
            llm_q4_k_scale_min(j, block->scales, &scale_lo, &min_lo);
            llm_q4_k_scale_min(j + 1, block->scales, &scale_hi, &min_hi);
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
        const float d = llm_fp16_to_fp32(block->d) * x[b].d;
        const float dmin = llm_fp16_to_fp32(block->dmin) * x[b].d;
        sum += d * (float)sumi - dmin * (float)summ;
    }
    return sum;
}

static float dot_q6_k_q8_k(const block_q6_k* w, const block_q8_k* x, size_t n)
{
    float sum = 0;
    for (size_t b = 0; b < n / QK_K; ++b) {
        const block_q6_k* block = &w[b];
        const uint8_t* ql = block->ql;
        const uint8_t* qh = block->qh;
        const int8_t* q8 = x[b].qs;
        int32_t sumi = 0;
        for (int half = 0; half < 2; ++half) {
            int32_t part[8] = { 0 };
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
                sumi += block->scales[half * 8 + s] * part[s];
            ql += 64;
            qh += 32;
            q8 += 128;
        }
        sum += llm_fp16_to_fp32(block->d) * x[b].d * (float)sumi;
    }
    return sum;
}

void fluid_llm_matvec_f32(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                          size_t row_begin, size_t row_end)
{
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = dot_f32((const float*)(rows + r * row_bytes), (const float*)x, cols);
}

void fluid_llm_matvec_f16(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                          size_t row_begin, size_t row_end)
{
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = dot_f16((const uint16_t*)(rows + r * row_bytes), (const uint16_t*)x, cols);
}

void fluid_llm_matvec_q8_0(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                           size_t row_begin, size_t row_end)
{
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = dot_q8_0_q8_0((const block_q8_0*)(rows + r * row_bytes), (const block_q8_0*)x, cols);
}

void fluid_llm_matvec_q4_0(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                           size_t row_begin, size_t row_end)
{
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = dot_q4_0_q8_0((const block_q4_0*)(rows + r * row_bytes), (const block_q8_0*)x, cols);
}

void fluid_llm_matvec_q4_k(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                           size_t row_begin, size_t row_end)
{
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = dot_q4_k_q8_k((const block_q4_k*)(rows + r * row_bytes), (const block_q8_k*)x, cols);
}

void fluid_llm_matvec_q6_k(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out,
                           size_t row_begin, size_t row_end)
{
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = dot_q6_k_q8_k((const block_q6_k*)(rows + r * row_bytes), (const block_q8_k*)x, cols);
}

/* ggml's rms_norm then mul: the sum in double, the scale in float. */
void fluid_llm_rms_norm(const float* x, const float* weight, float* out, size_t n, float epsilon)
{
    double sum = 0;
    for (size_t i = 0; i < n; ++i)
        sum += (double)(x[i] * x[i]);
    const float mean = (float)(sum / (double)n);
    const float scale = 1.0f / __builtin_sqrtf(mean + epsilon);
    for (size_t i = 0; i < n; ++i)
        out[i] = (x[i] * scale) * weight[i];
}

/* Rope mode NORM: adjacent pairs (2i, 2i+1) rotated by theta_i. */
void fluid_llm_rope(float* vector, uint32_t heads, uint32_t head_dim, uint32_t pairs, const float* cos,
                    const float* sin)
{
    for (uint32_t h = 0; h < heads; ++h) {
        float* head = vector + (size_t)h * head_dim;
        for (uint32_t i = 0; i < pairs; ++i) {
            const float x0 = head[2 * i];
            const float x1 = head[2 * i + 1];
            head[2 * i] = x0 * cos[i] - x1 * sin[i];
            head[2 * i + 1] = x0 * sin[i] + x1 * cos[i];
        }
    }
}

/* ggml_vec_swiglu_f32 */
void fluid_llm_silu_mul(float* gate, const float* up, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        const float g = gate[i];
        gate[i] = g / (1.0f + expf(-g)) * up[i];
    }
}

void fluid_llm_attention_head(const float* q, const uint16_t* keys, const uint16_t* values, size_t stride,
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
    for (uint32_t p = 0; p < positions; ++p) {
        const uint16_t* v = values + p * stride;
        for (uint32_t i = 0; i < head_dim; ++i)
            out[i] = fused(scores[p], llm_fp16_to_fp32(v[i]), out[i]);
    }
}
