#include "llm/Quantize.h"
#include "llm/Transformer.h"

#include "llm/Pcg32.h"
#include "tests/unit/llm/GgufBuilder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace fluid;
using namespace fluid::llm;
using fluid::llm::test::GgufBuilder;

namespace {

constexpr uint32_t dim = 64, heads = 4, kv_heads = 2, ffn = 96, layers = 2, vocab = 16, context = 32;

// Runs chunks of exactly `grain` items, last first: any dependence between
// chunks, or on their order, changes the results.
class ReversedChunkExecutor final : public ParallelExecutor {
public:
    size_t concurrency() const override { return 4; }
    void run(size_t begin, size_t end, size_t grain, ParallelBody body, void* context) override
    {
        std::vector<std::pair<size_t, size_t>> chunks;
        for (size_t b = begin; b < end; b += grain)
            chunks.push_back({ b, std::min(end, b + grain) });
        for (auto it = chunks.rbegin(); it != chunks.rend(); ++it)
            body(context, it->first, it->second);
        ++calls;
    }
    size_t calls { 0 };
};

std::vector<uint8_t> encode(const std::vector<float>& values, GgmlType type)
{
    std::vector<uint8_t> bytes;
    if (type == GgmlType::F32) {
        bytes.resize(values.size() * 4);
        memcpy(bytes.data(), values.data(), bytes.size());
    } else {
        bytes.resize(values.size() / qk8_0 * sizeof(BlockQ8_0));
        quantize_row_q8_0_reference(values.data(), reinterpret_cast<BlockQ8_0*>(bytes.data()), values.size());
    }
    return bytes;
}

// A random two-layer model in F32 or Q8_0, built in memory.
std::vector<uint8_t> tiny_model(GgmlType type)
{
    struct Tensor {
        std::string name;
        std::vector<uint64_t> dims;
        GgmlType type;
        std::vector<uint8_t> data;
    };
    Pcg32 rng(5);
    std::vector<Tensor> tensors;
    auto add = [&](const std::string& name, uint32_t cols, uint32_t rows, GgmlType t, float scale, float bias) {
        std::vector<float> values(static_cast<size_t>(cols) * rows);
        for (float& v : values)
            v = bias + scale * (rng.next_float() * 2 - 1);
        std::vector<uint64_t> dims { cols };
        if (rows > 1)
            dims.push_back(rows);
        tensors.push_back({ name, dims, t, encode(values, t) });
    };
    add("token_embd.weight", dim, vocab, type, 1.0f, 0);
    for (uint32_t l = 0; l < layers; ++l) {
        std::string p = "blk." + std::to_string(l) + ".";
        add(p + "attn_norm.weight", dim, 1, GgmlType::F32, 0.1f, 1);
        add(p + "attn_q.weight", dim, dim, type, 0.2f, 0);
        add(p + "attn_k.weight", dim, kv_heads * dim / heads, type, 0.2f, 0);
        add(p + "attn_v.weight", dim, kv_heads * dim / heads, type, 0.2f, 0);
        add(p + "attn_output.weight", dim, dim, type, 0.1f, 0);
        add(p + "ffn_norm.weight", dim, 1, GgmlType::F32, 0.1f, 1);
        add(p + "ffn_gate.weight", dim, ffn, type, 0.2f, 0);
        add(p + "ffn_up.weight", dim, ffn, type, 0.2f, 0);
        add(p + "ffn_down.weight", ffn, dim, type, 0.1f, 0);
    }
    add("output_norm.weight", dim, 1, GgmlType::F32, 0.1f, 1);
    add("output.weight", dim, vocab, type, 0.5f, 0);

    std::vector<std::string> tokens;
    for (uint32_t i = 0; i < vocab; ++i)
        tokens.push_back("t" + std::to_string(i));
    GgufBuilder b;
    b.header(tensors.size(), 9);
    b.kv_string("general.architecture", "llama");
    b.kv_u32("llama.context_length", context);
    b.kv_u32("llama.embedding_length", dim);
    b.kv_u32("llama.block_count", layers);
    b.kv_u32("llama.feed_forward_length", ffn);
    b.kv_u32("llama.attention.head_count", heads);
    b.kv_u32("llama.attention.head_count_kv", kv_heads);
    b.kv_f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    b.kv_strings("tokenizer.ggml.tokens", tokens);
    uint64_t offset = 0;
    for (auto& t : tensors) {
        b.tensor_info(t.name, t.dims, t.type, offset);
        offset += (t.data.size() + 31) / 32 * 32;
    }
    b.align();
    for (auto& t : tensors) {
        b.data(t.data.data(), t.data.size());
        b.align();
    }
    return b.bytes;
}

std::vector<std::vector<float>> run(const std::vector<uint8_t>& bytes, ParallelExecutor& executor, size_t steps)
{
    auto file = GgufFile::open(bytes.data(), bytes.size());
    EXPECT_FALSE(file.is_error()) << file.error().message();
    auto model = LlamaModel::load(*file);
    EXPECT_FALSE(model.is_error()) << model.error().message();
    auto transformer = Transformer::create(*model, context);
    EXPECT_FALSE(transformer.is_error());
    std::vector<std::vector<float>> all;
    for (uint32_t pos = 0; pos < steps; ++pos) {
        auto logits = transformer->forward(executor, (pos * 7 + 3) % vocab, pos);
        EXPECT_FALSE(logits.is_error());
        all.emplace_back(logits.value(), logits.value() + vocab);
    }
    return all;
}

} // namespace

TEST(Transformer, ChunkingAndOrderDoNotChangeLogits)
{
    auto bytes = tiny_model(GgmlType::F32);
    SerialExecutor serial;
    ReversedChunkExecutor reversed;
    auto a = run(bytes, serial, 17);
    auto b = run(bytes, reversed, 17);
    // Per layer: Q/K/V together, attention, output, gate/up together, down;
    // then the head. Each is one meeting of the cores.
    EXPECT_EQ(reversed.calls, 17u * (layers * 5 + 1));
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
        EXPECT_EQ(a[i], b[i]) << "step " << i;
    for (float v : a.back())
        EXPECT_TRUE(std::isfinite(v));
    // Context matters: token 3 at positions 0 and 16 gives two answers.
    EXPECT_NE(a[0], a[16]);
}

TEST(Transformer, Q8_0StaysCloseToF32)
{
    SerialExecutor serial;
    auto f32 = run(tiny_model(GgmlType::F32), serial, 4);
    auto q8 = run(tiny_model(GgmlType::Q8_0), serial, 4);
    for (size_t step = 0; step < f32.size(); ++step) {
        double error = 0, norm = 0;
        for (uint32_t i = 0; i < vocab; ++i) {
            error += std::pow(f32[step][i] - q8[step][i], 2);
            norm += std::pow(f32[step][i], 2);
        }
        EXPECT_LT(std::sqrt(error / norm), 0.05) << "step " << step;
        EXPECT_GT(error, 0.0); // quantisation did happen
    }
}

TEST(Transformer, RefusesBadTokensPositionsAndShapes)
{
    auto bytes = tiny_model(GgmlType::F32);
    auto file = GgufFile::open(bytes.data(), bytes.size());
    ASSERT_FALSE(file.is_error());
    auto model = LlamaModel::load(*file);
    ASSERT_FALSE(model.is_error());
    EXPECT_STREQ(Transformer::create(*model, context + 1).error().message(),
                 "model: context of 33 tokens (the model allows 1..32)");
    auto transformer = Transformer::create(*model, 2);
    ASSERT_FALSE(transformer.is_error());
    SerialExecutor serial;
    EXPECT_STREQ(transformer->forward(serial, vocab, 0).error().message(),
                 "model: token 16 outside the vocabulary of 16");
    EXPECT_STREQ(transformer->forward(serial, 0, 2).error().message(), "model: position 2 beyond the context of 2");

    // A matrix of the wrong shape is named.
    auto* q = const_cast<GgufTensor*>(file->find_tensor("blk.1.attn_q.weight"));
    q->dims[1] = 32;
    q->elements /= 2;
    EXPECT_STREQ(LlamaModel::load(*file).error().message(),
                 "model: tensor 'blk.1.attn_q.weight' is [64, 32], want [64, 64]");
}

// A prompt in batches gives bit-identical logits to the same tokens one at
// a time: each token gets exactly the dot products it would get alone.
TEST(Transformer, BatchesMatchOneTokenAtATime)
{
    auto bytes = tiny_model(GgmlType::Q8_0);
    auto file = GgufFile::open(bytes.data(), bytes.size());
    ASSERT_FALSE(file.is_error());
    auto model = LlamaModel::load(*file);
    ASSERT_FALSE(model.is_error());
    std::vector<uint32_t> tokens;
    for (uint32_t i = 0; i < 21; ++i) // more than one batch of Transformer::max_batch
        tokens.push_back((i * 5 + 1) % vocab);
    ReversedChunkExecutor executor;
    auto one = Transformer::create(*model, context);
    auto batched = Transformer::create(*model, context);
    ASSERT_FALSE(one.is_error() || batched.is_error());
    std::vector<float> sequential;
    for (uint32_t pos = 0; pos < tokens.size(); ++pos) {
        auto logits = one->forward(executor, tokens[pos], pos);
        ASSERT_FALSE(logits.is_error());
        sequential.assign(logits.value(), logits.value() + vocab);
    }
    auto logits = batched->forward(executor, tokens.data(), tokens.size(), 0);
    ASSERT_FALSE(logits.is_error());
    EXPECT_EQ(std::vector<float>(logits.value(), logits.value() + vocab), sequential);
    // The caches agree too: the next single step gives the same answer.
    auto a = one->forward(executor, 7, 21);
    std::vector<float> next_one(a.value(), a.value() + vocab);
    auto b = batched->forward(executor, 7, 21);
    EXPECT_EQ(std::vector<float>(b.value(), b.value() + vocab), next_one);
    EXPECT_STREQ(batched->forward(executor, tokens.data(), 11, 22).error().message(),
                 "model: position 32 beyond the context of 32");
}
