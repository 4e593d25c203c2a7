#include "kernel/drivers/PciBus.h"

namespace fluid {

void PciBus::enumerate()
{
    m_functions.clear();
    for (unsigned bus = 0; bus < 256; ++bus) {
        for (uint8_t device = 0; device < 32; ++device) {
            uint32_t id = m_config.read32(uint8_t(bus), device, 0, offset_vendor);
            if ((id & 0xffff) == 0xffff)
                continue;
            // Header type bit 7: the device implements functions 1-7 too
            // [§6.2.1]; otherwise they may alias function 0.
            uint32_t header = m_config.read32(uint8_t(bus), device, 0, offset_header);
            bool multi_function = (header >> 16) & 0x80;
            for (uint8_t function = 0; function < (multi_function ? 8 : 1); ++function)
                probe_function(uint8_t(bus), device, function);
        }
    }
}

void PciBus::probe_function(uint8_t bus, uint8_t device, uint8_t function)
{
    uint32_t id = m_config.read32(bus, device, function, offset_vendor);
    if ((id & 0xffff) == 0xffff)
        return;
    PciFunction f;
    f.bus = bus;
    f.device = device;
    f.function = function;
    f.vendor_id = uint16_t(id);
    f.device_id = uint16_t(id >> 16);
    uint32_t class_reg = m_config.read32(bus, device, function, offset_class);
    f.class_code = uint8_t(class_reg >> 24);
    f.subclass = uint8_t(class_reg >> 16);
    f.prog_if = uint8_t(class_reg >> 8);
    f.header_type = uint8_t(m_config.read32(bus, device, function, offset_header) >> 16) & 0x7f;
    // Type 0 (endpoint) has six BARs, type 1 (PCI-to-PCI bridge) two.
    if (f.header_type == 0)
        read_bars(f, 6);
    else if (f.header_type == 1)
        read_bars(f, 2);
    m_functions.push_back(f);
}

void PciBus::read_bars(PciFunction& f, int bar_count)
{
    // BAR layout [§6.2.5.1]: bit 0 = I/O space; for memory, bits 2:1 = type
    // (0b10: 64-bit, the next BAR holds the high dword), bit 3 = prefetchable.
    for (int i = 0; i < bar_count; ++i) {
        uint32_t low = m_config.read32(f.bus, f.device, f.function, uint8_t(offset_bar0 + 4 * i));
        PciBar& bar = f.bars[i];
        if (low & 1) {
            bar.is_io = true;
            bar.address = low & ~uint32_t(3);
            continue;
        }
        bar.prefetchable = low & 8;
        bar.address = low & ~uint32_t(0xf);
        if (((low >> 1) & 3) == 2 && i + 1 < bar_count) {
            bar.is_64bit = true;
            uint32_t high = m_config.read32(f.bus, f.device, f.function, uint8_t(offset_bar0 + 4 * (i + 1)));
            bar.address |= uint64_t(high) << 32;
            ++i;
        }
    }
}

void PciBus::enable_memory_and_bus_master(const PciFunction& f)
{
    // The status half of the dword is write-1-to-clear: write zeros there.
    uint32_t command = m_config.read32(f.bus, f.device, f.function, offset_command) & 0xffff;
    m_config.write32(f.bus, f.device, f.function, offset_command, command | 0x2 | 0x4);
}

} // namespace fluid
