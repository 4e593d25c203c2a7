// mkmodel: writes a deterministic Llama-architecture GGUF file from a seed,
// loadable by llama.cpp and by llm/, for tests and benchmarks (no model can
// be downloaded on the machines this project is built on).
//
//   mkmodel --out tiny.gguf [--dim 64] [--layers 2] [--heads 4] [--kv-heads 2]
//           [--ffn 128] [--vocab 512] [--context 256] [--type f32|f16|q8_0|q4_0|q4_k|q6_k]
//           [--seed 1] [--tied]
//   mkmodel --tinyllama --type q8_0 --out tinyllama-shaped.gguf
#include "llm/Fp16.h"
#include "llm/Pcg32.h"
#include "llm/Quantize.h"
#include "tools/mkmodel/GgufWriter.h"
#include "tools/mkmodel/KQuantizer.h"
#include "tools/mkmodel/VocabBuilder.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace fluid;
using llm::GgmlType;

namespace {

struct Options {
    uint32_t dim { 64 };
    uint32_t layers { 2 };
    uint32_t heads { 4 };
    uint32_t kv_heads { 2 };
    uint32_t ffn { 128 };
    uint32_t vocab { 512 };
    uint32_t context { 256 };
    GgmlType type { GgmlType::F32 };
    uint64_t seed { 1 };
    bool tied { false };
    const char* out { nullptr };
};

void usage()
{
    fprintf(stderr, "usage: mkmodel --out FILE.gguf [--dim N] [--layers N] [--heads N] [--kv-heads N] [--ffn N]\n"
                    "               [--vocab N] [--context N] [--type f32|f16|q8_0|q4_0|q4_k|q6_k] [--seed N] [--tied]\n"
                    "               [--tinyllama]   (TinyLlama-1.1B's shapes: 2048, 22 layers, 32/4 heads, 5632, 32000)\n");
}

bool parse_type(const char* text, GgmlType& type)
{
    if (!strcmp(text, "f32")) type = GgmlType::F32;
    else if (!strcmp(text, "f16")) type = GgmlType::F16;
    else if (!strcmp(text, "q8_0")) type = GgmlType::Q8_0;
    else if (!strcmp(text, "q4_0")) type = GgmlType::Q4_0;
    else if (!strcmp(text, "q4_k")) type = GgmlType::Q4_K;
    else if (!strcmp(text, "q6_k")) type = GgmlType::Q6_K;
    else return false;
    return true;
}

bool parse_options(int argc, char** argv, Options& o)
{
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--tied") { o.tied = true; continue; }
        if (arg == "--tinyllama") {
            o.dim = 2048, o.layers = 22, o.heads = 32, o.kv_heads = 4, o.ffn = 5632, o.vocab = 32000, o.context = 2048;
            continue;
        }
        if (i + 1 >= argc) return false;
        const char* value = argv[++i];
        char* end = nullptr;
        unsigned long long number = strtoull(value, &end, 10);
        bool numeric = end && *end == '\0' && *value != '\0';
        if (arg == "--out") o.out = value;
        else if (arg == "--type") { if (!parse_type(value, o.type)) return false; }
        else if (!numeric || number > 0xFFFFFFFFull) return false;
        else if (arg == "--dim") o.dim = static_cast<uint32_t>(number);
        else if (arg == "--layers") o.layers = static_cast<uint32_t>(number);
        else if (arg == "--heads") o.heads = static_cast<uint32_t>(number);
        else if (arg == "--kv-heads") o.kv_heads = static_cast<uint32_t>(number);
        else if (arg == "--ffn") o.ffn = static_cast<uint32_t>(number);
        else if (arg == "--vocab") o.vocab = static_cast<uint32_t>(number);
        else if (arg == "--context") o.context = static_cast<uint32_t>(number);
        else if (arg == "--seed") o.seed = number;
        else return false;
    }
    return o.out != nullptr;
}

// Normal deviates by Box-Muller from PCG32: deterministic for a seed.
class Normal {
public:
    explicit Normal(uint64_t seed) : m_rng(seed) { }
    float next()
    {
        float u1 = (static_cast<float>(m_rng.next() >> 8) + 1.0f) * (1.0f / 16777217.0f);
        float u2 = m_rng.next_float();
        return std::sqrt(-2.0f * std::log(u1)) * std::cos(6.2831853f * u2);
    }

private:
    llm::Pcg32 m_rng;
};

std::vector<uint8_t> encode(const std::vector<float>& values, GgmlType type)
{
    std::vector<uint8_t> bytes;
    const size_t n = values.size();
    switch (type) {
    case GgmlType::F32:
        bytes.resize(n * 4);
        memcpy(bytes.data(), values.data(), bytes.size());
        break;
    case GgmlType::F16:
        bytes.resize(n * 2);
        for (size_t i = 0; i < n; ++i) {
            uint16_t h = llm::fp32_to_fp16(values[i]);
            memcpy(bytes.data() + 2 * i, &h, 2);
        }
        break;
    case GgmlType::Q8_0:
        bytes.resize(n / llm::qk8_0 * sizeof(llm::BlockQ8_0));
        llm::quantize_row_q8_0_reference(values.data(), reinterpret_cast<llm::BlockQ8_0*>(bytes.data()), n);
        break;
    case GgmlType::Q4_0:
        bytes.resize(n / llm::qk4_0 * sizeof(llm::BlockQ4_0));
        llm::quantize_row_q4_0_reference(values.data(), reinterpret_cast<llm::BlockQ4_0*>(bytes.data()), n);
        break;
    case GgmlType::Q4_K: bytes = mkmodel::quantize_q4_k(values); break;
    case GgmlType::Q6_K: bytes = mkmodel::quantize_q6_k(values); break;
    default: break;
    }
    return bytes;
}

uint32_t file_type(GgmlType type)
{
    switch (type) {
    case GgmlType::F16: return 1;  // LLAMA_FTYPE_MOSTLY_F16
    case GgmlType::Q4_0: return 2; // LLAMA_FTYPE_MOSTLY_Q4_0
    case GgmlType::Q8_0: return 7; // LLAMA_FTYPE_MOSTLY_Q8_0
    case GgmlType::Q4_K: return 15; // LLAMA_FTYPE_MOSTLY_Q4_K_M (with the Q6_K mix below)
    case GgmlType::Q6_K: return 18; // LLAMA_FTYPE_MOSTLY_Q6_K
    default: return 0;             // LLAMA_FTYPE_ALL_F32
    }
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    if (!parse_options(argc, argv, o)) {
        usage();
        return 2;
    }
    const bool k_quant = o.type == GgmlType::Q4_K || o.type == GgmlType::Q6_K;
    const uint32_t block = k_quant ? 256 : (o.type == GgmlType::Q8_0 || o.type == GgmlType::Q4_0) ? 32 : 1;
    const char* problem = nullptr;
    if (!o.dim || !o.layers || !o.heads || !o.kv_heads || !o.ffn || !o.context) problem = "sizes must be positive";
    else if (o.dim % o.heads) problem = "--dim must be a multiple of --heads";
    else if (o.heads % o.kv_heads) problem = "--heads must be a multiple of --kv-heads";
    else if ((o.dim / o.heads) % 2) problem = "the head size (dim / heads) must be even";
    else if (o.dim % block || o.ffn % block) problem = "--dim and --ffn must be whole blocks (32 for q8_0/q4_0, 256 for q4_k/q6_k)";
    else if (o.vocab < mkmodel::minimum_vocab_size()) problem = "--vocab is too small for the fixed tokens";
    if (problem) {
        fprintf(stderr, "mkmodel: %s\n", problem);
        return 2;
    }

    const uint32_t head_dim = o.dim / o.heads;
    const uint32_t kv_dim = o.kv_heads * head_dim;
    mkmodel::GgufWriter gguf;
    gguf.add_string("general.architecture", "llama");
    gguf.add_string("general.name", "mkmodel seed " + std::to_string(o.seed));
    gguf.add_u32("general.file_type", file_type(o.type));
    gguf.add_u32("general.alignment", 32);
    gguf.add_u32("llama.context_length", o.context);
    gguf.add_u32("llama.embedding_length", o.dim);
    gguf.add_u32("llama.block_count", o.layers);
    gguf.add_u32("llama.feed_forward_length", o.ffn);
    gguf.add_u32("llama.rope.dimension_count", head_dim);
    gguf.add_u32("llama.attention.head_count", o.heads);
    gguf.add_u32("llama.attention.head_count_kv", o.kv_heads);
    gguf.add_f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    gguf.add_f32("llama.rope.freq_base", 10000.0f);
    gguf.add_u32("llama.vocab_size", o.vocab);

    mkmodel::Vocab vocab = mkmodel::build_vocab(o.vocab);
    gguf.add_string("tokenizer.ggml.model", "llama");
    gguf.add_string_array("tokenizer.ggml.tokens", vocab.tokens);
    gguf.add_f32_array("tokenizer.ggml.scores", vocab.scores);
    gguf.add_i32_array("tokenizer.ggml.token_type", vocab.types);
    gguf.add_u32("tokenizer.ggml.unknown_token_id", 0);
    gguf.add_u32("tokenizer.ggml.bos_token_id", 1);
    gguf.add_u32("tokenizer.ggml.eos_token_id", 2);
    gguf.add_bool("tokenizer.ggml.add_bos_token", true);
    gguf.add_bool("tokenizer.ggml.add_eos_token", false);

    // Scales keep every layer's output near unit size (1/sqrt(fan-in)), and
    // spread the logits (std about 4) so greedy choices are rarely near-ties.
    Normal normal(o.seed);
    auto matrix = [&](const std::string& name, uint32_t cols, uint32_t rows, float scale, GgmlType type) {
        std::vector<float> values(static_cast<size_t>(cols) * rows);
        const float sigma = scale / std::sqrt(static_cast<float>(cols));
        for (float& v : values)
            v = normal.next() * sigma;
        gguf.add_tensor(name, { cols, rows }, type, encode(values, type));
    };
    auto norm = [&](const std::string& name) {
        std::vector<float> values(o.dim);
        for (float& v : values)
            v = 1.0f + 0.1f * normal.next();
        gguf.add_tensor(name, { o.dim }, GgmlType::F32, encode(values, GgmlType::F32));
    };
    // q4_k stands for llama.cpp's Q4_K_M mix: Q6_K for attn_v, ffn_down and
    // the output head, Q4_K elsewhere; so one file exercises both types.
    const GgmlType mixed = o.type == GgmlType::Q4_K ? GgmlType::Q6_K : o.type;
    matrix("token_embd.weight", o.dim, o.vocab, std::sqrt(static_cast<float>(o.dim)), o.type);
    for (uint32_t l = 0; l < o.layers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        norm(p + "attn_norm.weight");
        matrix(p + "attn_q.weight", o.dim, o.dim, 1.0f, o.type);
        matrix(p + "attn_k.weight", o.dim, kv_dim, 1.0f, o.type);
        matrix(p + "attn_v.weight", o.dim, kv_dim, 1.0f, mixed);
        matrix(p + "attn_output.weight", o.dim, o.dim, 0.5f, o.type);
        norm(p + "ffn_norm.weight");
        matrix(p + "ffn_gate.weight", o.dim, o.ffn, 1.0f, o.type);
        matrix(p + "ffn_up.weight", o.dim, o.ffn, 1.0f, o.type);
        matrix(p + "ffn_down.weight", o.ffn, o.dim, 0.5f, mixed);
    }
    norm("output_norm.weight");
    if (!o.tied)
        matrix("output.weight", o.dim, o.vocab, 4.0f, mixed);

    FILE* out = fopen(o.out, "wb");
    if (!out || !gguf.write(out)) {
        fprintf(stderr, "mkmodel: cannot write %s: %s\n", o.out, strerror(errno));
        return 1;
    }
    fclose(out);
    return 0;
}
