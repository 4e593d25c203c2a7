#include "kernel/drivers/FramebufferConsole.h"

#include "kernel/drivers/Font8x16.h"

#include <cstring>

namespace fluid {

static constexpr uint32_t glyph_width = Font8x16::width;
static constexpr uint32_t glyph_height = Font8x16::height;

FramebufferConsole::FramebufferConsole(const FramebufferFormat& format)
    : m_format(format)
{
    m_foreground = pack(0xc0, 0xc0, 0xc0);
    m_background = pack(0, 0, 0);
    uint32_t columns = format.width / glyph_width, rows = format.height / glyph_height;
    set_size(columns < max_columns ? columns : max_columns, rows < max_rows ? rows : max_rows);
    memset(m_cells, ' ', sizeof(m_cells));
}

uint32_t FramebufferConsole::pack(uint8_t r, uint8_t g, uint8_t b) const
{
    auto channel = [](uint8_t value, uint8_t position, uint8_t size) {
        return uint32_t(value >> (8 - (size > 8 ? 8 : size))) << position;
    };
    return channel(r, m_format.red_position, m_format.red_size)
        | channel(g, m_format.green_position, m_format.green_size)
        | channel(b, m_format.blue_position, m_format.blue_size);
}

void FramebufferConsole::put_pixel(uint8_t* line, uint32_t x, uint32_t pixel)
{
    switch (m_format.bpp) {
    case 32:
        reinterpret_cast<volatile uint32_t*>(line)[x] = pixel;
        break;
    case 24:
        line[x * 3] = uint8_t(pixel);
        line[x * 3 + 1] = uint8_t(pixel >> 8);
        line[x * 3 + 2] = uint8_t(pixel >> 16);
        break;
    case 16:
        reinterpret_cast<volatile uint16_t*>(line)[x] = uint16_t(pixel);
        break;
    }
}

void FramebufferConsole::draw_cell(uint32_t column, uint32_t row, char c)
{
    char& shown = m_cells[row * columns() + column];
    if (shown == c)
        return;
    shown = c;
    draw_glyph(column, row, c);
}

void FramebufferConsole::draw_glyph(uint32_t column, uint32_t row, char c)
{
    const uint8_t* glyph = Font8x16::glyph(c);
    auto* base = reinterpret_cast<uint8_t*>(m_format.address);
    for (uint32_t y = 0; y < glyph_height; ++y) {
        uint8_t* line = base + uint64_t(row * glyph_height + y) * m_format.pitch;
        for (uint32_t x = 0; x < glyph_width; ++x) {
            bool on = glyph[y] & (0x80 >> x);
            put_pixel(line, column * glyph_width + x, on ? m_foreground : m_background);
        }
    }
}

void FramebufferConsole::fill_rows(uint32_t first_pixel_row, uint32_t count, uint32_t pixel)
{
    auto* base = reinterpret_cast<uint8_t*>(m_format.address);
    for (uint32_t y = first_pixel_row; y < first_pixel_row + count; ++y)
        for (uint32_t x = 0; x < m_format.width; ++x)
            put_pixel(base + uint64_t(y) * m_format.pitch, x, pixel);
}

void FramebufferConsole::scroll_up()
{
    // Each row takes the characters of the one below; only the cells that
    // change are drawn (text is mostly blanks, so most do not).
    for (uint32_t row = 0; row < rows(); ++row)
        for (uint32_t column = 0; column < columns(); ++column)
            draw_cell(column, row, row + 1 < rows() ? m_cells[(row + 1) * columns() + column] : ' ');
}

void FramebufferConsole::clear()
{
    fill_rows(0, m_format.height, m_background);
    memset(m_cells, ' ', sizeof(m_cells));
}

} // namespace fluid
