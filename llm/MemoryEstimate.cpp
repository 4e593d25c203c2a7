#include "llm/MemoryEstimate.h"

#include "llm/Transformer.h"

namespace fluid::llm {

MemoryEstimate MemoryEstimate::of(const LlamaConfig& c, uint64_t file_bytes, uint32_t context)
{
    MemoryEstimate e;
    e.file_bytes = file_bytes;
    // Keys and values, F16, every layer (KvCache::allocate).
    e.kv_cache_bytes = 2ull * c.layers * context * c.kv_dim() * sizeof(uint16_t);

    // Transformer::create: float rows per batch token, plus the logits.
    const uint64_t b = Transformer::max_batch;
    uint64_t floats = b * (3ull * c.dim + 2ull * c.q_dim() + 2ull * c.kv_dim() + uint64_t(c.heads) * context
                           + 2ull * c.ffn_dim + c.rope_dims)
        + c.vocab_size;
    // Activations: per batch token, the widest input (the FFN) converted
    // to F16 or to 8-bit blocks: at most 2 bytes a value, twice over.
    const uint64_t widest = c.ffn_dim > c.dim ? c.ffn_dim : c.dim;
    uint64_t activations = b * widest * 2 * 2;
    // Vocabulary (piece view, score, type, sorted index) and the sampler's
    // candidates (id, value).
    uint64_t vocabulary = uint64_t(c.vocab_size) * (16 + 4 + 4 + 4 + 8);
    // Norm vectors copied out of the file: two per layer and the output's.
    uint64_t norms = (2ull * c.layers + 1) * c.dim * sizeof(float);
    e.buffer_bytes = floats * sizeof(float) + activations + vocabulary + norms + (1ull << 20);
    return e;
}

} // namespace fluid::llm
