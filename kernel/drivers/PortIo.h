// Port I/O as an interface, so drivers of port-mapped devices (16550 UART,
// PIT, ATA) can be exercised on the host against a fake.
#pragma once

#include <cstdint>

namespace fluid {

class PortIo {
public:
    virtual ~PortIo() = default;
    virtual uint8_t read8(uint16_t port) = 0;
    virtual void write8(uint16_t port, uint8_t value) = 0;
    virtual uint16_t read16(uint16_t port) = 0;
    virtual void write16(uint16_t port, uint16_t value) = 0;
    virtual uint32_t read32(uint16_t port) = 0;
    virtual void write32(uint16_t port, uint32_t value) = 0;
};

} // namespace fluid
