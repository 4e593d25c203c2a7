// The figures of one generation run and the closing line that reports them,
// shared by the kernel's `generate` and `fluid-host generate` so both print
// the same thing:
//   load 2.5 ms, prompt 12 tokens 531.11 tok/s, generation 15 tokens 112.41 tok/s, 2 threads
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid::llm {

struct GenerationStats {
    double load_ms { 0 };
    size_t prompt_tokens { 0 };
    double prompt_ms { 0 };
    // Tokens run through the model after the prompt (the last sampled one
    // is never evaluated, so this is one less than the tokens produced).
    size_t evaluated_tokens { 0 };
    double generation_ms { 0 };
    uint32_t workers { 1 };

    double prompt_tokens_per_second() const;
    double generation_tokens_per_second() const;

    // The closing line without a newline; `workers_word` is "threads"
    // (fluid-host) or "cores" (the kernel). Returns the length snprintf
    // would have written.
    int format(char* out, size_t size, const char* workers_word) const;
};

} // namespace fluid::llm
