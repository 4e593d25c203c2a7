#include "llm/Sampler.h"

#include <algorithm>
#include <cmath>

namespace fluid::llm {

int32_t Sampler::argmax(const float* logits, size_t vocab)
{
    size_t best = 0;
    for (size_t i = 1; i < vocab; ++i) {
        if (logits[i] > logits[best])
            best = i;
    }
    return static_cast<int32_t>(best);
}

float Sampler::top2_gap(const float* logits, size_t vocab)
{
    if (vocab < 2)
        return INFINITY;
    float first = -INFINITY, second = -INFINITY;
    for (size_t i = 0; i < vocab; ++i) {
        if (logits[i] > first) {
            second = first;
            first = logits[i];
        } else if (logits[i] > second) {
            second = logits[i];
        }
    }
    return first - second;
}

int32_t Sampler::sample(const float* logits, size_t vocab)
{
    if (m_options.temperature <= 0.0f || vocab == 0)
        return argmax(logits, vocab);

    m_candidates.resize(vocab);
    for (size_t i = 0; i < vocab; ++i)
        m_candidates[i] = { static_cast<int32_t>(i), logits[i] };
    auto higher = [](const Candidate& a, const Candidate& b) {
        return a.value > b.value || (a.value == b.value && a.id < b.id);
    };
    size_t keep = vocab;
    if (m_options.top_k > 0 && m_options.top_k < vocab)
        keep = m_options.top_k;
    std::partial_sort(m_candidates.begin(), m_candidates.begin() + keep, m_candidates.end(), higher);
    m_candidates.resize(keep);

    const float max = m_candidates[0].value;
    double sum = 0;
    for (auto& c : m_candidates) {
        c.value = std::exp((c.value - max) / m_options.temperature);
        sum += c.value;
    }
    for (auto& c : m_candidates)
        c.value = static_cast<float>(c.value / sum);

    if (m_options.top_p < 1.0f) {
        double cumulative = 0;
        size_t cut = m_candidates.size();
        for (size_t i = 0; i < m_candidates.size(); ++i) {
            cumulative += m_candidates[i].value;
            if (cumulative >= m_options.top_p) {
                cut = i + 1;
                break;
            }
        }
        m_candidates.resize(cut);
    }

    double total = 0;
    for (auto& c : m_candidates)
        total += c.value;
    const double target = m_rng.next_float() * total;
    double cumulative = 0;
    for (auto& c : m_candidates) {
        cumulative += c.value;
        if (target < cumulative)
            return c.id;
    }
    return m_candidates.back().id;
}

} // namespace fluid::llm
