// Reads and writes PCI configuration space, one dword at a time. PciBus
// enumerates through this interface, so the host tests can hand it a fake
// config space; the x86 kernel uses configuration mechanism #1
// (kernel/arch/x86_64/X86PciConfig.h).
#pragma once

#include <cstdint>

namespace fluid {

class PciConfigAccess {
public:
    virtual ~PciConfigAccess() = default;
    // `offset` is a dword-aligned byte offset in the function's 256-byte
    // configuration header [PCI Local Bus 3.0 §6.1].
    virtual uint32_t read32(uint8_t bus, uint8_t device, uint8_t function, uint8_t offset) = 0;
    virtual void write32(uint8_t bus, uint8_t device, uint8_t function, uint8_t offset, uint32_t value) = 0;
};

} // namespace fluid
