// A non-owning bitmap over caller-provided 64-bit words, with the range
// operations the physical page allocator needs. Searches work a word at a
// time so that long runs of full (or empty) words cost one compare each.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fluid {

class PageBitmap {
public:
    static constexpr uint64_t bits_per_word = 64;

    PageBitmap() = default;
    PageBitmap(uint64_t* words, uint64_t bit_count) : m_words(words), m_bit_count(bit_count) { }

    static uint64_t words_for(uint64_t bit_count) { return (bit_count + bits_per_word - 1) / bits_per_word; }

    uint64_t size() const { return m_bit_count; }
    uint64_t* words() const { return m_words; }
    bool get(uint64_t index) const { return (m_words[index / bits_per_word] >> (index % bits_per_word)) & 1; }

    // Sets every word, including the unused tail bits of the last one.
    void fill(bool value);
    void set_range(uint64_t start, uint64_t count, bool value);

    // First index in [from, to) whose bit equals `value`, or `to` if none.
    uint64_t find_first(bool value, uint64_t from, uint64_t to) const;

    bool all_equal(bool value, uint64_t start, uint64_t count) const
    {
        return find_first(!value, start, start + count) == start + count;
    }

    uint64_t count_ones() const;

private:
    uint64_t* m_words { nullptr };
    uint64_t m_bit_count { 0 };
};

} // namespace fluid
