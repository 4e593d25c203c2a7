// <arch/io.h> on x86: IN/OUT instructions and PCI configuration
// mechanism #1 through ports 0xCF8/0xCFC [PCI Local Bus 3.0 §3.2.2.3.2].
#include "kernel/arch/x86_64/PortIo.h"
#include "kernel/arch/x86_64/X86PciConfig.h"

#include <arch/io.h>

namespace fluid::arch {

PortIo& port_io() { return x86::port_io(); }

PciConfigAccess& pci_config()
{
    static x86::X86PciConfig config(x86::port_io());
    return config;
}

} // namespace fluid::arch
