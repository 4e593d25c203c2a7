#include "kernel/drivers/TextScreen.h"

namespace fluid {

void TextScreen::new_line()
{
    m_column = 0;
    if (m_row + 1 < m_rows) {
        ++m_row;
        return;
    }
    scroll_up();
}

void TextScreen::put(char c)
{
    switch (c) {
    case '\n':
        new_line();
        return;
    case '\r':
        m_column = 0;
        return;
    case '\b':
        if (m_column > 0)
            --m_column;
        return;
    case '\t':
        do
            put(' ');
        while (m_column % 8);
        return;
    default:
        break;
    }
    if (uint8_t(c) < 0x20 || uint8_t(c) >= 0x7f)
        c = '?';
    if (m_column >= m_columns)
        new_line();
    draw_cell(m_column, m_row, c);
    ++m_column;
}

void TextScreen::write(const char* data, size_t length)
{
    if (!m_columns || !m_rows)
        return;
    for (size_t i = 0; i < length; ++i)
        put(data[i]);
    move_cursor(m_column, m_row);
}

} // namespace fluid
