// Size classes of the small-object heap. Below 128 bytes they step by 16
// (the malloc alignment); above, four classes per power of two, which keeps
// internal fragmentation under 25% as jemalloc and mimalloc do.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace fluid::size_class {

constexpr size_t granule = 16;
constexpr size_t count = 24;
constexpr size_t max_size = 2048;

constexpr std::array<uint16_t, count> sizes = {
    16, 32, 48, 64, 80, 96, 112, 128,
    160, 192, 224, 256, 320, 384, 448, 512,
    640, 768, 896, 1024, 1280, 1536, 1792, 2048,
};

// Class index for each multiple of the granule: lookup[ceil(size / 16)].
constexpr auto lookup = [] {
    std::array<uint8_t, max_size / granule + 1> table {};
    size_t index = 0;
    for (size_t units = 0; units < table.size(); units++) {
        while (sizes[index] < units * granule)
            index++;
        table[units] = uint8_t(index);
    }
    return table;
}();

static_assert(lookup[1] == 0 && lookup[9] == 8 && lookup[max_size / granule] == count - 1);

// Smallest class holding `size` bytes (size <= max_size).
constexpr size_t index_for(size_t size) { return lookup[(size + granule - 1) / granule]; }

// Smallest class holding `size` bytes whose objects are `alignment`
// aligned. Objects sit at multiples of their size from a page-aligned span
// base, so a class size that is a multiple of the alignment is enough.
// Returns `count` if none fits.
constexpr size_t index_for(size_t size, size_t alignment)
{
    for (size_t index = index_for(size); index < count; index++) {
        if (sizes[index] % alignment == 0)
            return index;
    }
    return count;
}

} // namespace fluid::size_class
