// A text console drawn on a linear RGB framebuffer (what GRUB hands over
// under UEFI, where VGA text mode does not exist), 8x16 glyphs.
//
// It never reads the framebuffer: video memory is uncached or
// write-combining on real hardware, where reading it back (a memmove to
// scroll) runs at a few tens of MB/s, a tenth of a second per line at
// 1920x1080. A copy of the characters on screen lets scrolling redraw
// only the cells whose character changes.
#pragma once

#include "kernel/drivers/TextScreen.h"

#include <cstdint>

namespace fluid {

struct FramebufferFormat {
    uint64_t address;
    uint32_t pitch, width, height;
    uint8_t bpp; // 32, 24 or 16
    uint8_t red_position, red_size, green_position, green_size, blue_position, blue_size;
};

class FramebufferConsole final : public TextScreen {
public:
    explicit FramebufferConsole(const FramebufferFormat&);
    void clear();

private:
    // Large enough for 3840x2160 in 8x16 cells; a bigger screen uses this much of it.
    static constexpr uint32_t max_columns = 480, max_rows = 135;

    void draw_cell(uint32_t column, uint32_t row, char c) override;
    void scroll_up() override;
    void draw_glyph(uint32_t column, uint32_t row, char c);
    void fill_rows(uint32_t first_pixel_row, uint32_t count, uint32_t pixel);
    void put_pixel(uint8_t* line, uint32_t x, uint32_t pixel);
    uint32_t pack(uint8_t r, uint8_t g, uint8_t b) const;

    FramebufferFormat m_format;
    uint32_t m_foreground;
    uint32_t m_background;
    char m_cells[max_rows * max_columns]; // what each cell shows
};

} // namespace fluid
