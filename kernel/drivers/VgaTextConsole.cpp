#include "kernel/drivers/VgaTextConsole.h"

namespace fluid {

VgaTextConsole::VgaTextConsole(PortIo& io, uint64_t address, uint32_t columns, uint32_t rows)
    : m_io(io)
    , m_cells(reinterpret_cast<volatile uint16_t*>(address))
{
    set_size(columns, rows);
}

void VgaTextConsole::clear()
{
    for (uint32_t i = 0; i < columns() * rows(); ++i)
        m_cells[i] = attribute | ' ';
}

void VgaTextConsole::draw_cell(uint32_t column, uint32_t row, char c)
{
    m_cells[row * columns() + column] = attribute | uint8_t(c);
}

void VgaTextConsole::scroll_up()
{
    uint32_t n = columns() * (rows() - 1);
    for (uint32_t i = 0; i < n; ++i)
        m_cells[i] = m_cells[i + columns()];
    for (uint32_t i = n; i < n + columns(); ++i)
        m_cells[i] = attribute | ' ';
}

void VgaTextConsole::move_cursor(uint32_t column, uint32_t row)
{
    // CRTC cursor location registers 0x0e/0x0f [IBM VGA, CRT controller].
    uint16_t position = uint16_t(row * columns() + column);
    m_io.write8(0x3d4, 0x0f);
    m_io.write8(0x3d5, uint8_t(position));
    m_io.write8(0x3d4, 0x0e);
    m_io.write8(0x3d5, uint8_t(position >> 8));
}

} // namespace fluid
