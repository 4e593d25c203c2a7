// The Llama forward pass for one token at a time, following llama.cpp's
// graph for LLM_ARCH_LLAMA op by op: embedding, then per layer RMSNorm,
// Q/K/V, RoPE (mode NORM: adjacent pairs), grouped-query attention over the
// F16 KV cache, output projection and residual, RMSNorm, SwiGLU and
// residual; then the output norm and head. Matrix rows and attention heads
// fan out over the executor.
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "kernel/lib/ParallelExecutor.h"
#include "llm/Activation.h"
#include "llm/KvCache.h"
#include "llm/LlamaModel.h"

#include <cstddef>
#include <vector>

namespace fluid::llm {

class Transformer {
public:
    // `context` positions of KV cache (at most the model's own context).
    static ErrorOr<Transformer> create(const LlamaModel& model, uint32_t context);

    uint32_t context() const { return m_cache.context(); }
    const KvCache& cache() const { return m_cache; }

    // Runs `token` at position `pos`; positions must come in order from 0.
    // Returns the logits over the vocabulary, valid until the next call.
    ErrorOr<const float*> forward(ParallelExecutor& executor, uint32_t token, uint32_t pos);

private:
    void attention(ParallelExecutor& executor, uint32_t layer, uint32_t pos);
    void rope(float* vector, uint32_t heads, uint32_t pos) const;
    void project(ParallelExecutor& executor, const WeightMatrix& matrix, const float* input, float* out);
    struct Projection {
        const WeightMatrix* matrix;
        float* out;
    };
    // Several matrices over one input as a single parallel_for, so the
    // cores meet once instead of once per matrix (Q/K/V, gate/up).
    void project_together(ParallelExecutor& executor, const float* input, const Projection* projections, size_t count);

    const LlamaModel* m_model { nullptr };
    KvCache m_cache;
    std::vector<float> m_x;      // the residual stream
    std::vector<float> m_normed; // input of the current block
    std::vector<float> m_q, m_k, m_v;
    std::vector<float> m_attention_out;
    std::vector<float> m_scores; // heads x context
    std::vector<float> m_projected;
    std::vector<float> m_gate, m_up;
    std::vector<float> m_logits;
    std::vector<float> m_rope_cos, m_rope_sin;
    Activation m_activation;
};

} // namespace fluid::llm
