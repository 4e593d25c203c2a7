#include "llm/GenerationStats.h"

#include <cstdio>

namespace fluid::llm {

static double per_second(size_t count, double ms)
{
    return static_cast<double>(count) * 1000.0 / (ms > 0 ? ms : 1e-9);
}

double GenerationStats::prompt_tokens_per_second() const { return per_second(prompt_tokens, prompt_ms); }

double GenerationStats::generation_tokens_per_second() const { return per_second(evaluated_tokens, generation_ms); }

// Two decimals, except below 1 tok/s (a large model under emulation),
// where three significant digits keep the figure from reading 0.00.
static void format_rate(char* out, size_t size, double rate)
{
    snprintf(out, size, rate >= 1.0 || rate == 0.0 ? "%.2f" : "%.3g", rate);
}

int GenerationStats::format(char* out, size_t size, const char* workers_word) const
{
    char prompt_rate[32], generation_rate[32];
    format_rate(prompt_rate, sizeof(prompt_rate), prompt_tokens_per_second());
    format_rate(generation_rate, sizeof(generation_rate), generation_tokens_per_second());
    return snprintf(out, size, "load %.1f ms, prompt %zu tokens %s tok/s, generation %zu tokens %s tok/s, %u %s",
                    load_ms, prompt_tokens, prompt_rate, evaluated_tokens, generation_rate, workers, workers_word);
}

} // namespace fluid::llm
