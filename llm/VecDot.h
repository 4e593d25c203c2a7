// Dot products of one weight row with a prepared activation vector, one per
// weight type, computed the way llama.cpp's CPU back end does: F16 weights
// meet the activation rounded to F16, Q8_0/Q4_0 weights meet it quantised
// to Q8_0 blocks and multiply integers, scaling once per block of 32.
#pragma once

#include "llm/QuantBlocks.h"

#include <cstddef>
#include <cstdint>

namespace fluid::llm {

// Each dispatches to the AVX2 version when the CPU has it (CpuFeatures.h)
// and to portable code otherwise; both sum the same integers.

float dot_f32(const float* w, const float* x, size_t n);
// Both operands F16 (bit patterns); products are summed in float.
float dot_f16(const uint16_t* w, const uint16_t* x, size_t n);
float dot_q8_0_q8_0(const BlockQ8_0* w, const BlockQ8_0* x, size_t n);
float dot_q4_0_q8_0(const BlockQ4_0* w, const BlockQ8_0* x, size_t n);
// out[i] += a * v[i] with v in F16 (attention's weighted sum of values).
void axpy_f16(float a, const uint16_t* v, float* out, size_t n);
// K-quants against Q8_K activations: integer sums per 256-block, scaled once
// (ggml_vec_dot_q4_K_q8_K, ggml_vec_dot_q6_K_q8_K).
float dot_q4_k_q8_k(const BlockQ4_K* w, const BlockQ8_K* x, size_t n);
float dot_q6_k_q8_k(const BlockQ6_K* w, const BlockQ8_K* x, size_t n);

} // namespace fluid::llm
