// A tensor described by a GGUF file. `dims[0]` is the contiguous dimension
// (ggml's ne0): a weight matrix with dims {cols, rows} holds `rows` rows of
// `cols` elements each. The data pointer is into the file's bytes and has
// been checked to lie inside them.
#pragma once

#include "llm/GgufTypes.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fluid::llm {

constexpr uint32_t gguf_max_dims = 4;

struct GgufTensor {
    std::string_view name;
    uint32_t n_dims { 0 };
    uint64_t dims[gguf_max_dims] { 1, 1, 1, 1 };
    GgmlType type { GgmlType::F32 };
    uint64_t offset { 0 };  // relative to the start of the data section
    uint64_t elements { 0 };
    uint64_t bytes { 0 };
    const uint8_t* data { nullptr };

    uint64_t rows() const { return elements / (dims[0] ? dims[0] : 1); }
    // Bytes of one row of dims[0] elements.
    uint64_t row_bytes() const { return rows() ? bytes / rows() : 0; }
};

} // namespace fluid::llm
