#include "llm/Generator.h"

namespace fluid::llm {

static double ms_between(uint64_t start_ns, uint64_t end_ns)
{
    return static_cast<double>(end_ns - start_ns) / 1e6;
}

ErrorOr<void> Generator::run(const GenerationRequest& request, TokenSink sink, void* sink_context,
                             std::vector<int32_t>& generated, GenerationStats& stats)
{
    if (request.prompt_size == 0)
        return Error::from(ErrorCode::Invalid, "generate: empty prompt and no BOS token");
    if (request.prompt_size + request.max_tokens > m_transformer.context()) {
        return Error::format(ErrorCode::Invalid, "generate: %zu prompt tokens + %u new ones exceed the context of %u",
                             request.prompt_size, request.max_tokens, m_transformer.context());
    }
    generated.clear();
    stats.prompt_tokens = request.prompt_size;

    // The prompt goes through in batches (Transformer::max_batch tokens):
    // same numbers as one at a time, fewer passes over the weights.
    const uint64_t prompt_start = m_clock();
    std::vector<uint32_t> prompt(request.prompt, request.prompt + request.prompt_size);
    const float* logits = TRY(m_transformer.forward(m_executor, prompt.data(), prompt.size(), 0));
    uint32_t pos = static_cast<uint32_t>(prompt.size());
    stats.prompt_ms = ms_between(prompt_start, m_clock());

    Sampler sampler(request.sampler);
    const uint64_t generation_start = m_clock();
    for (uint32_t i = 0; i < request.max_tokens; ++i) {
        int32_t next = sampler.sample(logits, m_vocab_size);
        generated.push_back(next);
        if (sink)
            sink(sink_context, next, logits, m_vocab_size);
        if ((next == request.eos && !request.ignore_eos) || i + 1 == request.max_tokens)
            break;
        logits = TRY(m_transformer.forward(m_executor, static_cast<uint32_t>(next), pos++));
    }
    stats.generation_ms = ms_between(generation_start, m_clock());
    // Tokens that were run through the model (the last one is only sampled).
    stats.evaluated_tokens = generated.empty() ? 0 : generated.size() - 1;
    return {};
}

} // namespace fluid::llm
