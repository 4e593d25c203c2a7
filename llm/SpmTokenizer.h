// SentencePiece-style tokenisation of tokenizer.ggml.model = "llama", as
// llama.cpp's llm_tokenizer_spm does it: spaces become U+2581 ("▁"), a
// space is prepended, the text is split into UTF-8 characters, and the
// adjacent pair whose concatenation is the highest-scoring token is merged
// until none is left; what is not a token falls back to <0xNN> bytes.
#pragma once

#include "llm/Vocabulary.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace fluid::llm {

class SpmTokenizer {
public:
    explicit SpmTokenizer(const Vocabulary& vocab) : m_vocab(vocab) { }

    // Special-token text in `text` is not parsed (llama.cpp with
    // parse_special = false). BOS is added when `add_bos` and the
    // vocabulary has one.
    std::vector<int32_t> encode(std::string_view text, bool add_bos) const;

private:
    struct Symbol {
        int prev;
        int next;
        const char* text;
        size_t size;
    };
    void merge(std::vector<Symbol>& symbols) const;
    void resegment(const Symbol& symbol, std::vector<int32_t>& out) const;
    void push_bytes(const char* text, size_t size, std::vector<int32_t>& out) const;

    const Vocabulary& m_vocab;
};

} // namespace fluid::llm
