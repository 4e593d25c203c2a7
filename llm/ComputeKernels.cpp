#include "llm/ComputeKernels.h"

#include "llm/Fp16.h"
#include "llm/VecDot.h"

#include <cmath>
#include <cstring>

namespace fluid::llm {

namespace {

template<typename W, typename X, float (*Dot)(const W*, const X*, size_t)>
void matvec(const uint8_t* rows, size_t row_bytes, const void* x, size_t cols, float* out, size_t row_begin,
            size_t row_end)
{
    const X* operand = static_cast<const X*>(x);
    for (size_t r = row_begin; r < row_end; ++r)
        out[r] = Dot(reinterpret_cast<const W*>(rows + r * row_bytes), operand, cols);
}

// ggml_compute_forward_rms_norm_f32 followed by ggml_mul with the weight:
// the sum in double, the scale in float, and two separate products.
void rms_norm(const float* x, const float* weight, float* out, size_t n, float epsilon)
{
    double sum = 0;
    for (size_t i = 0; i < n; ++i)
        sum += static_cast<double>(x[i] * x[i]);
    const float mean = static_cast<float>(sum / static_cast<double>(n));
    const float scale = 1.0f / std::sqrt(mean + epsilon);
    for (size_t i = 0; i < n; ++i)
        out[i] = (x[i] * scale) * weight[i];
}

// Rope mode NORM: each adjacent pair (2i, 2i+1) rotated by theta_i.
void rope(float* vector, uint32_t heads, uint32_t head_dim, uint32_t pairs, const float* cos, const float* sin)
{
    for (uint32_t h = 0; h < heads; ++h) {
        float* head = vector + static_cast<size_t>(h) * head_dim;
        for (uint32_t i = 0; i < pairs; ++i) {
            const float x0 = head[2 * i];
            const float x1 = head[2 * i + 1];
            head[2 * i] = x0 * cos[i] - x1 * sin[i];
            head[2 * i + 1] = x0 * sin[i] + x1 * cos[i];
        }
    }
}

void silu_mul(float* gate, const float* up, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        const float g = gate[i];
        gate[i] = g / (1.0f + std::exp(-g)) * up[i]; // ggml_vec_swiglu_f32
    }
}

void attention_head(const float* q, const uint16_t* keys, const uint16_t* values, size_t stride,
                    uint32_t positions, uint32_t head_dim, float scale, float* scores, float* out)
{
    // ggml's KQ product converts Q to F16 to meet the F16 keys.
    uint16_t q16[1024];
    for (uint32_t i = 0; i < head_dim; ++i)
        q16[i] = fp32_to_fp16(q[i]);
    float max = -INFINITY;
    for (uint32_t p = 0; p < positions; ++p) {
        scores[p] = dot_f16(keys + p * stride, q16, head_dim) * scale;
        max = std::fmax(max, scores[p]);
    }
    double sum = 0;
    for (uint32_t p = 0; p < positions; ++p) {
        scores[p] = std::exp(scores[p] - max);
        sum += scores[p];
    }
    const float inverse = static_cast<float>(1.0 / sum);
    for (uint32_t p = 0; p < positions; ++p)
        scores[p] = round_to_fp16(scores[p] * inverse); // KQV converts the weights to F16 too
    for (uint32_t i = 0; i < head_dim; ++i)
        out[i] = 0;
    for (uint32_t p = 0; p < positions; ++p)
        axpy_f16(scores[p], values + p * stride, out, head_dim);
}

const ComputeKernels s_native = {
    matvec<float, float, dot_f32>,
    matvec<uint16_t, uint16_t, dot_f16>,
    matvec<BlockQ8_0, BlockQ8_0, dot_q8_0_q8_0>,
    matvec<BlockQ4_0, BlockQ8_0, dot_q4_0_q8_0>,
    matvec<BlockQ4_K, BlockQ8_K, dot_q4_k_q8_k>,
    matvec<BlockQ6_K, BlockQ8_K, dot_q6_k_q8_k>,
    rms_norm,
    rope,
    silu_mul,
    attention_head,
};

} // namespace

const char* const compute_kernel_symbols[] = {
    "fluid_llm_matvec_f32", "fluid_llm_matvec_f16", "fluid_llm_matvec_q8_0", "fluid_llm_matvec_q4_0",
    "fluid_llm_matvec_q4_k", "fluid_llm_matvec_q6_k", "fluid_llm_rms_norm", "fluid_llm_rope",
    "fluid_llm_silu_mul", "fluid_llm_attention_head",
};
const size_t compute_kernel_count = sizeof(compute_kernel_symbols) / sizeof(compute_kernel_symbols[0]);

const ComputeKernels& ComputeKernels::native()
{
    return s_native;
}

MatvecKernel ComputeKernels::matvec(GgmlType weight_type) const
{
    switch (weight_type) {
    case GgmlType::F32: return matvec_f32;
    case GgmlType::F16: return matvec_f16;
    case GgmlType::Q8_0: return matvec_q8_0;
    case GgmlType::Q4_0: return matvec_q4_0;
    case GgmlType::Q4_K: return matvec_q4_k;
    case GgmlType::Q6_K: return matvec_q6_k;
    default: return nullptr;
    }
}

bool ComputeKernels::complete() const
{
    return matvec_f32 && matvec_f16 && matvec_q8_0 && matvec_q4_0 && matvec_q4_k && matvec_q6_k && rms_norm
        && rope && silu_mul && attention_head;
}

bool assign_compute_kernel(ComputeKernels& kernels, const char* symbol, uint64_t address)
{
    // Function pointers and addresses have the same size on every target
    // Fluid builds for; memcpy keeps the conversion well defined.
    void* entries[] = { &kernels.matvec_f32, &kernels.matvec_f16, &kernels.matvec_q8_0, &kernels.matvec_q4_0,
                        &kernels.matvec_q4_k, &kernels.matvec_q6_k, &kernels.rms_norm,   &kernels.rope,
                        &kernels.silu_mul,    &kernels.attention_head };
    static_assert(sizeof(entries) / sizeof(entries[0]) == sizeof(compute_kernel_symbols) / sizeof(char*));
    static_assert(sizeof(MatvecKernel) == sizeof(uint64_t));
    for (size_t i = 0; i < compute_kernel_count; ++i) {
        if (strcmp(symbol, compute_kernel_symbols[i]) == 0) {
            memcpy(entries[i], &address, sizeof(address));
            return true;
        }
    }
    return false;
}

} // namespace fluid::llm
