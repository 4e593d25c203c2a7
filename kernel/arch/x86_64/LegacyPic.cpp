#include "kernel/arch/x86_64/LegacyPic.h"

namespace fluid::x86 {

constexpr uint16_t master_command = 0x20;
constexpr uint16_t master_data = 0x21;
constexpr uint16_t slave_command = 0xa0;
constexpr uint16_t slave_data = 0xa1;

void disable_legacy_pics(PortIo& io)
{
    // ICW1: initialise, ICW4 follows. ICW2: vector base (0x20, 0x28).
    // ICW3: slave on IRQ 2. ICW4: 8086 mode. Then mask all eight lines.
    io.write8(master_command, 0x11);
    io.write8(slave_command, 0x11);
    io.write8(master_data, 0x20);
    io.write8(slave_data, 0x28);
    io.write8(master_data, 0x04);
    io.write8(slave_data, 0x02);
    io.write8(master_data, 0x01);
    io.write8(slave_data, 0x01);
    io.write8(master_data, 0xff);
    io.write8(slave_data, 0xff);
}

} // namespace fluid::x86
