// libFuzzer target for the SentencePiece tokenizer (llm/SpmTokenizer) on a
// small vocabulary made here: <unk> <s> </s>, byte tokens, and a few dozen
// pieces (ASCII words, U+2581-prefixed words, multi-byte UTF-8). Byte 0 of
// the input picks the vocabulary (all 256 byte tokens or only some, space
// prefix or not) and whether BOS is added; the rest is the text.
//
// Besides memory safety (ASan, UBSan) it checks what must always hold:
// every id is inside the vocabulary, and with every byte token present the
// ids of well-formed UTF-8 text without U+2581 of its own decode back to
// exactly the text (with the prefix space, and spaces as U+2581 turned back
// into spaces).
#include "llm/GgufFile.h"
#include "llm/SpmTokenizer.h"
#include "llm/Vocabulary.h"
#include "tests/unit/llm/GgufBuilder.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace fluid;
using namespace fluid::llm;

namespace {

void require(bool condition)
{
    if (!condition)
        abort();
}

struct Model {
    std::vector<uint8_t> bytes;
    std::unique_ptr<GgufFile> file;
    std::unique_ptr<Vocabulary> vocab;
};

std::unique_ptr<Model> make_model(bool all_bytes, bool space_prefix)
{
    static const std::string marker = "\xE2\x96\x81";
    std::vector<std::string> pieces;
    std::vector<float> scores;
    std::vector<int32_t> types;
    auto add = [&](const std::string& piece, float score, int32_t type) {
        pieces.push_back(piece);
        scores.push_back(score);
        types.push_back(type);
    };
    add("<unk>", 0, 2);
    add("<s>", 0, 3);
    add("</s>", 0, 3);
    for (int b = 0; b < 256; ++b) {
        if (!all_bytes && b % 3 != 0)
            continue;
        char name[8];
        snprintf(name, sizeof(name), "<0x%02X>", b);
        add(name, 0, 6);
    }
    static const char* const words[] = { "a", "b", "c", "e", "h", "l", "o", "w", "r", "d", "t", "he", "ll", "llo", "hello",
                                         "wor", "world", "the", "th", "er", "caf", "\xC3\xA9", "caf\xC3\xA9",
                                         "\xF0\x9F\xA6\x99", "\xE4\xB8\xAD", ",", ".", "\n", "<s>x" };
    float score = -1;
    for (const char* word : words) {
        add(word, score, 1);
        add(marker + word, score + 0.5f, 1);
        score -= 0.25f;
    }
    add(marker, -20, 1);
    add(marker + marker, -3, 1);
    test::GgufBuilder builder;
    builder.header(0, 6);
    builder.kv_string("tokenizer.ggml.model", "llama");
    builder.kv_strings("tokenizer.ggml.tokens", pieces);
    builder.kv_array<float>("tokenizer.ggml.scores", GgufValueType::Float32, scores);
    builder.kv_array<int32_t>("tokenizer.ggml.token_type", GgufValueType::Int32, types);
    builder.kv_u32("tokenizer.ggml.bos_token_id", 1);
    builder.kv_bool("tokenizer.ggml.add_space_prefix", space_prefix);
    auto model = std::make_unique<Model>();
    model->bytes = std::move(builder.bytes);
    auto file = GgufFile::open(model->bytes.data(), model->bytes.size());
    require(!file.is_error());
    model->file = std::make_unique<GgufFile>(std::move(file.value()));
    auto vocab = Vocabulary::from_gguf(*model->file);
    require(!vocab.is_error());
    model->vocab = std::make_unique<Vocabulary>(std::move(vocab.value()));
    return model;
}

// Well-formed UTF-8 (RFC 3629 without the surrogate and overlong checks,
// which the tokenizer does not make either). Like llama.cpp, the tokenizer
// takes a lead byte's length on trust, so a broken sequence can swallow the
// start of a following U+2581 and decode to different bytes: the round trip
// only holds for well-formed text.
bool well_formed_utf8(const std::string& text)
{
    for (size_t i = 0; i < text.size();) {
        uint8_t lead = static_cast<uint8_t>(text[i]);
        size_t length = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 0;
        if (length == 0 || i + length > text.size())
            return false;
        for (size_t k = 1; k < length; ++k)
            if ((static_cast<uint8_t>(text[i + k]) & 0xC0) != 0x80)
                return false;
        i += length;
    }
    return true;
}

const Model& model(int index)
{
    static std::unique_ptr<Model> models[4] = { make_model(true, true), make_model(true, false), make_model(false, true),
                                                make_model(false, false) };
    return *models[index];
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    int index = data[0] & 3;
    bool add_bos = data[0] & 4;
    const Vocabulary& vocab = *model(index).vocab;
    std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    SpmTokenizer tokenizer(vocab);
    std::vector<int32_t> ids = tokenizer.encode(text, add_bos);
    for (int32_t id : ids)
        require(id >= 0 && static_cast<uint32_t>(id) < vocab.size());
    std::vector<char> decoded;
    for (int32_t id : ids)
        vocab.append_text(id, decoded);
    // U+2581 in the text itself is the space marker and decodes as a space.
    bool has_marker = text.find("\xE2\x96\x81") != std::string::npos;
    if (index < 2 && !text.empty() && well_formed_utf8(text) && !has_marker) {
        std::string expected = (vocab.add_space_prefix() ? " " : "") + text;
        require(std::string(decoded.begin(), decoded.end()) == expected);
    }
    return 0;
}
