// Port I/O as an interface, so drivers of port-mapped devices (16550 UART,
// PIT, ATA) can be exercised on the host against a fake.
#pragma once

#include <cstddef>
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

    // Block transfers of 16-bit words from and to one port (ATA's data
    // register). The defaults loop; the x86 version uses REP INSW/OUTSW.
    virtual void read16_block(uint16_t port, uint16_t* words, size_t count)
    {
        for (size_t i = 0; i < count; ++i)
            words[i] = read16(port);
    }
    virtual void write16_block(uint16_t port, const uint16_t* words, size_t count)
    {
        for (size_t i = 0; i < count; ++i)
            write16(port, words[i]);
    }
};

} // namespace fluid
