// Cursor handling shared by the screen consoles: a grid of character
// cells with line wrap, backspace, tab and scrolling. Subclasses draw.
#pragma once

#include "kernel/drivers/CharacterDevice.h"

#include <cstdint>

namespace fluid {

class TextScreen : public CharacterDevice {
public:
    void write(const char* data, size_t length) override;

protected:
    void set_size(uint32_t columns, uint32_t rows)
    {
        m_columns = columns;
        m_rows = rows;
    }
    uint32_t columns() const { return m_columns; }
    uint32_t rows() const { return m_rows; }

    virtual void draw_cell(uint32_t column, uint32_t row, char c) = 0;
    // Moves every row up by one and blanks the last.
    virtual void scroll_up() = 0;
    virtual void move_cursor(uint32_t column, uint32_t row) { }

private:
    void put(char c);
    void new_line();

    uint32_t m_columns { 0 };
    uint32_t m_rows { 0 };
    uint32_t m_column { 0 };
    uint32_t m_row { 0 };
};

} // namespace fluid
