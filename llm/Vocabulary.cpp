#include "llm/Vocabulary.h"

#include <algorithm>
#include <cstdio>

namespace fluid::llm {

static ErrorOr<int32_t> special_id(const GgufFile& file, const char* key, uint32_t size, int32_t fallback)
{
    if (!file.find(key))
        return fallback;
    auto id = TRY(file.get_uint(key));
    if (id >= size)
        return Error::format(ErrorCode::Invalid, "tokenizer: %s = %llu is outside the vocabulary of %u", key,
                             static_cast<unsigned long long>(id), size);
    return static_cast<int32_t>(id);
}

ErrorOr<Vocabulary> Vocabulary::from_gguf(const GgufFile& file)
{
    Vocabulary vocab;
    vocab.m_model = TRY(file.get_string("tokenizer.ggml.model"));
    auto* tokens = TRY(file.get_array("tokenizer.ggml.tokens", GgufValueType::String));
    const uint64_t size = tokens->count;
    if (size == 0 || size > (1u << 22))
        return Error::format(ErrorCode::Invalid, "tokenizer: %llu tokens", static_cast<unsigned long long>(size));
    vocab.m_pieces = tokens->strings;
    vocab.m_scores.assign(size, 0.0f);
    vocab.m_types.assign(size, TokenType::Normal);
    if (file.find("tokenizer.ggml.scores")) {
        auto* scores = TRY(file.get_array("tokenizer.ggml.scores", GgufValueType::Float32));
        if (scores->count != size)
            return Error::format(ErrorCode::Invalid, "tokenizer: %llu scores for %llu tokens",
                                 static_cast<unsigned long long>(scores->count), static_cast<unsigned long long>(size));
        for (uint64_t i = 0; i < size; ++i)
            vocab.m_scores[i] = static_cast<float>(scores->float_at(i));
    }
    if (file.find("tokenizer.ggml.token_type")) {
        auto* types = TRY(file.get_array("tokenizer.ggml.token_type", GgufValueType::Int32));
        if (types->count != size)
            return Error::format(ErrorCode::Invalid, "tokenizer: %llu token types for %llu tokens",
                                 static_cast<unsigned long long>(types->count), static_cast<unsigned long long>(size));
        for (uint64_t i = 0; i < size; ++i) {
            int64_t type = types->integer_at(i);
            if (type < 0 || type > static_cast<int64_t>(TokenType::Byte))
                return Error::format(ErrorCode::Invalid, "tokenizer: token %llu has type %lld",
                                     static_cast<unsigned long long>(i), static_cast<long long>(type));
            vocab.m_types[i] = static_cast<TokenType>(type);
        }
    }
    const auto n = static_cast<uint32_t>(size);
    // llama.cpp's defaults for an SPM vocabulary.
    vocab.m_unknown = TRY(special_id(file, "tokenizer.ggml.unknown_token_id", n, n > 0 ? 0 : no_token));
    vocab.m_bos = TRY(special_id(file, "tokenizer.ggml.bos_token_id", n, n > 1 ? 1 : no_token));
    vocab.m_eos = TRY(special_id(file, "tokenizer.ggml.eos_token_id", n, n > 2 ? 2 : no_token));
    vocab.m_add_bos = TRY(file.get_bool_or("tokenizer.ggml.add_bos_token", true));
    vocab.m_add_space_prefix = TRY(file.get_bool_or("tokenizer.ggml.add_space_prefix", true));

    vocab.m_sorted.resize(size);
    for (uint32_t i = 0; i < n; ++i)
        vocab.m_sorted[i] = static_cast<int32_t>(i);
    // Equal pieces in id order, so find() can take the last: llama.cpp's
    // token_to_id map keeps the highest id of duplicates.
    std::sort(vocab.m_sorted.begin(), vocab.m_sorted.end(), [&](int32_t a, int32_t b) {
        return vocab.m_pieces[a] < vocab.m_pieces[b] || (vocab.m_pieces[a] == vocab.m_pieces[b] && a < b);
    });
    for (int byte = 0; byte < 256; ++byte) {
        char name[8];
        snprintf(name, sizeof(name), "<0x%02X>", byte);
        vocab.m_byte_tokens[byte] = vocab.find(name);
    }
    return vocab;
}

int32_t Vocabulary::find(std::string_view piece) const
{
    auto it = std::upper_bound(m_sorted.begin(), m_sorted.end(), piece,
                               [&](std::string_view p, int32_t id) { return p < m_pieces[id]; });
    if (it == m_sorted.begin() || m_pieces[*(it - 1)] != piece)
        return no_token;
    return *(it - 1);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

void Vocabulary::append_text(int32_t id, std::vector<char>& out) const
{
    if (id < 0 || static_cast<uint32_t>(id) >= size())
        return;
    std::string_view piece = m_pieces[id];
    switch (m_types[id]) {
    case TokenType::Control:
    case TokenType::Unused: return;
    case TokenType::Byte:
        if (piece.size() == 6 && hex_digit(piece[3]) >= 0 && hex_digit(piece[4]) >= 0) {
            out.push_back(static_cast<char>(hex_digit(piece[3]) * 16 + hex_digit(piece[4])));
            return;
        }
        break;
    default: break;
    }
    static constexpr std::string_view space_marker = "\xE2\x96\x81"; // U+2581
    for (size_t i = 0; i < piece.size();) {
        if (piece.substr(i, 3) == space_marker) {
            out.push_back(' ');
            i += 3;
        } else {
            out.push_back(piece[i++]);
        }
    }
}

} // namespace fluid::llm
