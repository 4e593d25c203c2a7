#include "llm/LlamaModel.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace fluid::llm {

static ErrorOr<const GgufTensor*> need_tensor(const GgufFile& file, const char* name)
{
    auto* tensor = file.find_tensor(name);
    if (!tensor)
        return Error::format(ErrorCode::NotFound, "model: no tensor '%s'", name);
    return tensor;
}

static ErrorOr<WeightMatrix> matrix(const GgufFile& file, const char* name, uint64_t cols, uint64_t rows)
{
    auto* tensor = TRY(need_tensor(file, name));
    return WeightMatrix::from_tensor(*tensor, cols, rows);
}

// Norm weights are F32 in every converter's output; copying them (a few
// KiB) frees the hot loop from alignment and type questions.
static ErrorOr<std::vector<float>> norm_vector(const GgufFile& file, const char* name, uint64_t size)
{
    auto* tensor = TRY(need_tensor(file, name));
    if (tensor->type != GgmlType::F32 || tensor->elements != size || tensor->dims[0] != size) {
        return Error::format(ErrorCode::Invalid, "model: tensor '%s' is %s with %" PRIu64 " elements, want F32 with %" PRIu64,
                             name, ggml_type_name(tensor->type), tensor->elements, size);
    }
    std::vector<float> values(size);
    memcpy(values.data(), tensor->data, size * sizeof(float));
    return values;
}

ErrorOr<LlamaModel> LlamaModel::load(const GgufFile& file)
{
    LlamaModel model;
    model.m_config = TRY(LlamaConfig::from_gguf(file));
    const LlamaConfig& c = model.m_config;
    model.m_token_embedding = TRY(matrix(file, "token_embd.weight", c.dim, c.vocab_size));
    model.m_layers.resize(c.layers);
    char name[64];
    for (uint32_t i = 0; i < c.layers; ++i) {
        LlamaLayer& layer = model.m_layers[i];
        auto tensor_name = [&](const char* suffix) {
            snprintf(name, sizeof(name), "blk.%u.%s.weight", i, suffix);
            return name;
        };
        layer.attn_norm = TRY(norm_vector(file, tensor_name("attn_norm"), c.dim));
        layer.wq = TRY(matrix(file, tensor_name("attn_q"), c.dim, c.q_dim()));
        layer.wk = TRY(matrix(file, tensor_name("attn_k"), c.dim, c.kv_dim()));
        layer.wv = TRY(matrix(file, tensor_name("attn_v"), c.dim, c.kv_dim()));
        layer.wo = TRY(matrix(file, tensor_name("attn_output"), c.q_dim(), c.dim));
        layer.ffn_norm = TRY(norm_vector(file, tensor_name("ffn_norm"), c.dim));
        layer.gate = TRY(matrix(file, tensor_name("ffn_gate"), c.dim, c.ffn_dim));
        layer.up = TRY(matrix(file, tensor_name("ffn_up"), c.dim, c.ffn_dim));
        layer.down = TRY(matrix(file, tensor_name("ffn_down"), c.ffn_dim, c.dim));
    }
    model.m_output_norm = TRY(norm_vector(file, "output_norm.weight", c.dim));
    if (file.find_tensor("output.weight"))
        model.m_output = TRY(matrix(file, "output.weight", c.dim, c.vocab_size));
    else
        model.m_output = model.m_token_embedding;
    return model;
}

uint64_t LlamaModel::weight_bytes_per_token() const
{
    auto bytes = [](const WeightMatrix& m) { return static_cast<uint64_t>(m.rows()) * m.row_bytes(); };
    uint64_t total = bytes(m_output);
    for (auto& layer : m_layers) {
        total += bytes(layer.wq) + bytes(layer.wk) + bytes(layer.wv) + bytes(layer.wo);
        total += bytes(layer.gate) + bytes(layer.up) + bytes(layer.down);
    }
    return total;
}

} // namespace fluid::llm
