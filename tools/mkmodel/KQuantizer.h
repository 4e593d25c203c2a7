// Straightforward Q4_K and Q6_K quantisers for generated models. They are
// not llama.cpp's error-minimising ones (make_qkx2_quants and friends): a
// generated model only needs valid blocks in ggml's layout, which both
// engines then read the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fluid::mkmodel {

// `values.size()` must be a multiple of 256.
std::vector<uint8_t> quantize_q4_k(const std::vector<float>& values);
std::vector<uint8_t> quantize_q6_k(const std::vector<float>& values);

} // namespace fluid::mkmodel
