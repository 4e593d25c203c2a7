#include "kernel/drivers/VgaTextConsole.h"
#include "tests/unit/drivers/FakePortIo.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using fluid::VgaTextConsole;
using fluid::test::FakePortIo;

namespace {

struct Screen {
    std::vector<uint16_t> cells = std::vector<uint16_t>(80 * 25, 0);
    FakePortIo io;
    VgaTextConsole vga { io, reinterpret_cast<uint64_t>(cells.data()), 80, 25 };

    std::string row(unsigned r) const
    {
        std::string s;
        for (unsigned c = 0; c < 80; ++c)
            s += char(cells[r * 80 + c] & 0xff);
        while (!s.empty() && s.back() == ' ')
            s.pop_back();
        return s;
    }
};

} // namespace

TEST(VgaTextConsole, WritesCellsWithAttribute)
{
    Screen s;
    s.vga.clear();
    s.vga.write("hi", 2);
    EXPECT_EQ(s.cells[0], 0x0700 | 'h');
    EXPECT_EQ(s.cells[1], 0x0700 | 'i');
    EXPECT_EQ(s.row(0), "hi");
}

TEST(VgaTextConsole, NewlineBackspaceAndWrap)
{
    Screen s;
    s.vga.clear();
    s.vga.write("abc\b\bX\nnext", 11);
    EXPECT_EQ(s.row(0), "aXc");
    EXPECT_EQ(s.row(1), "next");
    std::string wide(85, 'w');
    s.vga.write(("\n" + wide).data(), wide.size() + 1);
    EXPECT_EQ(s.row(2), std::string(80, 'w'));
    EXPECT_EQ(s.row(3), "wwwww");
}

TEST(VgaTextConsole, ScrollsAtTheBottom)
{
    Screen s;
    s.vga.clear();
    for (int i = 0; i < 30; ++i) {
        std::string line = "line " + std::to_string(i) + "\n";
        s.vga.write(line.data(), line.size());
    }
    // 30 lines and a trailing newline on 25 rows: the last row is blank.
    EXPECT_EQ(s.row(23), "line 29");
    EXPECT_EQ(s.row(0), "line 6");
    EXPECT_EQ(s.row(24), "");
}

TEST(VgaTextConsole, MovesTheHardwareCursor)
{
    Screen s;
    s.vga.clear();
    s.vga.write("abc", 3);
    // Cursor position 3 -> CRTC 0x0f (low) = 3, 0x0e (high) = 0.
    auto data = s.io.bytes_written_to(0x3d5);
    ASSERT_GE(data.size(), 2u);
    EXPECT_EQ(data[data.size() - 2], 3);
    EXPECT_EQ(data.back(), 0);
}

TEST(VgaTextConsole, NonAsciiBecomesQuestionMark)
{
    Screen s;
    s.vga.clear();
    s.vga.write("\x01\xff", 2);
    EXPECT_EQ(s.row(0), "??");
}
