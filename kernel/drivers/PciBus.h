// The PCI functions present on the machine, found by a brute-force scan of
// every bus/device/function number through a PciConfigAccess [PCI Local Bus
// 3.0 §6.1, §6.2.5]. Only what drivers need is recorded: identity, class
// code and the base address registers.
#pragma once

#include "kernel/drivers/PciConfigAccess.h"

#include <cstdint>
#include <vector>

namespace fluid {

struct PciBar {
    uint64_t address { 0 }; // memory base or I/O port base; 0 when unused
    bool is_io { false };
    bool is_64bit { false }; // a 64-bit memory BAR also consumes the next slot
    bool prefetchable { false };
};

struct PciFunction {
    uint8_t bus { 0 }, device { 0 }, function { 0 };
    uint16_t vendor_id { 0 }, device_id { 0 };
    uint8_t class_code { 0 }, subclass { 0 }, prog_if { 0 };
    uint8_t header_type { 0 }; // without the multi-function bit
    PciBar bars[6] {};         // header type 0 only; bridges have 2
};

class PciBus {
public:
    explicit PciBus(PciConfigAccess& config) : m_config(config) { }

    // Scans buses 0..255. Cheap enough to do once at boot: an absent
    // device answers vendor 0xFFFF and is skipped after one read.
    void enumerate();

    const std::vector<PciFunction>& functions() const { return m_functions; }

    // Turns on memory-space decoding and bus mastering (command register
    // bits 1 and 2 [§6.2.2]) so a DMA controller can reach RAM.
    void enable_memory_and_bus_master(const PciFunction&);

    // Command/status, class code and BAR offsets [§6.1].
    static constexpr uint8_t offset_vendor = 0x00, offset_command = 0x04, offset_class = 0x08,
                             offset_header = 0x0c, offset_bar0 = 0x10;

private:
    void probe_function(uint8_t bus, uint8_t device, uint8_t function);
    void read_bars(PciFunction&, int bar_count);

    PciConfigAccess& m_config;
    std::vector<PciFunction> m_functions;
};

} // namespace fluid
