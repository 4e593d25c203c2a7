#include "kernel/drivers/Font8x16.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

using fluid::Font8x16;

namespace {

std::string bits(char c) { return std::string(reinterpret_cast<const char*>(Font8x16::glyph(c)), Font8x16::height); }

size_t lit(char c)
{
    size_t n = 0;
    for (unsigned char row : bits(c))
        n += __builtin_popcount(row);
    return n;
}

} // namespace

TEST(Font8x16, EveryPrintableCharacterHasItsOwnGlyph)
{
    std::set<std::string> seen;
    for (char c = 0x21; c < 0x7f; ++c) {
        EXPECT_GT(lit(c), 0u) << "'" << c << "' is blank";
        EXPECT_TRUE(seen.insert(bits(c)).second) << "'" << c << "' looks like another character";
    }
    EXPECT_EQ(lit(' '), 0u);
}

TEST(Font8x16, DotsAreDoubledAndLeaveTheCellEdgesFree)
{
    for (char c = 0x20; c < 0x7f; ++c) {
        std::string g = bits(c);
        for (size_t row = 0; row < Font8x16::height; row += 2) {
            EXPECT_EQ(g[row], g[row + 1]) << "'" << c << "' row " << row;
            // Columns 0, 6 and 7 stay dark, so neighbouring cells never touch.
            EXPECT_EQ(uint8_t(g[row]) & 0x83, 0) << "'" << c << "' row " << row;
        }
    }
    // Descenders reach the last rows; capitals do not.
    EXPECT_NE(bits('g')[15], 0);
    EXPECT_EQ(bits('A')[15], 0);
    // 'H': two stems and a bar on dot row 3.
    EXPECT_EQ(uint8_t(bits('H')[0]), 0b01000100);
    EXPECT_EQ(uint8_t(bits('H')[6]), 0b01111100);
}

TEST(Font8x16, ControlAndNonAsciiBytesShowAsQuestionMark)
{
    EXPECT_EQ(bits('\x01'), bits('?'));
    EXPECT_EQ(bits('\x7f'), bits('?'));
    EXPECT_EQ(bits(char(0xe9)), bits('?'));
}
