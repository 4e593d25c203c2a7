#include "kernel/drivers/Uart16550.h"
#include "tests/unit/drivers/FakePortIo.h"

#include <gtest/gtest.h>

using fluid::Uart16550;
using fluid::test::FakePortIo;

static constexpr uint16_t base = 0x3f8;

TEST(Uart16550, ProgramsDivisorAnd8N1)
{
    FakePortIo io;
    io.loopback = true;
    io.loopback_port = base;
    Uart16550 uart(io, base);
    ASSERT_TRUE(uart.init());
    // DLAB on (0x80 to LCR), divisor 1 in DLL, then 8N1 with DLAB off.
    auto lcr = io.bytes_written_to(base + 3);
    ASSERT_GE(lcr.size(), 2u);
    EXPECT_EQ(lcr[0], 0x80);
    EXPECT_EQ(lcr.back(), 0x03);
    auto data = io.bytes_written_to(base);
    ASSERT_FALSE(data.empty());
    EXPECT_EQ(data[0], 0x01);
}

TEST(Uart16550, AbsentWhenLoopbackFails)
{
    FakePortIo io; // reads answer 0xff: floating bus, no UART
    Uart16550 uart(io, base);
    EXPECT_FALSE(uart.init());
    size_t before = io.writes.size();
    uart.write("x", 1);
    EXPECT_EQ(io.writes.size(), before) << "writes to a missing UART must be dropped";
    EXPECT_EQ(uart.read_byte(), -1);
}

TEST(Uart16550, TranslatesNewlineToCrLf)
{
    FakePortIo io;
    io.loopback = true;
    io.loopback_port = base;
    Uart16550 uart(io, base);
    ASSERT_TRUE(uart.init());
    io.writes.clear();
    io.read_default[base + 5] = 0x20; // transmitter empty
    uart.write("a\nb", 3);
    auto data = io.bytes_written_to(base);
    EXPECT_EQ(data, (std::vector<uint8_t> { 'a', '\r', '\n', 'b' }));
}

TEST(Uart16550, ReadsOnlyWhenDataReady)
{
    FakePortIo io;
    io.loopback = true;
    io.loopback_port = base;
    Uart16550 uart(io, base);
    ASSERT_TRUE(uart.init());
    io.loopback = false;
    io.read_queue[base + 5] = { 0x20, 0x21 }; // not ready, then ready
    io.read_queue[base] = { 'z' };
    EXPECT_EQ(uart.read_byte(), -1);
    EXPECT_EQ(uart.read_byte(), 'z');
}

TEST(Uart16550, DoesNotHangOnAWedgedTransmitter)
{
    FakePortIo io;
    io.loopback = true;
    io.loopback_port = base;
    Uart16550 uart(io, base);
    ASSERT_TRUE(uart.init());
    io.read_default[base + 5] = 0x00; // never empty
    uart.write("x", 1);               // returns after a bounded wait
    EXPECT_EQ(io.bytes_written_to(base).back(), 'x');
}
