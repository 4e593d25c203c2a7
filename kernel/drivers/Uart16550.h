// A 16550-compatible UART [TI PC16550D datasheet]. COM1 at 0x3f8 is the
// kernel's main console: 115200 baud, 8 data bits, no parity, one stop
// bit. Output is polled. Input is polled until enable_receive_interrupt();
// from then on the IRQ handler drains the 16-byte FIFO into a 4 KiB ring,
// so bytes typed (or pasted) while the kernel is busy are not lost.
#pragma once

#include "kernel/drivers/CharacterDevice.h"
#include "kernel/drivers/PortIo.h"

#include <atomic>
#include <cstdint>

namespace fluid {

class Uart16550 final : public CharacterDevice {
public:
    static constexpr uint16_t com1 = 0x3f8;

    Uart16550(PortIo& io, uint16_t base) : m_io(io), m_base(base) { }

    // Programs 115200 8N1 with FIFOs. Returns false if no UART answers
    // (checked with the loopback test), in which case writes are dropped.
    bool init();
    bool present() const { return m_present; }

    void write(const char* data, size_t length) override;
    int read_byte() override;
    bool input_interrupt_driven() const override { return m_interrupt_driven; }
    bool input_pending() const override
    {
        return m_head.load(std::memory_order_acquire) != m_tail.load(std::memory_order_relaxed);
    }

    // Turns on the "received data available" interrupt (IER bit 0); from
    // then on call on_interrupt() from the IRQ handler.
    void enable_receive_interrupt();
    void on_interrupt();
    // Bytes lost because the ring was full.
    uint64_t overruns() const { return m_overruns; }

private:
    void put(uint8_t byte);

    static constexpr uint32_t ring_size = 4096;
    // Single producer (the IRQ handler), single consumer (the shell).
    uint8_t m_ring[ring_size] {};
    std::atomic<uint32_t> m_head { 0 }; // next write
    std::atomic<uint32_t> m_tail { 0 }; // next read
    uint64_t m_overruns { 0 };
    bool m_interrupt_driven { false };

    PortIo& m_io;
    uint16_t m_base;
    bool m_present { false };
};

} // namespace fluid
