// PCI configuration mechanism #1: an address dword written to port 0xCF8,
// then the data dword at 0xCFC [PCI Local Bus 3.0 §3.2.2.3.2]. Every PC
// chipset since the 1990s supports it; ECAM (PCIe MMIO) is not needed for
// the first 256 bytes of each function, which is all PciBus reads.
#pragma once

#include "kernel/arch/x86_64/PortIo.h"
#include "kernel/drivers/PciConfigAccess.h"

namespace fluid::x86 {

class X86PciConfig final : public PciConfigAccess {
public:
    explicit X86PciConfig(PortIo& io) : m_io(io) { }

    uint32_t read32(uint8_t bus, uint8_t device, uint8_t function, uint8_t offset) override
    {
        m_io.write32(address_port, address(bus, device, function, offset));
        return m_io.read32(data_port);
    }
    void write32(uint8_t bus, uint8_t device, uint8_t function, uint8_t offset, uint32_t value) override
    {
        m_io.write32(address_port, address(bus, device, function, offset));
        m_io.write32(data_port, value);
    }

private:
    static constexpr uint16_t address_port = 0xcf8, data_port = 0xcfc;
    // Bit 31 enables the cycle; bits 23:16 bus, 15:11 device, 10:8
    // function, 7:2 dword register.
    static uint32_t address(uint8_t bus, uint8_t device, uint8_t function, uint8_t offset)
    {
        return 0x80000000u | (uint32_t(bus) << 16) | (uint32_t(device & 0x1f) << 11) | (uint32_t(function & 7) << 8) |
               (offset & 0xfc);
    }

    PortIo& m_io;
};

} // namespace fluid::x86
