// What running a model costs in memory, known before its weights are read:
// the file (read whole, weights used in place), the F16 KV cache for the
// context asked for, and the working buffers of Transformer (batch rows),
// Vocabulary, LlamaModel (norm vectors) and Sampler. Used to refuse a model
// too big for RAM before loading it, with the numbers.
#pragma once

#include "llm/LlamaConfig.h"

#include <cstdint>

namespace fluid::llm {

struct MemoryEstimate {
    uint64_t file_bytes { 0 };
    uint64_t kv_cache_bytes { 0 };
    uint64_t buffer_bytes { 0 };

    uint64_t total() const { return file_bytes + kv_cache_bytes + buffer_bytes; }

    // An upper bound for every term (buffers include 1 MiB of slack for
    // allocator rounding); kv_cache_bytes is exactly KvCache::bytes().
    static MemoryEstimate of(const LlamaConfig& config, uint64_t file_bytes, uint32_t context);
};

} // namespace fluid::llm
