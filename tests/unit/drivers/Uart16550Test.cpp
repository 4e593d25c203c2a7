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

// Interrupt-driven input: the handler drains the FIFO into the ring; the
// reader takes bytes in order; a full ring drops (and counts) the excess
// instead of overwriting what the reader has not seen.
TEST(Uart16550, InterruptDrainsFifoIntoRingInOrder)
{
    FakePortIo io;
    io.loopback = true;
    io.loopback_port = base;
    Uart16550 uart(io, base);
    ASSERT_TRUE(uart.init());
    io.loopback = false;
    io.read_default[base + 5] = 0x20; // nothing received yet
    uart.enable_receive_interrupt();
    EXPECT_TRUE(uart.input_interrupt_driven());
    EXPECT_FALSE(uart.input_pending());
    auto ier = io.bytes_written_to(base + 1);
    ASSERT_FALSE(ier.empty());
    EXPECT_EQ(ier.back(), 0x01) << "received-data interrupt enabled";

    for (uint8_t byte : { 'l', 's', '\r' }) {
        io.read_queue[base + 5].push_back(0x21); // data ready
        io.read_queue[base].push_back(byte);
    }
    uart.on_interrupt();
    EXPECT_TRUE(uart.input_pending());
    EXPECT_EQ(uart.read_byte(), 'l');
    EXPECT_EQ(uart.read_byte(), 's');
    EXPECT_EQ(uart.read_byte(), '\r');
    EXPECT_EQ(uart.read_byte(), -1);
    EXPECT_FALSE(uart.input_pending());
}

TEST(Uart16550, FullRingCountsOverrunsAndKeepsOldBytes)
{
    FakePortIo io;
    io.loopback = true;
    io.loopback_port = base;
    Uart16550 uart(io, base);
    ASSERT_TRUE(uart.init());
    io.loopback = false;
    io.read_default[base + 5] = 0x20;
    uart.enable_receive_interrupt();
    constexpr int total = 4096 + 10;
    for (int sent = 0; sent < total;) {
        for (int i = 0; i < 64 && sent < total; ++i, ++sent) {
            io.read_queue[base + 5].push_back(0x21);
            io.read_queue[base].push_back(uint8_t(sent));
        }
        uart.on_interrupt();
    }
    EXPECT_EQ(uart.overruns(), 10u);
    for (int i = 0; i < 4096; ++i)
        ASSERT_EQ(uart.read_byte(), uint8_t(i)) << "byte " << i;
    EXPECT_EQ(uart.read_byte(), -1);
}
