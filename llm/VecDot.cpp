#include "llm/VecDot.h"

#include "llm/Fp16.h"

#include <cstring>

namespace fluid::llm {

// Eight independent partial sums: the compiler can keep them in one vector
// register, and the order resembles ggml's SIMD accumulation more than a
// single running sum would.
float dot_f32(const float* w, const float* x, size_t n)
{
    float partial[8] = {};
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (size_t k = 0; k < 8; ++k)
            partial[k] += w[i + k] * x[i + k];
    }
    float sum = 0;
    for (; i < n; ++i)
        sum += w[i] * x[i];
    for (float p : partial)
        sum += p;
    return sum;
}

float dot_f16(const uint16_t* w, const uint16_t* x, size_t n)
{
    float partial[8] = {};
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (size_t k = 0; k < 8; ++k)
            partial[k] += fp16_to_fp32(w[i + k]) * fp16_to_fp32(x[i + k]);
    }
    float sum = 0;
    for (; i < n; ++i)
        sum += fp16_to_fp32(w[i]) * fp16_to_fp32(x[i]);
    for (float p : partial)
        sum += p;
    return sum;
}

float dot_q8_0_q8_0(const BlockQ8_0* w, const BlockQ8_0* x, size_t n)
{
    float sum = 0;
    for (size_t b = 0; b < n / qk8_0; ++b) {
        int32_t sumi = 0;
        for (size_t j = 0; j < qk8_0; ++j)
            sumi += static_cast<int32_t>(w[b].qs[j]) * x[b].qs[j];
        sum += static_cast<float>(sumi) * (fp16_to_fp32(w[b].d) * fp16_to_fp32(x[b].d));
    }
    return sum;
}

float dot_q4_0_q8_0(const BlockQ4_0* w, const BlockQ8_0* x, size_t n)
{
    float sum = 0;
    for (size_t b = 0; b < n / qk4_0; ++b) {
        int32_t sumi = 0;
        for (size_t j = 0; j < qk4_0 / 2; ++j) {
            const int32_t v0 = (w[b].qs[j] & 0x0F) - 8;
            const int32_t v1 = (w[b].qs[j] >> 4) - 8;
            sumi += v0 * x[b].qs[j] + v1 * x[b].qs[j + qk4_0 / 2];
        }
        sum += static_cast<float>(sumi) * (fp16_to_fp32(w[b].d) * fp16_to_fp32(x[b].d));
    }
    return sum;
}

} // namespace fluid::llm
