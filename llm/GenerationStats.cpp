#include "llm/GenerationStats.h"

#include <cstdio>

namespace fluid::llm {

static double per_second(size_t count, double ms)
{
    return static_cast<double>(count) * 1000.0 / (ms > 0 ? ms : 1e-9);
}

double GenerationStats::prompt_tokens_per_second() const { return per_second(prompt_tokens, prompt_ms); }

double GenerationStats::generation_tokens_per_second() const { return per_second(evaluated_tokens, generation_ms); }

int GenerationStats::format(char* out, size_t size, const char* workers_word) const
{
    return snprintf(out, size, "load %.1f ms, prompt %zu tokens %.2f tok/s, generation %zu tokens %.2f tok/s, %u %s",
                    load_ms, prompt_tokens, prompt_tokens_per_second(), evaluated_tokens,
                    generation_tokens_per_second(), workers, workers_word);
}

} // namespace fluid::llm
