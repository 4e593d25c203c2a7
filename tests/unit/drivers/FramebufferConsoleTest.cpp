#include "kernel/drivers/FramebufferConsole.h"

#include <gtest/gtest.h>

#include <vector>

using fluid::FramebufferConsole;
using fluid::FramebufferFormat;

namespace {

FramebufferFormat format32(std::vector<uint32_t>& pixels, uint32_t width, uint32_t height)
{
    pixels.assign(size_t(width) * height, 0x12345678);
    return FramebufferFormat { reinterpret_cast<uint64_t>(pixels.data()), width * 4, width, height, 32, 16, 8, 8, 8, 0, 8 };
}

size_t lit_pixels(const std::vector<uint32_t>& px, uint32_t width, uint32_t x0, uint32_t y0)
{
    size_t n = 0;
    for (uint32_t y = y0; y < y0 + 16; ++y)
        for (uint32_t x = x0; x < x0 + 8; ++x)
            n += px[y * width + x] != 0;
    return n;
}

} // namespace

TEST(FramebufferConsole, ClearsAndDrawsGlyphs)
{
    std::vector<uint32_t> px;
    FramebufferConsole fb(format32(px, 64, 48)); // 8 columns, 3 rows
    fb.clear();
    for (uint32_t v : px)
        ASSERT_EQ(v, 0u);
    fb.write("A ", 2);
    EXPECT_GT(lit_pixels(px, 64, 0, 0), 10u) << "'A' should light some pixels";
    EXPECT_EQ(lit_pixels(px, 64, 8, 0), 0u) << "a space lights none";
    // Foreground is light grey packed into the RGB positions: 0xc0c0c0.
    bool found = false;
    for (uint32_t v : px)
        found |= v == 0x00c0c0c0;
    EXPECT_TRUE(found);
}

TEST(FramebufferConsole, ScrollsTextUp)
{
    std::vector<uint32_t> px;
    FramebufferConsole fb(format32(px, 64, 48));
    fb.clear();
    fb.write("X\n\n\n", 4); // X on row 0, then scroll once
    EXPECT_EQ(lit_pixels(px, 64, 0, 0), 0u) << "row 0 scrolled away";
    fb.write("Y", 1);
    EXPECT_GT(lit_pixels(px, 64, 0, 32), 10u);
}

TEST(FramebufferConsole, Supports16BitPixels)
{
    std::vector<uint16_t> px(32 * 16, 0xffff);
    FramebufferFormat f { reinterpret_cast<uint64_t>(px.data()), 64, 32, 16, 16, 11, 5, 5, 6, 0, 5 };
    FramebufferConsole fb(f);
    fb.clear();
    for (uint16_t v : px)
        ASSERT_EQ(v, 0u);
    fb.write("#", 1);
    size_t lit = 0;
    for (uint16_t v : px)
        lit += v != 0;
    EXPECT_GT(lit, 10u);
}

// Scrolling redraws from the console's own copy of the text: the rows move
// up exactly as drawn, and pixels outside the text are never read back
// (a framebuffer is write-only in practice: reading video memory is slow).
TEST(FramebufferConsole, ScrollingRedrawsRowsWithoutReadingThem)
{
    std::vector<uint32_t> px, reference;
    FramebufferConsole fb(format32(px, 64, 48)); // 8 columns, 3 rows
    FramebufferConsole expected(format32(reference, 64, 48));
    fb.clear();
    expected.clear();
    fb.write("one\ntwo\nthree\nfour", 18);
    expected.write("two\nthree\nfour", 14);
    EXPECT_EQ(px, reference) << "after one scroll the screen shows rows two, three, four";
    // Scribble on the framebuffer: a console that read it back would move the scribble up.
    px[2 * 16 * 64 + 63] = 0xdeadbeef; // row 2, last cell, top-right pixel, a blank cell
    fb.write("\nfive", 5);
    expected.write("\nfive", 5);
    reference[2 * 16 * 64 + 63] = 0xdeadbeef; // blank before and after: not redrawn
    EXPECT_EQ(px[1 * 16 * 64 + 63], 0u) << "the scribble was copied up: the framebuffer was read";
    EXPECT_EQ(px, reference);
}
