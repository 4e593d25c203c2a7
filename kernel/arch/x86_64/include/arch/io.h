// The platform's buses as generic drivers see them: port I/O (on a PC the
// 16550, VGA CRTC, PIT and legacy ATA ports) and PCI configuration space.
// Generic code gets the interfaces; only kernel/arch knows how they work.
#pragma once

namespace fluid {
class PortIo;
class PciConfigAccess;
}

namespace fluid::arch {

PortIo& port_io();
PciConfigAccess& pci_config();

} // namespace fluid::arch
