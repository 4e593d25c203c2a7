// PCG32 (O'Neill, pcg32_random_r): a small deterministic generator, so that
// the same seed gives the same text on every platform and in the kernel.
#pragma once

#include <cstdint>

namespace fluid::llm {

class Pcg32 {
public:
    explicit Pcg32(uint64_t seed, uint64_t stream = 54)
    {
        m_increment = (stream << 1u) | 1u;
        next();
        m_state += seed;
        next();
    }

    uint32_t next()
    {
        uint64_t old = m_state;
        m_state = old * 6364136223846793005ULL + m_increment;
        uint32_t xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
        uint32_t rot = static_cast<uint32_t>(old >> 59u);
        return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
    }

    // Uniform in [0, 1), from the top 24 bits (exact in a float).
    float next_float() { return static_cast<float>(next() >> 8) * (1.0f / 16777216.0f); }

private:
    uint64_t m_state { 0 };
    uint64_t m_increment { 0 };
};

} // namespace fluid::llm
