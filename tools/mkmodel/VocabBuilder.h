// A small llama-style SentencePiece vocabulary for generated models:
// <unk>, <s>, </s>, the 256 byte tokens <0x00>..<0xFF>, single characters,
// then pieces learned by byte-pair merges over a built-in English text
// ("▁the", "▁and", "ing", ...), scored so that earlier merges win, as in
// Llama's own vocabulary. Every merged piece is the concatenation of two
// earlier pieces, so SentencePiece tokenisation really reaches it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fluid::mkmodel {

struct Vocab {
    std::vector<std::string> tokens;
    std::vector<float> scores;
    std::vector<int32_t> types; // llama_token_type values
};

// `size` tokens: the learned pieces are cut or the list padded with unused
// "<extra_N>" tokens to reach it. Returns an empty vocabulary when `size`
// cannot hold the fixed part (specials, bytes and characters).
Vocab build_vocab(uint32_t size);
uint32_t minimum_vocab_size();

} // namespace fluid::mkmodel
