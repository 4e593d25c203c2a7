#include "llm/ChatTemplate.h"

#include "tests/unit/llm/GgufBuilder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace fluid;
using namespace fluid::llm;
using fluid::llm::test::GgufBuilder;

namespace {

// TinyLlama-1.1B-Chat-v1.0's tokenizer.chat_template.
const char* zephyr_jinja =
    "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n"
    "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";
const char* chatml_jinja =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

struct TestVocab {
    std::vector<uint8_t> bytes;
    GgufFile file;
    Vocabulary vocab;
};

// <unk> <s> </s> <|im_start|> <|im_end|> (control), 256 byte tokens, then
// single characters: every text tokenises to characters.
std::unique_ptr<TestVocab> make_vocab()
{
    std::vector<std::string> pieces { "<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>" };
    std::vector<int32_t> types { 2, 3, 3, 3, 3 };
    for (int b = 0; b < 256; ++b) {
        char name[8];
        snprintf(name, sizeof(name), "<0x%02X>", b);
        pieces.push_back(name);
        types.push_back(6);
    }
    for (char c = 'a'; c <= 'z'; ++c) {
        pieces.push_back(std::string(1, c));
        types.push_back(1);
    }
    for (const char* p : { "<", ">", "|", "\xE2\x96\x81" }) {
        pieces.push_back(p);
        types.push_back(1);
    }
    std::vector<float> scores(pieces.size(), 0.0f);
    GgufBuilder b;
    b.header(0, 6);
    b.kv_string("tokenizer.ggml.model", "llama");
    b.kv_strings("tokenizer.ggml.tokens", pieces);
    b.kv_array<float>("tokenizer.ggml.scores", GgufValueType::Float32, scores);
    b.kv_array<int32_t>("tokenizer.ggml.token_type", GgufValueType::Int32, types);
    b.kv_u32("tokenizer.ggml.bos_token_id", 1);
    b.kv_u32("tokenizer.ggml.eos_token_id", 2);
    auto v = std::make_unique<TestVocab>();
    v->bytes = std::move(b.bytes);
    v->file = GgufFile::open(v->bytes.data(), v->bytes.size()).release_value();
    v->vocab = Vocabulary::from_gguf(v->file).release_value();
    return v;
}

std::vector<int32_t> concat(std::initializer_list<std::vector<int32_t>> parts)
{
    std::vector<int32_t> out;
    for (auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

} // namespace

TEST(ChatTemplate, RecognisesZephyrChatMlAndFallsBackToPlain)
{
    EXPECT_EQ(ChatTemplate::recognise(zephyr_jinja).format(), ChatFormat::Zephyr);
    EXPECT_STREQ(ChatTemplate::recognise(zephyr_jinja).description(), "zephyr");
    EXPECT_EQ(ChatTemplate::recognise(chatml_jinja).format(), ChatFormat::ChatMl);
    EXPECT_STREQ(ChatTemplate::recognise(chatml_jinja).description(), "chatml");
    EXPECT_EQ(ChatTemplate::recognise("[INST] {{ message }} [/INST]").format(), ChatFormat::Plain);
    EXPECT_STREQ(ChatTemplate::recognise("[INST] {{ message }} [/INST]").description(), "plain (unknown chat template)");
    EXPECT_STREQ(ChatTemplate::recognise("").description(), "plain (no chat template)");
}

TEST(ChatTemplate, Renders)
{
    EXPECT_EQ(ChatTemplate::recognise(zephyr_jinja).render("Hi there"), "<|user|>\nHi there</s>\n<|assistant|>\n");
    EXPECT_EQ(ChatTemplate::recognise(chatml_jinja).render("Hi"),
              "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    EXPECT_EQ(ChatTemplate::recognise("").render("just text"), "just text");
}

TEST(ChatTemplate, FromGgufMetadata)
{
    GgufBuilder b;
    b.header(0, 1);
    b.kv_string("tokenizer.chat_template", chatml_jinja);
    auto file = GgufFile::open(b.bytes.data(), b.bytes.size());
    ASSERT_FALSE(file.is_error());
    EXPECT_EQ(ChatTemplate::from_gguf(*file).format(), ChatFormat::ChatMl);
    GgufBuilder none;
    none.header(0, 0);
    auto bare = GgufFile::open(none.bytes.data(), none.bytes.size());
    ASSERT_FALSE(bare.is_error());
    EXPECT_STREQ(ChatTemplate::from_gguf(*bare).description(), "plain (no chat template)");
}

// Special-token text becomes the token; the text between goes through the
// tokenizer on its own, with the space prefix llama.cpp gives text after a
// special token.
TEST(ChatTemplate, SpecialTokensInTheRenderedPrompt)
{
    auto v = make_vocab();
    SpmTokenizer tokenizer(v->vocab);
    const std::string prompt = ChatTemplate::recognise(zephyr_jinja).render("hi");
    auto ids = encode_with_special_tokens(tokenizer, v->vocab, prompt, true);
    auto expected = concat({ { 1 }, tokenizer.encode("<|user|>\nhi", false), { 2 },
                             tokenizer.encode("\n<|assistant|>\n", false) });
    EXPECT_EQ(ids, expected);

    const std::string chatml = ChatTemplate::recognise(chatml_jinja).render("yo");
    auto chatml_ids = encode_with_special_tokens(tokenizer, v->vocab, chatml, false);
    auto chatml_expected = concat({ { 3 }, tokenizer.encode("user\nyo", false), { 4 }, tokenizer.encode("\n", false),
                                    { 3 }, tokenizer.encode("assistant\n", false) });
    EXPECT_EQ(chatml_ids, chatml_expected);

    // Without special markers it is plain encode().
    EXPECT_EQ(encode_with_special_tokens(tokenizer, v->vocab, "abc", true), tokenizer.encode("abc", true));
}
