// The embedded default model, models/default.gguf (trained by
// tools/train-default-model): it loads with the shapes the recipe sets, its
// tokenizer holds the learned merges, and the engine running it predicts a
// verse it was trained on, which only a trained model computed correctly
// does (a random or wrongly evaluated one scores about 1/1024 per token;
// the trained one gets 15 of the 44 next tokens of Genesis 1:3-4).
#include "llm/GgufFile.h"
#include "llm/LlamaModel.h"
#include "llm/Sampler.h"
#include "llm/SpmTokenizer.h"
#include "llm/Transformer.h"
#include "llm/Vocabulary.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace fluid;
using namespace fluid::llm;

namespace {

std::vector<uint8_t> read_default_model()
{
    std::vector<uint8_t> bytes;
    FILE* file = fopen(FLUID_SOURCE_DIR "/models/default.gguf", "rb");
    if (!file)
        return bytes;
    uint8_t buffer[1 << 16];
    size_t got;
    while ((got = fread(buffer, 1, sizeof(buffer), file)) > 0)
        bytes.insert(bytes.end(), buffer, buffer + got);
    fclose(file);
    return bytes;
}

struct DefaultModel {
    std::vector<uint8_t> bytes = read_default_model();
    GgufFile file = open();
    LlamaModel model = LlamaModel::load(file).release_value();
    Vocabulary vocab = Vocabulary::from_gguf(file).release_value();

    GgufFile open()
    {
        EXPECT_GT(bytes.size(), 1000000u) << "models/default.gguf is missing or short";
        auto opened = GgufFile::open(bytes.data(), bytes.size());
        EXPECT_FALSE(opened.is_error()) << opened.error().message();
        return opened.release_value();
    }

    std::string text(const std::vector<int32_t>& ids) const
    {
        std::vector<char> out;
        for (int32_t id : ids)
            vocab.append_text(id, out);
        return std::string(out.begin(), out.end());
    }
};

} // namespace

TEST(DefaultModel, LoadsWithTheRecipesShapes)
{
    DefaultModel m;
    const LlamaConfig& c = m.model.config();
    EXPECT_EQ(c.dim, 128u);
    EXPECT_EQ(c.layers, 4u);
    EXPECT_EQ(c.heads, 4u);
    EXPECT_EQ(c.kv_heads, 2u);
    EXPECT_EQ(c.ffn_dim, 384u);
    EXPECT_EQ(c.vocab_size, 1024u);
    EXPECT_EQ(c.context_length, 256u);
    EXPECT_EQ(m.vocab.model(), "llama");
}

TEST(DefaultModel, TokenizerUsesTheLearnedMerges)
{
    DefaultModel m;
    SpmTokenizer tokenizer(m.vocab);
    const std::string verse = "In the beginning God created the heaven and the earth.";
    auto ids = tokenizer.encode(verse, true);
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids[0], m.vocab.bos());
    // Whole words like " the" and " and" are single tokens; no byte fallback.
    EXPECT_LT(ids.size(), 20u);
    for (size_t i = 1; i < ids.size(); ++i)
        EXPECT_EQ(m.vocab.type(ids[i]), TokenType::Normal) << "token " << i;
    EXPECT_EQ(m.text(ids), " " + verse);
}

TEST(DefaultModel, PredictsAVerseItWasTrainedOn)
{
    DefaultModel m;
    SpmTokenizer tokenizer(m.vocab);
    auto ids = tokenizer.encode("And God said, Let there be light: and there was light. And God saw the light, "
                                "that it was good: and God divided the light from the darkness.",
                                true);
    auto transformer = Transformer::create(m.model, 256).release_value();
    SerialExecutor serial;
    size_t correct = 0;
    for (size_t i = 0; i + 1 < ids.size(); ++i) {
        const float* logits = transformer.forward(serial, static_cast<uint32_t>(ids[i]), static_cast<uint32_t>(i))
                                  .release_value();
        if (Sampler::argmax(logits, m.vocab.size()) == ids[i + 1])
            ++correct;
    }
    const double accuracy = static_cast<double>(correct) / static_cast<double>(ids.size() - 1);
    EXPECT_GE(accuracy, 0.25) << correct << " of " << ids.size() - 1 << " next tokens predicted";
}
