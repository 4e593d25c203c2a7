#include "llm/Pcg32.h"
#include "llm/Sampler.h"

#include <gtest/gtest.h>

#include <vector>

using namespace fluid::llm;

TEST(Pcg32, MatchesReferenceSequence)
{
    // pcg32-demo's first outputs for seed 42, stream 54.
    Pcg32 rng(42, 54);
    EXPECT_EQ(rng.next(), 0xa15c02b7u);
    EXPECT_EQ(rng.next(), 0x7b47f409u);
    EXPECT_EQ(rng.next(), 0xba1d3330u);
}

TEST(Sampler, GreedyTakesTheFirstMaximum)
{
    std::vector<float> logits { 0.5f, 2.0f, -1.0f, 2.0f };
    Sampler sampler({});
    EXPECT_EQ(sampler.sample(logits.data(), logits.size()), 1);
    EXPECT_FLOAT_EQ(Sampler::top2_gap(logits.data(), logits.size()), 0.0f);
    logits[3] = 1.75f;
    EXPECT_FLOAT_EQ(Sampler::top2_gap(logits.data(), logits.size()), 0.25f);
}

TEST(Sampler, SameSeedSameTokensAndCutsApply)
{
    std::vector<float> logits(50);
    for (size_t i = 0; i < logits.size(); ++i)
        logits[i] = static_cast<float>(i % 7) * 0.3f;
    SamplerOptions options { 1.0f, 0, 1.0f, 1234 };
    Sampler a(options), b(options);
    std::vector<int32_t> first, second;
    for (int i = 0; i < 100; ++i) {
        first.push_back(a.sample(logits.data(), logits.size()));
        second.push_back(b.sample(logits.data(), logits.size()));
    }
    EXPECT_EQ(first, second);
    // Not all the same token: the temperature draw does something.
    EXPECT_NE(std::count(first.begin(), first.end(), first[0]), 100);

    // top-k 1 is greedy whatever the seed.
    Sampler top1({ 1.0f, 1, 1.0f, 99 });
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(top1.sample(logits.data(), logits.size()), 6);
    // A tiny top-p keeps only the most likely token (six-way tie broken by id).
    Sampler nucleus({ 1.0f, 0, 0.01f, 7 });
    EXPECT_EQ(nucleus.sample(logits.data(), logits.size()), 6);
}
