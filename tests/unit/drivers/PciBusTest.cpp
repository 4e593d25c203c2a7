// PciBus against a fake configuration space: a few functions with known
// headers, everything else answering 0xFFFFFFFF like an empty slot.
#include "kernel/drivers/PciBus.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

using fluid::PciBus;
using fluid::PciConfigAccess;
using fluid::PciFunction;

namespace {

class FakePciConfig final : public PciConfigAccess {
public:
    using Key = std::tuple<uint8_t, uint8_t, uint8_t, uint8_t>;
    std::map<Key, uint32_t> space;
    std::map<std::tuple<uint8_t, uint8_t, uint8_t>, bool> present;
    unsigned reads { 0 };

    void add(uint8_t bus, uint8_t device, uint8_t function, uint32_t id, uint32_t class_reg, uint8_t header)
    {
        present[{ bus, device, function }] = true;
        space[{ bus, device, function, 0x00 }] = id;
        space[{ bus, device, function, 0x08 }] = class_reg;
        space[{ bus, device, function, 0x0c }] = uint32_t(header) << 16;
    }
    uint32_t read32(uint8_t bus, uint8_t device, uint8_t function, uint8_t offset) override
    {
        ++reads;
        if (!present.count({ bus, device, function }))
            return 0xffffffff;
        auto it = space.find({ bus, device, function, offset });
        return it == space.end() ? 0 : it->second;
    }
    void write32(uint8_t bus, uint8_t device, uint8_t function, uint8_t offset, uint32_t value) override
    {
        space[{ bus, device, function, offset }] = value;
    }
};

const PciFunction* find(const PciBus& pci, uint8_t bus, uint8_t device, uint8_t function)
{
    for (const auto& f : pci.functions())
        if (f.bus == bus && f.device == device && f.function == function)
            return &f;
    return nullptr;
}

} // namespace

TEST(PciBus, FindsFunctionsWithClassCodesAndBars)
{
    FakePciConfig config;
    config.add(0, 0, 0, 0x12378086, 0x06000002, 0x00);                // host bridge
    config.add(0, 4, 0, 0x29228086, 0x01060102, 0x00);                // AHCI
    config.space[{ 0, 4, 0, 0x10 }] = 0x0000c041;                     // BAR0: I/O at 0xc040
    config.space[{ 0, 4, 0, 0x24 }] = 0xfebf1000;                     // BAR5: 32-bit memory
    config.add(3, 0, 0, 0x0010144d, 0x01080200, 0x00);                // NVMe behind a bridge
    config.space[{ 3, 0, 0, 0x10 }] = 0xfe00000c;                     // BAR0: 64-bit, prefetchable
    config.space[{ 3, 0, 0, 0x14 }] = 0x00000001;                     // BAR1: its high dword
    PciBus pci(config);
    pci.enumerate();

    ASSERT_EQ(pci.functions().size(), 3u);
    const PciFunction* ahci = find(pci, 0, 4, 0);
    ASSERT_NE(ahci, nullptr);
    EXPECT_EQ(ahci->vendor_id, 0x8086);
    EXPECT_EQ(ahci->device_id, 0x2922);
    EXPECT_EQ(ahci->class_code, 0x01);
    EXPECT_EQ(ahci->subclass, 0x06);
    EXPECT_EQ(ahci->prog_if, 0x01);
    EXPECT_TRUE(ahci->bars[0].is_io);
    EXPECT_EQ(ahci->bars[0].address, 0xc040u);
    EXPECT_FALSE(ahci->bars[5].is_io);
    EXPECT_EQ(ahci->bars[5].address, 0xfebf1000u);

    const PciFunction* nvme = find(pci, 3, 0, 0);
    ASSERT_NE(nvme, nullptr);
    EXPECT_TRUE(nvme->bars[0].is_64bit);
    EXPECT_TRUE(nvme->bars[0].prefetchable);
    EXPECT_EQ(nvme->bars[0].address, 0x1fe000000u);
    EXPECT_EQ(nvme->bars[1].address, 0u); // consumed as the high dword
}

TEST(PciBus, ScansOtherFunctionsOnlyOnMultiFunctionDevices)
{
    FakePciConfig config;
    config.add(0, 1, 0, 0x70008086, 0x06010000, 0x80); // multi-function ISA bridge
    config.add(0, 1, 1, 0x70108086, 0x01018000, 0x00); // its IDE function
    config.add(0, 2, 0, 0x11111234, 0x03000000, 0x00); // single function...
    config.add(0, 2, 3, 0x11111234, 0x03000000, 0x00); // ...so this alias is ignored
    PciBus pci(config);
    pci.enumerate();
    EXPECT_EQ(pci.functions().size(), 3u);
    EXPECT_NE(find(pci, 0, 1, 1), nullptr);
    EXPECT_EQ(find(pci, 0, 2, 3), nullptr);
}

TEST(PciBus, EnablesMemoryAndBusMasterWithoutClearingStatusBits)
{
    FakePciConfig config;
    config.add(0, 4, 0, 0x29228086, 0x01060100, 0x00);
    config.space[{ 0, 4, 0, 0x04 }] = 0x02b00400; // status bits set, INTx disabled
    PciBus pci(config);
    pci.enumerate();
    pci.enable_memory_and_bus_master(pci.functions()[0]);
    // Command bits 1 (memory) and 2 (bus master) on, bit 10 kept; zeros
    // written to the write-1-to-clear status half.
    EXPECT_EQ((config.space[{ 0, 4, 0, 0x04 }]), 0x00000406u);
}
