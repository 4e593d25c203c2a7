#include "kernel/mm/PageBitmap.h"

namespace fluid {

void PageBitmap::fill(bool value)
{
    uint64_t pattern = value ? ~uint64_t(0) : 0;
    for (uint64_t i = 0; i < words_for(m_bit_count); i++)
        m_words[i] = pattern;
}

void PageBitmap::set_range(uint64_t start, uint64_t count, bool value)
{
    while (count > 0) {
        uint64_t bit = start % bits_per_word;
        uint64_t span = bits_per_word - bit < count ? bits_per_word - bit : count;
        // `span` bits starting at `bit`; span == 64 only when bit == 0.
        uint64_t mask = span == bits_per_word ? ~uint64_t(0) : ((uint64_t(1) << span) - 1) << bit;
        uint64_t& word = m_words[start / bits_per_word];
        word = value ? (word | mask) : (word & ~mask);
        start += span;
        count -= span;
    }
}

uint64_t PageBitmap::find_first(bool value, uint64_t from, uint64_t to) const
{
    if (to > m_bit_count)
        to = m_bit_count;
    if (from >= to)
        return to;
    // XOR with `flip` turns the bits we look for into ones.
    uint64_t flip = value ? 0 : ~uint64_t(0);
    uint64_t index = from / bits_per_word;
    uint64_t word = (m_words[index] ^ flip) & (~uint64_t(0) << (from % bits_per_word));
    for (;;) {
        if (word != 0) {
            uint64_t found = index * bits_per_word + uint64_t(__builtin_ctzll(word));
            return found < to ? found : to;
        }
        index++;
        if (index * bits_per_word >= to)
            return to;
        word = m_words[index] ^ flip;
    }
}

uint64_t PageBitmap::count_ones() const
{
    uint64_t total = 0;
    uint64_t full_words = m_bit_count / bits_per_word;
    for (uint64_t i = 0; i < full_words; i++)
        total += uint64_t(__builtin_popcountll(m_words[i]));
    uint64_t tail = m_bit_count % bits_per_word;
    if (tail != 0)
        total += uint64_t(__builtin_popcountll(m_words[full_words] & ((uint64_t(1) << tail) - 1)));
    return total;
}

} // namespace fluid
