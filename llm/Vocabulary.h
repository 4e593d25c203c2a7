// The token list of a GGUF model (tokenizer.ggml.*): pieces, scores, token
// types and the special ids, with a sorted index from piece to id.
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "llm/GgufFile.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace fluid::llm {

// llama.cpp's llama_token_type (the values stored in the file).
enum class TokenType : int32_t {
    Undefined = 0,
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
};

class Vocabulary {
public:
    static constexpr int32_t no_token = -1;

    static ErrorOr<Vocabulary> from_gguf(const GgufFile& file);

    uint32_t size() const { return static_cast<uint32_t>(m_pieces.size()); }
    std::string_view piece(int32_t id) const { return m_pieces[id]; }
    float score(int32_t id) const { return m_scores[id]; }
    TokenType type(int32_t id) const { return m_types[id]; }
    int32_t find(std::string_view piece) const;
    // The <0xNN> token of a byte, no_token if the vocabulary lacks it.
    int32_t byte_token(uint8_t byte) const { return m_byte_tokens[byte]; }

    std::string_view model() const { return m_model; }
    int32_t bos() const { return m_bos; }
    int32_t eos() const { return m_eos; }
    int32_t unknown() const { return m_unknown; }
    bool add_bos() const { return m_add_bos; }
    bool add_space_prefix() const { return m_add_space_prefix; }

    // The text of a token as llama.cpp's token_to_piece prints it: "▁"
    // becomes a space, byte tokens their byte, control tokens nothing.
    void append_text(int32_t id, std::vector<char>& out) const;

private:
    std::vector<std::string_view> m_pieces;
    std::vector<float> m_scores;
    std::vector<TokenType> m_types;
    std::vector<int32_t> m_sorted; // ids ordered by piece
    int32_t m_byte_tokens[256];
    std::string_view m_model;
    int32_t m_bos { no_token };
    int32_t m_eos { no_token };
    int32_t m_unknown { no_token };
    bool m_add_bos { true };
    bool m_add_space_prefix { true };
};

} // namespace fluid::llm
