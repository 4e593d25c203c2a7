#include "llm/SpmTokenizer.h"

#include <algorithm>
#include <string>

namespace fluid::llm {

// Bytes in the UTF-8 sequence a lead byte starts (llama.cpp's
// unicode_len_utf8: stray continuation bytes count as 1).
static size_t utf8_length(uint8_t lead)
{
    static constexpr uint8_t lookup[16] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4 };
    return lookup[lead >> 4];
}

namespace {

struct Bigram {
    int left;
    int right;
    float score;
    size_t size;
};

// llama.cpp's llm_bigram_spm::comparator as a max-heap order: the higher
// score first, and of equal scores the leftmost.
struct BigramLess {
    bool operator()(const Bigram& a, const Bigram& b) const
    {
        return a.score < b.score || (a.score == b.score && a.left > b.left);
    }
};

} // namespace

std::vector<int32_t> SpmTokenizer::encode(std::string_view raw, bool add_bos) const
{
    std::vector<int32_t> out;
    if (add_bos && m_vocab.bos() != Vocabulary::no_token)
        out.push_back(m_vocab.bos());
    if (raw.empty())
        return out;

    std::string text;
    if (m_vocab.add_space_prefix())
        text += ' ';
    text.append(raw.data(), raw.size());
    std::string escaped;
    escaped.reserve(text.size() * 3);
    for (char c : text) {
        if (c == ' ')
            escaped += "\xE2\x96\x81";
        else
            escaped += c;
    }

    std::vector<Symbol> symbols;
    for (size_t offset = 0; offset < escaped.size();) {
        size_t length = std::min(utf8_length(static_cast<uint8_t>(escaped[offset])), escaped.size() - offset);
        int index = static_cast<int>(symbols.size());
        symbols.push_back({ index - 1, offset + length == escaped.size() ? -1 : index + 1, escaped.data() + offset, length });
        offset += length;
    }
    merge(symbols);
    for (int i = 0; i != -1; i = symbols[i].next) {
        if (symbols[i].size)
            resegment(symbols[i], out);
    }
    return out;
}

void SpmTokenizer::merge(std::vector<Symbol>& symbols) const
{
    std::vector<Bigram> queue;
    auto try_add = [&](int left, int right) {
        if (left == -1 || right == -1)
            return;
        std::string_view pair(symbols[left].text, symbols[left].size + symbols[right].size);
        int32_t id = m_vocab.find(pair);
        if (id == Vocabulary::no_token)
            return;
        queue.push_back({ left, right, m_vocab.score(id), pair.size() });
        std::push_heap(queue.begin(), queue.end(), BigramLess {});
    };
    for (size_t i = 1; i < symbols.size(); ++i)
        try_add(static_cast<int>(i) - 1, static_cast<int>(i));

    while (!queue.empty()) {
        std::pop_heap(queue.begin(), queue.end(), BigramLess {});
        Bigram bigram = queue.back();
        queue.pop_back();
        Symbol& left = symbols[bigram.left];
        Symbol& right = symbols[bigram.right];
        // Stale: one side has been merged into something else since.
        if (left.size == 0 || right.size == 0 || left.size + right.size != bigram.size)
            continue;
        left.size += right.size;
        right.size = 0;
        left.next = right.next;
        if (right.next >= 0)
            symbols[right.next].prev = bigram.left;
        try_add(left.prev, bigram.left);
        try_add(bigram.left, left.next);
    }
}

// A merged symbol is always a token; an unmerged one may not be, and then
// goes out as bytes. (llama.cpp also splits merged symbols back along its
// merge history when they are not tokens; with merges only ever forming
// tokens that cannot happen, so the history is not kept.)
void SpmTokenizer::resegment(const Symbol& symbol, std::vector<int32_t>& out) const
{
    int32_t id = m_vocab.find(std::string_view(symbol.text, symbol.size));
    if (id != Vocabulary::no_token) {
        out.push_back(id);
        return;
    }
    push_bytes(symbol.text, symbol.size, out);
}

void SpmTokenizer::push_bytes(const char* text, size_t size, std::vector<int32_t>& out) const
{
    for (size_t i = 0; i < size; ++i) {
        int32_t id = m_vocab.byte_token(static_cast<uint8_t>(text[i]));
        out.push_back(id != Vocabulary::no_token ? id : m_vocab.unknown());
    }
}

} // namespace fluid::llm
