// Memory-mapped device registers as an interface: 32-bit volatile loads
// and stores at byte offsets from a base. Drivers of MMIO devices (AHCI)
// take an Mmio& so the host tests can put a fake device behind it.
#pragma once

#include <cstdint>

namespace fluid {

class Mmio {
public:
    virtual ~Mmio() = default;
    virtual uint32_t read32(uint32_t offset) = 0;
    virtual void write32(uint32_t offset, uint32_t value) = 0;
};

// The real thing: a register window mapped uncached (mmu_map_identity with
// device=true) at `base`.
class MemoryMmio final : public Mmio {
public:
    explicit MemoryMmio(uintptr_t base) : m_base(base) { }
    uint32_t read32(uint32_t offset) override { return *reinterpret_cast<volatile uint32_t*>(m_base + offset); }
    void write32(uint32_t offset, uint32_t value) override
    {
        *reinterpret_cast<volatile uint32_t*>(m_base + offset) = value;
    }

private:
    uintptr_t m_base;
};

} // namespace fluid
