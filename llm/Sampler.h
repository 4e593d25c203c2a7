// Picks the next token from the logits: greedy (argmax) when the
// temperature is 0, otherwise top-k, then softmax at the temperature, then
// top-p (nucleus), then a draw from a seeded PCG32. Deterministic: the same
// seed and logits give the same tokens.
#pragma once

#include "llm/Pcg32.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fluid::llm {

struct SamplerOptions {
    float temperature { 0.0f };
    uint32_t top_k { 40 };  // 0: all tokens
    float top_p { 0.95f };  // 1: no cut
    uint64_t seed { 0 };
};

class Sampler {
public:
    explicit Sampler(const SamplerOptions& options) : m_options(options), m_rng(options.seed) { }

    int32_t sample(const float* logits, size_t vocab);

    // The index of the largest logit (the lowest index on ties) and its
    // margin over the runner-up, to tell near-ties from real differences.
    static int32_t argmax(const float* logits, size_t vocab);
    static float top2_gap(const float* logits, size_t vocab);

private:
    struct Candidate {
        int32_t id;
        float value;
    };
    SamplerOptions m_options;
    Pcg32 m_rng;
    std::vector<Candidate> m_candidates;
};

} // namespace fluid::llm
