// The generation loop shared by the kernel's `generate`/`chat` and
// `fluid-host generate`: the prompt through the model in batches, then
// sample, report, evaluate, until the token budget or EOS. Time comes from
// a clock function the platform passes in (portable code has no clock of
// its own).
#pragma once

#include "kernel/lib/ErrorOr.h"
#include "kernel/lib/ParallelExecutor.h"
#include "llm/GenerationStats.h"
#include "llm/Sampler.h"
#include "llm/Transformer.h"

#include <cstdint>
#include <vector>

namespace fluid::llm {

struct GenerationRequest {
    const int32_t* prompt { nullptr };
    size_t prompt_size { 0 };
    uint32_t max_tokens { 32 };
    SamplerOptions sampler;
    int32_t eos { -1 };      // stops after producing it, unless ignore_eos
    bool ignore_eos { false };
};

class Generator {
public:
    using Clock = uint64_t (*)(); // nanoseconds, monotonic
    // Called for each token as soon as it is chosen; `logits` are the ones
    // it was sampled from.
    using TokenSink = void (*)(void* context, int32_t token, const float* logits, size_t vocab);

    Generator(Transformer& transformer, ParallelExecutor& executor, size_t vocab_size, Clock clock)
        : m_transformer(transformer), m_executor(executor), m_vocab_size(vocab_size), m_clock(clock) { }

    // Fills `stats` (all but load_ms and workers) and `generated`.
    ErrorOr<void> run(const GenerationRequest& request, TokenSink sink, void* sink_context,
                      std::vector<int32_t>& generated, GenerationStats& stats);

private:
    Transformer& m_transformer;
    ParallelExecutor& m_executor;
    size_t m_vocab_size;
    Clock m_clock;
};

} // namespace fluid::llm
