// A text console drawn on a linear RGB framebuffer (what GRUB hands over
// under UEFI, where VGA text mode does not exist), 8x16 glyphs.
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
    void draw_cell(uint32_t column, uint32_t row, char c) override;
    void scroll_up() override;
    void fill_rows(uint32_t first_pixel_row, uint32_t count, uint32_t pixel);
    void put_pixel(uint8_t* line, uint32_t x, uint32_t pixel);
    uint32_t pack(uint8_t r, uint8_t g, uint8_t b) const;

    FramebufferFormat m_format;
    uint32_t m_foreground;
    uint32_t m_background;
};

} // namespace fluid
