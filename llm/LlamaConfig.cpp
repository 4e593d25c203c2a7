#include "llm/LlamaConfig.h"

namespace fluid::llm {

// Bounds that no real Llama model comes near; they keep products of these
// numbers (buffer sizes) far from overflow.
static constexpr uint64_t max_dim = 1 << 16;
static constexpr uint64_t max_layers = 1024;
static constexpr uint64_t max_heads = 1024;
static constexpr uint64_t max_vocab = 1 << 22;

static ErrorOr<uint32_t> bounded(const GgufFile& file, const char* key, uint64_t max)
{
    auto value = TRY(file.get_uint(key));
    if (value == 0 || value > max)
        return Error::format(ErrorCode::Invalid, "model: %s = %llu is out of range (1..%llu)", key,
                             static_cast<unsigned long long>(value), static_cast<unsigned long long>(max));
    return static_cast<uint32_t>(value);
}

ErrorOr<LlamaConfig> LlamaConfig::from_gguf(const GgufFile& file)
{
    auto architecture = TRY(file.get_string("general.architecture"));
    if (architecture != "llama") {
        return Error::format(ErrorCode::Unsupported, "model: architecture '%.*s' (only llama)",
                             static_cast<int>(architecture.size() < 32 ? architecture.size() : 32), architecture.data());
    }
    LlamaConfig config;
    config.context_length = TRY(bounded(file, "llama.context_length", 1 << 24));
    config.dim = TRY(bounded(file, "llama.embedding_length", max_dim));
    config.layers = TRY(bounded(file, "llama.block_count", max_layers));
    config.ffn_dim = TRY(bounded(file, "llama.feed_forward_length", 4 * max_dim));
    config.heads = TRY(bounded(file, "llama.attention.head_count", max_heads));
    config.kv_heads = config.heads;
    if (file.find("llama.attention.head_count_kv"))
        config.kv_heads = TRY(bounded(file, "llama.attention.head_count_kv", max_heads));
    if (config.dim % config.heads != 0)
        return Error::format(ErrorCode::Invalid, "model: embedding length %u is not a multiple of %u heads", config.dim,
                             config.heads);
    if (config.heads % config.kv_heads != 0)
        return Error::format(ErrorCode::Invalid, "model: %u heads are not a multiple of %u KV heads", config.heads,
                             config.kv_heads);
    config.head_dim = config.dim / config.heads;
    config.rope_dims = config.head_dim;
    if (file.find("llama.rope.dimension_count"))
        config.rope_dims = TRY(bounded(file, "llama.rope.dimension_count", max_dim));
    if (config.rope_dims > config.head_dim || config.rope_dims % 2 != 0)
        return Error::format(ErrorCode::Invalid, "model: rope dimension count %u (head size %u, must be even)",
                             config.rope_dims, config.head_dim);
    config.rope_freq_base = TRY(file.get_float_or("llama.rope.freq_base", 10000.0f));
    if (!(config.rope_freq_base > 1.0f && config.rope_freq_base < 1e12f))
        return Error::from(ErrorCode::Invalid, "model: llama.rope.freq_base is out of range");
    config.rms_epsilon = TRY(file.get_float("llama.attention.layer_norm_rms_epsilon"));
    if (!(config.rms_epsilon > 0.0f && config.rms_epsilon < 1.0f))
        return Error::from(ErrorCode::Invalid, "model: llama.attention.layer_norm_rms_epsilon is out of range");
    auto* tokens = TRY(file.get_array("tokenizer.ggml.tokens", GgufValueType::String));
    if (tokens->count == 0 || tokens->count > max_vocab)
        return Error::format(ErrorCode::Invalid, "model: vocabulary of %llu tokens",
                             static_cast<unsigned long long>(tokens->count));
    config.vocab_size = static_cast<uint32_t>(tokens->count);
    return config;
}

} // namespace fluid::llm
