// The chat formats `chat` understands, recognised from the model's
// tokenizer.chat_template (a Jinja template we do not execute: we match the
// markers of the common templates and render them ourselves):
//   Zephyr (TinyLlama-Chat): <|user|>\nMESSAGE</s>\n<|assistant|>\n
//   ChatML:                  <|im_start|>user\nMESSAGE<|im_end|>\n<|im_start|>assistant\n
//   Plain:                   MESSAGE as it is (no template, or one we do not know)
// Special-token text in the rendered prompt ("</s>", "<|im_end|>") becomes
// the token itself when the vocabulary has it as a control or user-defined
// token, as llama.cpp tokenises chat prompts (parse_special = true).
#pragma once

#include "llm/GgufFile.h"
#include "llm/SpmTokenizer.h"
#include "llm/Vocabulary.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fluid::llm {

enum class ChatFormat { Zephyr, ChatMl, Plain };

class ChatTemplate {
public:
    // From the template text; an empty text means the model has none.
    static ChatTemplate recognise(std::string_view jinja);
    // From tokenizer.chat_template when the file has one.
    static ChatTemplate from_gguf(const GgufFile& file);

    ChatFormat format() const { return m_format; }
    // "zephyr", "chatml", or "plain (no chat template)" / "plain (unknown chat template)".
    const char* description() const;

    // The prompt for one user turn, ending where the assistant's answer starts.
    std::string render(std::string_view message) const;

private:
    ChatFormat m_format { ChatFormat::Plain };
    bool m_had_template { false };
};

// Tokenises `text` with special tokens parsed: spans equal to the piece of
// a control or user-defined token become that token; the text between
// goes through the tokenizer (with its space prefix, as llama.cpp does
// after a special token). BOS first when `add_bos`.
std::vector<int32_t> encode_with_special_tokens(const SpmTokenizer& tokenizer, const Vocabulary& vocab,
                                                std::string_view text, bool add_bos);

} // namespace fluid::llm
