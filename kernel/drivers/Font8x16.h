// The framebuffer console's built-in font: printable ASCII in 8x16 cells.
// Drawn for Fluid (Font8x16.cpp): a 5x8 dot-matrix design (caps 7 dots
// high, one row for descenders), each dot row doubled to fill 16 pixel
// rows, one blank column left and two right. No boot-loader or GPL font data.
#pragma once

#include <cstdint>

namespace fluid {

struct Font8x16 {
    static constexpr uint32_t width = 8;
    static constexpr uint32_t height = 16;
    // 16 rows of one byte each, the MSB leftmost. Characters outside
    // 0x20..0x7e get the glyph of '?'.
    static const uint8_t* glyph(char c);
};

} // namespace fluid
