#include "llm/Transformer.h"

#include "llm/Fp16.h"
#include "llm/VecDot.h"

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
    t.m_x.resize(c.dim);
    t.m_normed.resize(c.dim);
    t.m_q.resize(c.q_dim());
    t.m_k.resize(c.kv_dim());
    t.m_v.resize(c.kv_dim());
    t.m_attention_out.resize(c.q_dim());
    t.m_scores.resize(static_cast<size_t>(c.heads) * context);
    t.m_projected.resize(c.dim);
    t.m_gate.resize(c.ffn_dim);
    t.m_up.resize(c.ffn_dim);
    t.m_logits.resize(c.vocab_size);
    t.m_rope_cos.resize(c.rope_dims / 2);
    t.m_rope_sin.resize(c.rope_dims / 2);
    return t;
}

// ggml_compute_forward_rms_norm_f32 followed by ggml_mul with the weight:
// the sum in double, the scale in float, and two separate products.
static void rms_norm(const float* x, const float* weight, float* out, size_t n, float epsilon)
{
    double sum = 0;
    for (size_t i = 0; i < n; ++i)
        sum += static_cast<double>(x[i] * x[i]);
    const float mean = static_cast<float>(sum / static_cast<double>(n));
    const float scale = 1.0f / std::sqrt(mean + epsilon);
    for (size_t i = 0; i < n; ++i)
        out[i] = (x[i] * scale) * weight[i];
}

// llama.cpp's rope cache for rope mode NORM without scaling: theta starts
// at the position and is multiplied by base^(-2/n_dims) per pair, in float.
void Transformer::rope(float* vector, uint32_t heads, uint32_t pos) const
{
    const LlamaConfig& c = m_model->config();
    for (uint32_t h = 0; h < heads; ++h) {
        float* head = vector + static_cast<size_t>(h) * c.head_dim;
        for (uint32_t i = 0; i < c.rope_dims / 2; ++i) {
            const float x0 = head[2 * i];
            const float x1 = head[2 * i + 1];
            head[2 * i] = x0 * m_rope_cos[i] - x1 * m_rope_sin[i];
            head[2 * i + 1] = x0 * m_rope_sin[i] + x1 * m_rope_cos[i];
        }
    }
}

void Transformer::attention(ParallelExecutor& executor, uint32_t layer, uint32_t pos)
{
    const LlamaConfig& c = m_model->config();
    const uint32_t group = c.heads / c.kv_heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(c.head_dim));
    parallel_for(executor, 0, c.heads, 1, [&](size_t begin, size_t end) {
        uint16_t q16[1024];
        for (size_t h = begin; h < end; ++h) {
            const uint32_t kv_head = static_cast<uint32_t>(h) / group;
            // ggml's KQ product converts Q to F16 to meet the F16 keys.
            const float* q = m_q.data() + h * c.head_dim;
            for (uint32_t i = 0; i < c.head_dim; ++i)
                q16[i] = fp32_to_fp16(q[i]);
            float* scores = m_scores.data() + h * m_cache.context();
            float max = -INFINITY;
            for (uint32_t t = 0; t <= pos; ++t) {
                const uint16_t* k = m_cache.key(layer, t) + kv_head * c.head_dim;
                scores[t] = dot_f16(k, q16, c.head_dim) * scale;
                max = std::fmax(max, scores[t]);
            }
            double sum = 0;
            for (uint32_t t = 0; t <= pos; ++t) {
                scores[t] = std::exp(scores[t] - max);
                sum += scores[t];
            }
            const float inverse = static_cast<float>(1.0 / sum);
            for (uint32_t t = 0; t <= pos; ++t)
                scores[t] = round_to_fp16(scores[t] * inverse); // KQV converts the weights to F16 too
            float* out = m_attention_out.data() + h * c.head_dim;
            for (uint32_t i = 0; i < c.head_dim; ++i)
                out[i] = 0;
            for (uint32_t t = 0; t <= pos; ++t)
                axpy_f16(scores[t], m_cache.value(layer, t) + kv_head * c.head_dim, out, c.head_dim);
        }
    });
}

// Converts the input for the matrix's dot product (a no-op when the last
// conversion of this input already suits it) and multiplies.
void Transformer::project(ParallelExecutor& executor, const WeightMatrix& matrix, const float* input, float* out)
{
    m_activation.prepare(input, matrix.cols(), matrix.type());
    matrix.multiply(executor, m_activation, out);
}

void Transformer::project_together(ParallelExecutor& executor, const float* input, const Projection* projections,
                                   size_t count)
{
    size_t total = 0;
    for (size_t i = 0; i < count; ++i) {
        if (Activation::operand_type(projections[i].matrix->type()) != Activation::operand_type(projections[0].matrix->type())
            || projections[i].matrix->cols() != projections[0].matrix->cols()) {
            for (size_t j = 0; j < count; ++j)
                project(executor, *projections[j].matrix, input, projections[j].out);
            return;
        }
        total += projections[i].matrix->rows();
    }
    m_activation.prepare(input, projections[0].matrix->cols(), projections[0].matrix->type());
    parallel_for(executor, 0, total, 16, [&](size_t begin, size_t end) {
        size_t first_row = 0;
        for (size_t i = 0; i < count; ++i) {
            const WeightMatrix& matrix = *projections[i].matrix;
            const size_t lo = begin > first_row ? begin - first_row : 0;
            const size_t hi = end - first_row < matrix.rows() ? end - first_row : matrix.rows();
            if (end > first_row && lo < hi)
                matrix.multiply_rows(m_activation, projections[i].out, lo, hi);
            first_row += matrix.rows();
        }
    });
}

ErrorOr<const float*> Transformer::forward(ParallelExecutor& executor, uint32_t token, uint32_t pos)
{
    const LlamaConfig& c = m_model->config();
    if (token >= c.vocab_size)
        return Error::format(ErrorCode::Invalid, "model: token %u outside the vocabulary of %u", token, c.vocab_size);
    if (pos >= m_cache.context())
        return Error::format(ErrorCode::Invalid, "model: position %u beyond the context of %u", pos, m_cache.context());

    m_model->token_embedding().dequantize_row_to(token, m_x.data());

    const float theta_scale = std::pow(c.rope_freq_base, -2.0f / static_cast<float>(c.rope_dims));
    float theta = static_cast<float>(pos);
    for (uint32_t i = 0; i < c.rope_dims / 2; ++i) {
        m_rope_cos[i] = std::cos(theta);
        m_rope_sin[i] = std::sin(theta);
        theta *= theta_scale;
    }

    for (uint32_t l = 0; l < c.layers; ++l) {
        const LlamaLayer& layer = m_model->layers()[l];
        rms_norm(m_x.data(), layer.attn_norm.data(), m_normed.data(), c.dim, c.rms_epsilon);
        m_activation.invalidate();
        const Projection qkv[] = { { &layer.wq, m_q.data() }, { &layer.wk, m_k.data() }, { &layer.wv, m_v.data() } };
        project_together(executor, m_normed.data(), qkv, 3);
        rope(m_q.data(), c.heads, pos);
        rope(m_k.data(), c.kv_heads, pos);
        uint16_t* key = m_cache.key(l, pos);
        uint16_t* value = m_cache.value(l, pos);
        for (uint32_t i = 0; i < c.kv_dim(); ++i) {
            key[i] = fp32_to_fp16(m_k[i]);
            value[i] = fp32_to_fp16(m_v[i]);
        }
        attention(executor, l, pos);
        m_activation.invalidate();
        project(executor, layer.wo, m_attention_out.data(), m_projected.data());
        for (uint32_t i = 0; i < c.dim; ++i)
            m_x[i] += m_projected[i];

        rms_norm(m_x.data(), layer.ffn_norm.data(), m_normed.data(), c.dim, c.rms_epsilon);
        m_activation.invalidate();
        const Projection gate_up[] = { { &layer.gate, m_gate.data() }, { &layer.up, m_up.data() } };
        project_together(executor, m_normed.data(), gate_up, 2);
        for (uint32_t i = 0; i < c.ffn_dim; ++i) {
            const float g = m_gate[i];
            m_gate[i] = g / (1.0f + std::exp(-g)) * m_up[i]; // ggml_vec_swiglu_f32
        }
        m_activation.invalidate();
        project(executor, layer.down, m_gate.data(), m_projected.data());
        for (uint32_t i = 0; i < c.dim; ++i)
            m_x[i] += m_projected[i];
    }

    rms_norm(m_x.data(), m_model->output_norm().data(), m_normed.data(), c.dim, c.rms_epsilon);
    m_activation.invalidate();
    project(executor, m_model->output(), m_normed.data(), m_logits.data());
    return m_logits.data();
}

} // namespace fluid::llm
