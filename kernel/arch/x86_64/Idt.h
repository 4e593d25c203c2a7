// The interrupt descriptor table [SDM 3A §6.14]: 256 interrupt gates to
// the stubs in isr.S, each on an IST stack (see Gdt.h for why).
#pragma once

#include <cstdint>

namespace fluid::x86 {

class Idt {
public:
    // Fills the table (shared by all CPUs) and sizes the FPU save area.
    static void init();
    // Loads it on the calling CPU.
    static void load();
};

} // namespace fluid::x86
