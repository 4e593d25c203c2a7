// The weights of a Llama model, as views into the GGUF file's bytes (never
// copied or dequantised whole, except the small norm vectors). load()
// checks every tensor's presence, shape and type against the config.
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "llm/GgufFile.h"
#include "llm/LlamaConfig.h"
#include "llm/WeightMatrix.h"

#include <vector>

namespace fluid::llm {

struct LlamaLayer {
    std::vector<float> attn_norm;
    WeightMatrix wq, wk, wv, wo;
    std::vector<float> ffn_norm;
    WeightMatrix gate, up, down;
};

class LlamaModel {
public:
    static ErrorOr<LlamaModel> load(const GgufFile& file);

    const LlamaConfig& config() const { return m_config; }
    const WeightMatrix& token_embedding() const { return m_token_embedding; }
    const std::vector<LlamaLayer>& layers() const { return m_layers; }
    const std::vector<float>& output_norm() const { return m_output_norm; }
    // output.weight, or the embedding matrix when the file ties them.
    const WeightMatrix& output() const { return m_output; }
    // Bytes of weights read for one token (all matrices but the embedding).
    uint64_t weight_bytes_per_token() const;

private:
    LlamaConfig m_config;
    WeightMatrix m_token_embedding;
    std::vector<LlamaLayer> m_layers;
    std::vector<float> m_output_norm;
    WeightMatrix m_output;
};

} // namespace fluid::llm
