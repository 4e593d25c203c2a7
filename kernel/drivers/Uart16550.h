// A 16550-compatible UART [TI PC16550D datasheet], polled. COM1 at 0x3f8
// is the kernel's main console: 115200 baud, 8 data bits, no parity, one
// stop bit.
#pragma once

#include "kernel/drivers/CharacterDevice.h"
#include "kernel/drivers/PortIo.h"

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

private:
    void put(uint8_t byte);

    PortIo& m_io;
    uint16_t m_base;
    bool m_present { false };
};

} // namespace fluid
