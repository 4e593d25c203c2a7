// The two 8259A PICs [8259A datasheet; OSDev "8259 PIC"]. We use the
// APICs, so the PICs are remapped away from the exception vectors (a
// spurious IRQ 7 would otherwise arrive as a #DF lookalike on vector 8)
// and then masked for good.
#pragma once

#include "kernel/drivers/PortIo.h"

namespace fluid::x86 {

void disable_legacy_pics(PortIo& io);

} // namespace fluid::x86
