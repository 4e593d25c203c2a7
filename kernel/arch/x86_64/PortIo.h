// x86 port I/O instructions [SDM 2A, IN/OUT]. Drivers do not call these
// directly; they take a fluid::PortIo (kernel/drivers/PortIo.h) so tests
// can substitute a fake. X86PortIo below is the real one.
#pragma once

#include "kernel/drivers/PortIo.h"

#include <cstdint>

namespace fluid::x86 {

inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
inline void outb(uint16_t port, uint8_t v) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
inline void outw(uint16_t port, uint16_t v) { asm volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
inline void outl(uint16_t port, uint32_t v) { asm volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }

class X86PortIo final : public PortIo {
public:
    uint8_t read8(uint16_t port) override { return inb(port); }
    void write8(uint16_t port, uint8_t value) override { outb(port, value); }
    uint16_t read16(uint16_t port) override { return inw(port); }
    void write16(uint16_t port, uint16_t value) override { outw(port, value); }
    uint32_t read32(uint16_t port) override { return inl(port); }
    void write32(uint16_t port, uint32_t value) override { outl(port, value); }
    void read16_block(uint16_t port, uint16_t* words, size_t count) override
    {
        asm volatile("rep insw" : "+D"(words), "+c"(count) : "d"(port) : "memory");
    }
    void write16_block(uint16_t port, const uint16_t* words, size_t count) override
    {
        asm volatile("rep outsw" : "+S"(words), "+c"(count) : "d"(port) : "memory");
    }
};

X86PortIo& port_io();

} // namespace fluid::x86
