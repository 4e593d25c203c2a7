#include "llm/SpmTokenizer.h"

#include "tests/unit/llm/GgufBuilder.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace fluid;
using namespace fluid::llm;
using fluid::llm::test::GgufBuilder;

namespace {

const std::string marker = "\xE2\x96\x81";

struct TestVocab {
    std::vector<uint8_t> bytes;
    std::vector<std::string> pieces;
};

// <unk> <s> </s>, 256 byte tokens, then `extra` pieces with `scores`.
TestVocab make_vocab(const std::vector<std::string>& extra, const std::vector<float>& scores, bool space_prefix = true)
{
    TestVocab v;
    std::vector<float> all_scores;
    std::vector<int32_t> types;
    auto add = [&](const std::string& piece, float score, int32_t type) {
        v.pieces.push_back(piece);
        all_scores.push_back(score);
        types.push_back(type);
    };
    add("<unk>", 0, 2);
    add("<s>", 0, 3);
    add("</s>", 0, 3);
    for (int b = 0; b < 256; ++b) {
        char name[8];
        snprintf(name, sizeof(name), "<0x%02X>", b);
        add(name, 0, 6);
    }
    for (size_t i = 0; i < extra.size(); ++i)
        add(extra[i], scores[i], 1);
    GgufBuilder b;
    b.header(0, 6);
    b.kv_string("tokenizer.ggml.model", "llama");
    b.kv_strings("tokenizer.ggml.tokens", v.pieces);
    b.kv_array<float>("tokenizer.ggml.scores", GgufValueType::Float32, all_scores);
    b.kv_array<int32_t>("tokenizer.ggml.token_type", GgufValueType::Int32, types);
    b.kv_u32("tokenizer.ggml.bos_token_id", 1);
    b.kv_bool("tokenizer.ggml.add_space_prefix", space_prefix);
    v.bytes = std::move(b.bytes);
    return v;
}

std::vector<std::string> encode(const TestVocab& v, const std::string& text, bool bos = false)
{
    auto file = GgufFile::open(v.bytes.data(), v.bytes.size());
    EXPECT_FALSE(file.is_error());
    auto vocab = Vocabulary::from_gguf(*file);
    EXPECT_FALSE(vocab.is_error()) << vocab.error().message();
    SpmTokenizer tokenizer(*vocab);
    std::vector<std::string> pieces;
    for (int32_t id : tokenizer.encode(text, bos))
        pieces.push_back(v.pieces[id]);
    return pieces;
}

using Pieces = std::vector<std::string>;

} // namespace

TEST(SpmTokenizer, MergesHighestScoringPairFirst)
{
    // "▁abc": with "bc" scored highest, b+c merge first and "▁a" + "bc"
    // is not a token, so two pieces remain.
    auto bc_first = make_vocab({ marker, "a", "b", "c", marker + "a", "ab", "bc", marker + "ab" }, { -9, -9, -9, -9, -2, -3, -1, -4 });
    EXPECT_EQ(encode(bc_first, "abc"), (Pieces { marker + "a", "bc" }));
    // With "ab" highest: ▁ + ab -> "▁ab", then c alone.
    auto ab_first = make_vocab({ marker, "a", "b", "c", marker + "a", "ab", "bc", marker + "ab" }, { -9, -9, -9, -9, -2, -1, -3, -4 });
    EXPECT_EQ(encode(ab_first, "abc"), (Pieces { marker + "ab", "c" }));
}

TEST(SpmTokenizer, SpacesBecomeMarkersWithPrefix)
{
    auto v = make_vocab({ marker, "a", marker + "a", marker + marker }, { -9, -9, -1, -2 });
    EXPECT_EQ(encode(v, "a a"), (Pieces { marker + "a", marker + "a" }));
    EXPECT_EQ(encode(v, " a"), (Pieces { marker, marker + "a" }));
    EXPECT_EQ(encode(v, "a", true), (Pieces { "<s>", marker + "a" }));
    EXPECT_EQ(encode(v, "", true), (Pieces { "<s>" }));
    EXPECT_EQ(encode(v, ""), (Pieces {}));
    auto no_prefix = make_vocab({ marker, "a", marker + "a" }, { -9, -9, -1 }, false);
    EXPECT_EQ(encode(no_prefix, "a a"), (Pieces { "a", marker + "a" }));
}

TEST(SpmTokenizer, UnknownCharactersFallBackToBytes)
{
    auto v = make_vocab({ marker, "a" }, { -9, -9 });
    EXPECT_EQ(encode(v, "a\n\xC3\xA9"), (Pieces { marker, "a", "<0x0A>", "<0xC3>", "<0xA9>" }));
    // A stray continuation byte and a truncated sequence are single bytes.
    EXPECT_EQ(encode(v, "\x80\xE2\x96"), (Pieces { marker, "<0x80>", "<0xE2>", "<0x96>" }));
    // Special-token text is plain text (parse_special = false).
    EXPECT_EQ(encode(v, "<s>").size(), 4u);
}

TEST(SpmTokenizer, DecodesPiecesBytesAndControls)
{
    auto v = make_vocab({ marker, "a", marker + "a" }, { -9, -9, -1 });
    auto file = GgufFile::open(v.bytes.data(), v.bytes.size());
    auto vocab = Vocabulary::from_gguf(*file);
    ASSERT_FALSE(vocab.is_error());
    std::vector<char> text;
    for (int32_t id : SpmTokenizer(*vocab).encode("a a\xC3\xA9", true))
        vocab->append_text(id, text);
    EXPECT_EQ(std::string(text.begin(), text.end()), " a a\xC3\xA9");
    EXPECT_EQ(vocab->find(marker + "a"), 3 + 256 + 2);
    EXPECT_EQ(vocab->find("zz"), Vocabulary::no_token);
    EXPECT_EQ(vocab->byte_token(0x41), 3 + 0x41);
}
