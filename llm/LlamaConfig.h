// The hyperparameters of a Llama-architecture GGUF file, read from the
// "llama.*" metadata keys llama.cpp uses, with its defaults for the
// optional ones, and checked for consistency.
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "llm/GgufFile.h"

#include <cstddef>
#include <cstdint>

namespace fluid::llm {

struct LlamaConfig {
    uint32_t context_length { 0 }; // what the model was trained for
    uint32_t dim { 0 };
    uint32_t layers { 0 };
    uint32_t ffn_dim { 0 };
    uint32_t heads { 0 };
    uint32_t kv_heads { 0 };
    uint32_t head_dim { 0 };
    uint32_t rope_dims { 0 };
    float rope_freq_base { 10000.0f };
    float rms_epsilon { 1e-5f };
    uint32_t vocab_size { 0 };

    uint32_t kv_dim() const { return kv_heads * head_dim; }
    uint32_t q_dim() const { return heads * head_dim; }

    static ErrorOr<LlamaConfig> from_gguf(const GgufFile& file);
};

} // namespace fluid::llm
