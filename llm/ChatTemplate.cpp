#include "llm/ChatTemplate.h"

#include <algorithm>

namespace fluid::llm {

static bool contains(std::string_view haystack, std::string_view needle)
{
    return haystack.find(needle) != std::string_view::npos;
}

ChatTemplate ChatTemplate::recognise(std::string_view jinja)
{
    ChatTemplate t;
    t.m_had_template = !jinja.empty();
    if (contains(jinja, "<|im_start|>"))
        t.m_format = ChatFormat::ChatMl;
    else if (contains(jinja, "<|user|>") && contains(jinja, "<|assistant|>"))
        t.m_format = ChatFormat::Zephyr;
    return t;
}

ChatTemplate ChatTemplate::from_gguf(const GgufFile& file)
{
    auto text = file.get_string("tokenizer.chat_template");
    return recognise(text.is_error() ? std::string_view() : text.value());
}

const char* ChatTemplate::description() const
{
    switch (m_format) {
    case ChatFormat::Zephyr:
        return "zephyr";
    case ChatFormat::ChatMl:
        return "chatml";
    case ChatFormat::Plain:
        break;
    }
    return m_had_template ? "plain (unknown chat template)" : "plain (no chat template)";
}

std::string ChatTemplate::render(std::string_view message) const
{
    std::string out;
    switch (m_format) {
    case ChatFormat::Zephyr:
        out = "<|user|>\n";
        out += message;
        out += "</s>\n<|assistant|>\n";
        break;
    case ChatFormat::ChatMl:
        out = "<|im_start|>user\n";
        out += message;
        out += "<|im_end|>\n<|im_start|>assistant\n";
        break;
    case ChatFormat::Plain:
        out = message;
        break;
    }
    return out;
}

std::vector<int32_t> encode_with_special_tokens(const SpmTokenizer& tokenizer, const Vocabulary& vocab,
                                                std::string_view text, bool add_bos)
{
    // The special tokens, longest first so "<|im_start|>" wins over any
    // shorter piece that is its prefix.
    std::vector<int32_t> specials;
    for (uint32_t id = 0; id < vocab.size(); ++id) {
        TokenType type = vocab.type(static_cast<int32_t>(id));
        if ((type == TokenType::Control || type == TokenType::UserDefined) && !vocab.piece(id).empty())
            specials.push_back(static_cast<int32_t>(id));
    }
    std::sort(specials.begin(), specials.end(), [&](int32_t a, int32_t b) {
        size_t la = vocab.piece(a).size(), lb = vocab.piece(b).size();
        return la != lb ? la > lb : a < b;
    });

    std::vector<int32_t> out;
    if (add_bos && vocab.bos() != Vocabulary::no_token)
        out.push_back(vocab.bos());
    size_t text_start = 0;
    auto flush = [&](size_t end) {
        if (end > text_start) {
            std::vector<int32_t> part = tokenizer.encode(text.substr(text_start, end - text_start), false);
            out.insert(out.end(), part.begin(), part.end());
        }
    };
    for (size_t i = 0; i < text.size();) {
        int32_t found = Vocabulary::no_token;
        for (int32_t id : specials) {
            if (text.substr(i).starts_with(vocab.piece(id))) {
                found = id;
                break;
            }
        }
        if (found == Vocabulary::no_token) {
            ++i;
            continue;
        }
        flush(i);
        out.push_back(found);
        i += vocab.piece(found).size();
        text_start = i;
    }
    flush(text.size());
    return out;
}

} // namespace fluid::llm
