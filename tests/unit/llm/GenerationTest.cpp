// The pieces the kernel's `generate` and `fluid-host generate` share:
// the generation loop, the closing statistics line, the memory estimate
// made before loading, and reading a GGUF header from a prefix.
#include "llm/GenerationStats.h"
#include "llm/Generator.h"
#include "llm/MemoryEstimate.h"

#include "llm/Pcg32.h"
#include "tests/unit/llm/GgufBuilder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace fluid;
using namespace fluid::llm;
using fluid::llm::test::GgufBuilder;

namespace {

constexpr uint32_t dim = 32, heads = 4, kv_heads = 1, ffn = 64, layers = 2, vocab = 24, context = 48;

// A random F32 model with one KV head, built in memory.
std::vector<uint8_t> tiny_model()
{
    struct Tensor {
        std::string name;
        std::vector<uint64_t> dims;
        std::vector<float> values;
    };
    Pcg32 rng(11);
    std::vector<Tensor> tensors;
    auto add = [&](const std::string& name, uint32_t cols, uint32_t rows, float scale, float bias) {
        std::vector<float> values(static_cast<size_t>(cols) * rows);
        for (float& v : values)
            v = bias + scale * (rng.next_float() * 2 - 1);
        std::vector<uint64_t> dims { cols };
        if (rows > 1)
            dims.push_back(rows);
        tensors.push_back({ name, dims, values });
    };
    add("token_embd.weight", dim, vocab, 1.0f, 0);
    for (uint32_t l = 0; l < layers; ++l) {
        std::string p = "blk." + std::to_string(l) + ".";
        add(p + "attn_norm.weight", dim, 1, 0.1f, 1);
        add(p + "attn_q.weight", dim, dim, 0.3f, 0);
        add(p + "attn_k.weight", dim, kv_heads * dim / heads, 0.3f, 0);
        add(p + "attn_v.weight", dim, kv_heads * dim / heads, 0.3f, 0);
        add(p + "attn_output.weight", dim, dim, 0.2f, 0);
        add(p + "ffn_norm.weight", dim, 1, 0.1f, 1);
        add(p + "ffn_gate.weight", dim, ffn, 0.3f, 0);
        add(p + "ffn_up.weight", dim, ffn, 0.3f, 0);
        add(p + "ffn_down.weight", ffn, dim, 0.2f, 0);
    }
    add("output_norm.weight", dim, 1, 0.1f, 1);
    add("output.weight", dim, vocab, 1.0f, 0);

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
        b.tensor_info(t.name, t.dims, GgmlType::F32, offset);
        offset += (t.values.size() * 4 + 31) / 32 * 32;
    }
    b.align();
    for (auto& t : tensors) {
        b.data(t.values.data(), t.values.size() * 4);
        b.align();
    }
    return b.bytes;
}

uint64_t fake_clock()
{
    static uint64_t now = 0;
    return now += 1000000; // 1 ms a call
}

struct Loaded {
    std::vector<uint8_t> bytes = tiny_model();
    GgufFile file = GgufFile::open(bytes.data(), bytes.size()).release_value();
    LlamaModel model = LlamaModel::load(file).release_value();
};

} // namespace

TEST(Generator, GreedyIdsEqualAnArgmaxLoop)
{
    Loaded m;
    const std::vector<int32_t> prompt { 1, 5, 7, 3 };
    const uint32_t budget = 12;

    // By hand: the prompt one token at a time, then argmax and feed back.
    auto reference_transformer = Transformer::create(m.model, context).release_value();
    SerialExecutor serial;
    const float* logits = nullptr;
    for (uint32_t i = 0; i < prompt.size(); ++i)
        logits = reference_transformer.forward(serial, static_cast<uint32_t>(prompt[i]), i).release_value();
    std::vector<int32_t> expected;
    for (uint32_t i = 0; i < budget; ++i) {
        expected.push_back(Sampler::argmax(logits, vocab));
        if (i + 1 < budget)
            logits = reference_transformer.forward(serial, static_cast<uint32_t>(expected.back()),
                                                   static_cast<uint32_t>(prompt.size() + i)).release_value();
    }

    auto transformer = Transformer::create(m.model, context).release_value();
    Generator generator(transformer, serial, vocab, fake_clock);
    GenerationRequest request;
    request.prompt = prompt.data();
    request.prompt_size = prompt.size();
    request.max_tokens = budget;
    std::vector<int32_t> streamed;
    auto sink = [](void* context, int32_t token, const float*, size_t) {
        static_cast<std::vector<int32_t>*>(context)->push_back(token);
    };
    std::vector<int32_t> generated;
    GenerationStats stats;
    ASSERT_FALSE(generator.run(request, sink, &streamed, generated, stats).is_error());
    EXPECT_EQ(generated, expected);
    EXPECT_EQ(streamed, expected);
    EXPECT_EQ(stats.prompt_tokens, prompt.size());
    EXPECT_EQ(stats.evaluated_tokens, budget - 1);
    EXPECT_GT(stats.generation_ms, 0);
}

TEST(Generator, StopsAfterEosAndRefusesTooLongRequests)
{
    Loaded m;
    const std::vector<int32_t> prompt { 2, 4 };
    auto transformer = Transformer::create(m.model, context).release_value();
    SerialExecutor serial;
    Generator generator(transformer, serial, vocab, fake_clock);
    GenerationRequest request;
    request.prompt = prompt.data();
    request.prompt_size = prompt.size();
    request.max_tokens = 8;
    std::vector<int32_t> first;
    GenerationStats stats;
    ASSERT_FALSE(generator.run(request, nullptr, nullptr, first, stats).is_error());
    ASSERT_EQ(first.size(), 8u);

    // EOS = the first greedy token: one token, nothing evaluated after it.
    auto again = Transformer::create(m.model, context).release_value();
    Generator stopping(again, serial, vocab, fake_clock);
    request.eos = first[0];
    std::vector<int32_t> generated;
    ASSERT_FALSE(stopping.run(request, nullptr, nullptr, generated, stats).is_error());
    EXPECT_EQ(generated, std::vector<int32_t> { first[0] });
    EXPECT_EQ(stats.evaluated_tokens, 0u);

    auto small = Transformer::create(m.model, 8).release_value();
    Generator cramped(small, serial, vocab, fake_clock);
    request.max_tokens = 7;
    auto refused = cramped.run(request, nullptr, nullptr, generated, stats);
    ASSERT_TRUE(refused.is_error());
    EXPECT_STREQ(refused.error().message(), "generate: 2 prompt tokens + 7 new ones exceed the context of 8");
}

TEST(GenerationStats, ClosingLineFormat)
{
    GenerationStats stats;
    stats.load_ms = 2.54;
    stats.prompt_tokens = 12;
    stats.prompt_ms = 24;
    stats.evaluated_tokens = 15;
    stats.generation_ms = 150;
    stats.workers = 2;
    char line[200];
    stats.format(line, sizeof(line), "threads");
    EXPECT_STREQ(line, "load 2.5 ms, prompt 12 tokens 500.00 tok/s, generation 15 tokens 100.00 tok/s, 2 threads");
    stats.format(line, sizeof(line), "cores");
    EXPECT_STREQ(line, "load 2.5 ms, prompt 12 tokens 500.00 tok/s, generation 15 tokens 100.00 tok/s, 2 cores");
    // Below 1 tok/s: three significant digits, not 0.00.
    stats.prompt_ms = 1200000;
    stats.generation_ms = 6e6;
    stats.format(line, sizeof(line), "cores");
    EXPECT_STREQ(line, "load 2.5 ms, prompt 12 tokens 0.01 tok/s, generation 15 tokens 0.0025 tok/s, 2 cores");
}

TEST(MemoryEstimate, KvCacheExactAndBuffersCovered)
{
    Loaded m;
    for (uint32_t ctx : { 1u, 17u, context }) {
        auto transformer = Transformer::create(m.model, ctx).release_value();
        MemoryEstimate e = MemoryEstimate::of(m.model.config(), m.bytes.size(), ctx);
        EXPECT_EQ(e.kv_cache_bytes, transformer.cache().bytes()) << "context " << ctx;
        EXPECT_EQ(e.file_bytes, m.bytes.size());
        // At least the batch rows of the residual stream and the scores.
        EXPECT_GE(e.buffer_bytes, Transformer::max_batch * (dim + heads * ctx) * sizeof(float));
        EXPECT_EQ(e.total(), e.file_bytes + e.kv_cache_bytes + e.buffer_bytes);
    }
}

TEST(GgufFile, OpenHeaderFromAPrefix)
{
    Loaded m;
    const size_t header_bytes = m.file.data_offset();
    auto header = GgufFile::open_header(m.bytes.data(), header_bytes, m.bytes.size());
    ASSERT_FALSE(header.is_error()) << header.error().message();
    EXPECT_EQ(header->tensors().size(), m.file.tensors().size());
    EXPECT_EQ(header->tensors()[0].data, nullptr);
    auto config = LlamaConfig::from_gguf(*header);
    ASSERT_FALSE(config.is_error());
    EXPECT_EQ(config->kv_heads, kv_heads);
    EXPECT_EQ(config->vocab_size, vocab);

    // A prefix that stops inside the metadata, and a file too short for
    // its tensors, are errors.
    EXPECT_TRUE(GgufFile::open_header(m.bytes.data(), 100, m.bytes.size()).is_error());
    auto truncated = GgufFile::open_header(m.bytes.data(), header_bytes, m.bytes.size() - 64);
    ASSERT_TRUE(truncated.is_error());
    EXPECT_NE(strstr(truncated.error().message(), "past end of file"), nullptr) << truncated.error().message();
    EXPECT_TRUE(GgufFile::open_header(m.bytes.data(), m.bytes.size(), m.bytes.size() - 1).is_error());
}
