// The VGA text console (80x25 cells at 0xb8000 by default), used when the
// BIOS path leaves the display in text mode.
#pragma once

#include "kernel/drivers/PortIo.h"
#include "kernel/drivers/TextScreen.h"

#include <cstdint>

namespace fluid {

class VgaTextConsole final : public TextScreen {
public:
    VgaTextConsole(PortIo& io, uint64_t address, uint32_t columns, uint32_t rows);
    void clear();

private:
    void draw_cell(uint32_t column, uint32_t row, char c) override;
    void scroll_up() override;
    void move_cursor(uint32_t column, uint32_t row) override;

    PortIo& m_io;
    volatile uint16_t* m_cells;
    static constexpr uint16_t attribute = 0x0700; // light grey on black
};

} // namespace fluid
