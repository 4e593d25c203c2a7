// The Llama forward pass, following llama.cpp's graph for LLM_ARCH_LLAMA
// op by op: embedding, then per layer RMSNorm, Q/K/V, RoPE (mode NORM:
// adjacent pairs), grouped-query attention over the F16 KV cache, output
// projection and residual, RMSNorm, SwiGLU and residual; then the output
// norm and head. Matrix rows and attention heads fan out over the
// executor.
//
// Tokens go through in batches of up to max_batch (a prompt): each weight
// row is then read from memory once for the whole batch, which is what
// makes prompt processing faster than generation. Every token still gets
// exactly the dot products it would get alone, so batching never changes
// the numbers.
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "kernel/lib/ParallelExecutor.h"
#include "llm/Activation.h"
#include "llm/ComputeKernels.h"
#include "llm/KvCache.h"
#include "llm/LlamaModel.h"

#include <cstddef>
#include <vector>

namespace fluid::llm {

class Transformer {
public:
    static constexpr uint32_t max_batch = 16;

    // `context` positions of KV cache (at most the model's own context).
    static ErrorOr<Transformer> create(const LlamaModel& model, uint32_t context);

    uint32_t context() const { return m_cache.context(); }

    // The kernels the forward pass calls (ComputeKernels::native() unless
    // set; e.g. JIT-compiled ones). Must be complete() and outlive this.
    void set_kernels(const ComputeKernels& kernels) { m_kernels = &kernels; }
    const ComputeKernels& kernels() const { return *m_kernels; }
    const KvCache& cache() const { return m_cache; }

    // Runs `count` tokens at positions pos, pos + 1, ...; positions must
    // come in order from 0. Returns the logits after the last token, valid
    // until the next call.
    ErrorOr<const float*> forward(ParallelExecutor& executor, const uint32_t* tokens, size_t count, uint32_t pos);
    ErrorOr<const float*> forward(ParallelExecutor& executor, uint32_t token, uint32_t pos)
    {
        return forward(executor, &token, 1, pos);
    }

private:
    struct Projection {
        const WeightMatrix* matrix;
        float* out; // row t of the batch at out + t * stride
        size_t stride;
    };

    void step(ParallelExecutor& executor, const uint32_t* tokens, uint32_t count, uint32_t pos);
    void attention(ParallelExecutor& executor, uint32_t layer, uint32_t count, uint32_t pos);
    // Several matrices over the same inputs (one per batch token) as a
    // single parallel_for, so the cores meet once per group (Q/K/V,
    // gate/up) instead of once per matrix.
    void project(ParallelExecutor& executor, const float* input, size_t input_stride, uint32_t count,
                 const Projection* projections, size_t projection_count);

    const LlamaModel* m_model { nullptr };
    const ComputeKernels* m_kernels { &ComputeKernels::native() };
    KvCache m_cache;
    // Batch buffers: row t belongs to the t-th token of the batch.
    std::vector<float> m_x;      // the residual stream
    std::vector<float> m_normed; // input of the current block
    std::vector<float> m_q, m_k, m_v;
    std::vector<float> m_attention_out;
    std::vector<float> m_scores; // (token, head) x context
    std::vector<float> m_projected;
    std::vector<float> m_gate, m_up;
    std::vector<float> m_logits;
    std::vector<float> m_rope_cos, m_rope_sin; // token x rope_dims / 2
    std::vector<Activation> m_activations;     // one per batch token
};

} // namespace fluid::llm
