#include "llm/Transformer.h"

#include "llm/Fp16.h"

#include <cmath>

namespace fluid::llm {

ErrorOr<Transformer> Transformer::create(const LlamaModel& model, uint32_t context)
{
    const LlamaConfig& c = model.config();
    if (context == 0 || context > c.context_length)
        return Error::format(ErrorCode::Invalid, "model: context of %u tokens (the model allows 1..%u)", context,
                             c.context_length);
    if (c.head_dim > 1024) // attention() keeps one head's query on the stack
        return Error::format(ErrorCode::Unsupported, "model: head size %u (at most 1024)", c.head_dim);
    Transformer t;
    t.m_model = &model;
    t.m_cache.allocate(c.layers, context, c.kv_dim());
    const size_t b = max_batch;
    t.m_x.resize(b * c.dim);
    t.m_normed.resize(b * c.dim);
    t.m_q.resize(b * c.q_dim());
    t.m_k.resize(b * c.kv_dim());
    t.m_v.resize(b * c.kv_dim());
    t.m_attention_out.resize(b * c.q_dim());
    t.m_scores.resize(b * c.heads * context);
    t.m_projected.resize(b * c.dim);
    t.m_gate.resize(b * c.ffn_dim);
    t.m_up.resize(b * c.ffn_dim);
    t.m_logits.resize(c.vocab_size);
    t.m_rope_cos.resize(b * (c.rope_dims / 2));
    t.m_rope_sin.resize(b * (c.rope_dims / 2));
    t.m_activations.resize(b);
    return t;
}

// The table's entries may be JIT-compiled code, which has no UBSan
// function-signature word in front of it.
[[clang::no_sanitize("function")]] static void call_attention(AttentionHeadKernel kernel, const float* q,
                                                              const uint16_t* keys, const uint16_t* values,
                                                              size_t stride, uint32_t positions, uint32_t head_dim,
                                                              float scale, float* scores, float* out)
{
    kernel(q, keys, values, stride, positions, head_dim, scale, scores, out);
}

void Transformer::attention(ParallelExecutor& executor, uint32_t layer, uint32_t count, uint32_t pos)
{
    const LlamaConfig& c = m_model->config();
    const uint32_t group = c.heads / c.kv_heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(c.head_dim));
    // One item per (token, head); token t sees positions 0..pos + t.
    const AttentionHeadKernel kernel = m_kernels->attention_head;
    parallel_for(executor, 0, static_cast<size_t>(count) * c.heads, 1, [&](size_t begin, size_t end) {
        for (size_t item = begin; item < end; ++item) {
            const size_t t = item / c.heads, h = item % c.heads;
            const size_t kv_offset = static_cast<size_t>(h / group) * c.head_dim;
            call_attention(kernel, m_q.data() + t * c.q_dim() + h * c.head_dim, m_cache.key(layer, 0) + kv_offset,
                           m_cache.value(layer, 0) + kv_offset, c.kv_dim(), pos + static_cast<uint32_t>(t) + 1,
                           c.head_dim, scale, m_scores.data() + item * m_cache.context(),
                           m_attention_out.data() + t * c.q_dim() + h * c.head_dim);
        }
    });
}

void Transformer::project(ParallelExecutor& executor, const float* input, size_t input_stride, uint32_t count,
                          const Projection* projections, size_t projection_count)
{
    // Matrices whose dot products want different operand types (a mixed
    // K-quant file can have them) or widths go one at a time.
    for (size_t i = 1; i < projection_count; ++i) {
        const WeightMatrix& a = *projections[0].matrix;
        const WeightMatrix& b = *projections[i].matrix;
        if (Activation::operand_type(a.type()) != Activation::operand_type(b.type()) || a.cols() != b.cols()) {
            for (size_t j = 0; j < projection_count; ++j)
                project(executor, input, input_stride, count, projections + j, 1);
            return;
        }
    }
    const WeightMatrix& first = *projections[0].matrix;
    size_t total = 0;
    for (size_t i = 0; i < projection_count; ++i)
        total += projections[i].matrix->rows();
    for (uint32_t t = 0; t < count; ++t)
        m_activations[t].prepare(input + t * input_stride, first.cols(), first.type());
    parallel_for(executor, 0, total, 16, [&](size_t begin, size_t end) {
        size_t first_row = 0;
        for (size_t i = 0; i < projection_count; ++i) {
            const Projection& p = projections[i];
            const size_t rows = p.matrix->rows();
            const size_t lo = begin > first_row ? begin - first_row : 0;
            const size_t hi = end > first_row ? (end - first_row < rows ? end - first_row : rows) : 0;
            if (lo < hi)
                p.matrix->multiply_rows_batch(*m_kernels, m_activations.data(), count, p.out, p.stride, lo, hi);
            first_row += rows;
        }
    });
}

ErrorOr<const float*> Transformer::forward(ParallelExecutor& executor, const uint32_t* tokens, size_t count,
                                           uint32_t pos)
{
    const LlamaConfig& c = m_model->config();
    if (count == 0)
        return Error::from(ErrorCode::Invalid, "model: no tokens to run");
    for (size_t i = 0; i < count; ++i) {
        if (tokens[i] >= c.vocab_size)
            return Error::format(ErrorCode::Invalid, "model: token %u outside the vocabulary of %u", tokens[i],
                                 c.vocab_size);
    }
    if (pos >= m_cache.context() || count > m_cache.context() - pos)
        return Error::format(ErrorCode::Invalid, "model: position %zu beyond the context of %u", pos + count - 1,
                             m_cache.context());
    for (size_t done = 0; done < count;) {
        const uint32_t n = static_cast<uint32_t>(count - done < max_batch ? count - done : max_batch);
        step(executor, tokens + done, n, pos + static_cast<uint32_t>(done));
        done += n;
    }
    return m_logits.data();
}

// Calls through the kernel table, which may hold JIT-compiled code (no
// UBSan function-signature word in front of it).
[[clang::no_sanitize("function")]] void Transformer::step(ParallelExecutor& executor, const uint32_t* tokens, uint32_t count, uint32_t pos)
{
    const LlamaConfig& c = m_model->config();
    const uint32_t pairs = c.rope_dims / 2;
    for (uint32_t t = 0; t < count; ++t) {
        m_model->token_embedding().dequantize_row_to(tokens[t], m_x.data() + t * c.dim);
        // llama.cpp's rope cache: theta starts at the position and is
        // multiplied by base^(-2/n_dims) per pair, in float.
        const float theta_scale = std::pow(c.rope_freq_base, -2.0f / static_cast<float>(c.rope_dims));
        float theta = static_cast<float>(pos + t);
        for (uint32_t i = 0; i < pairs; ++i) {
            m_rope_cos[t * pairs + i] = std::cos(theta);
            m_rope_sin[t * pairs + i] = std::sin(theta);
            theta *= theta_scale;
        }
    }

    auto norm_all = [&](const std::vector<float>& weight) {
        for (uint32_t t = 0; t < count; ++t) {
            m_kernels->rms_norm(m_x.data() + t * c.dim, weight.data(), m_normed.data() + t * c.dim, c.dim,
                                c.rms_epsilon);
            m_activations[t].invalidate();
        }
    };
    auto add_projected = [&] {
        for (size_t i = 0; i < static_cast<size_t>(count) * c.dim; ++i)
            m_x[i] += m_projected[i];
    };

    for (uint32_t l = 0; l < c.layers; ++l) {
        const LlamaLayer& layer = m_model->layers()[l];
        norm_all(layer.attn_norm);
        const Projection qkv[] = { { &layer.wq, m_q.data(), c.q_dim() },
                                   { &layer.wk, m_k.data(), c.kv_dim() },
                                   { &layer.wv, m_v.data(), c.kv_dim() } };
        project(executor, m_normed.data(), c.dim, count, qkv, 3);
        for (uint32_t t = 0; t < count; ++t) {
            const float* cos = m_rope_cos.data() + t * pairs;
            const float* sin = m_rope_sin.data() + t * pairs;
            m_kernels->rope(m_q.data() + t * c.q_dim(), c.heads, c.head_dim, pairs, cos, sin);
            m_kernels->rope(m_k.data() + t * c.kv_dim(), c.kv_heads, c.head_dim, pairs, cos, sin);
            uint16_t* key = m_cache.key(l, pos + t);
            uint16_t* value = m_cache.value(l, pos + t);
            for (uint32_t i = 0; i < c.kv_dim(); ++i) {
                key[i] = fp32_to_fp16(m_k[t * c.kv_dim() + i]);
                value[i] = fp32_to_fp16(m_v[t * c.kv_dim() + i]);
            }
        }
        attention(executor, l, count, pos);
        for (uint32_t t = 0; t < count; ++t)
            m_activations[t].invalidate();
        const Projection output[] = { { &layer.wo, m_projected.data(), c.dim } };
        project(executor, m_attention_out.data(), c.q_dim(), count, output, 1);
        add_projected();

        norm_all(layer.ffn_norm);
        const Projection gate_up[] = { { &layer.gate, m_gate.data(), c.ffn_dim }, { &layer.up, m_up.data(), c.ffn_dim } };
        project(executor, m_normed.data(), c.dim, count, gate_up, 2);
        m_kernels->silu_mul(m_gate.data(), m_up.data(), static_cast<size_t>(count) * c.ffn_dim);
        for (uint32_t t = 0; t < count; ++t)
            m_activations[t].invalidate();
        const Projection down[] = { { &layer.down, m_projected.data(), c.dim } };
        project(executor, m_gate.data(), c.ffn_dim, count, down, 1);
        add_projected();
    }

    // Only the last token's logits are wanted (llama.cpp's inp_out_ids).
    const float* last = m_x.data() + static_cast<size_t>(count - 1) * c.dim;
    m_kernels->rms_norm(last, m_model->output_norm().data(), m_normed.data(), c.dim, c.rms_epsilon);
    m_activations[0].invalidate();
    const Projection head[] = { { &m_model->output(), m_logits.data(), 0 } };
    project(executor, m_normed.data(), c.dim, 1, head, 1);
}

} // namespace fluid::llm
