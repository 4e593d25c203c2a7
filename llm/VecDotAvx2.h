// AVX2/FMA/F16C versions of the hot dot products, accumulating the way
// ggml's AVX2 code does (eight float lanes, one FMA per 32-block, a
// horizontal sum at the end). Call only when cpu_has_avx2().
#pragma once

#include "llm/QuantBlocks.h"

#include <cstddef>
#include <cstdint>

namespace fluid::llm::avx2 {

float dot_f32(const float* w, const float* x, size_t n);
float dot_f16(const uint16_t* w, const uint16_t* x, size_t n);
float dot_q8_0_q8_0(const BlockQ8_0* w, const BlockQ8_0* x, size_t n);
float dot_q4_0_q8_0(const BlockQ4_0* w, const BlockQ8_0* x, size_t n);
// The same two with AVX-VNNI (call only when cpu_has_avx_vnni()).
float dot_q8_0_q8_0_vnni(const BlockQ8_0* w, const BlockQ8_0* x, size_t n);
float dot_q4_0_q8_0_vnni(const BlockQ4_0* w, const BlockQ8_0* x, size_t n);
// out[i] += a * v[i], v in F16.
void axpy_f16(float a, const uint16_t* v, float* out, size_t n);

} // namespace fluid::llm::avx2
