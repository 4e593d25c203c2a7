#include <arch/backtrace.h>

extern "C" char __kernel_start[];

namespace fluid::arch {

// Frames live in identity-mapped RAM above the kernel's load address; a
// frame pointer outside that window (or one that does not move up the
// stack) ends the walk rather than risking a fault inside the panic path.
static bool plausible_frame(uint64_t fp, uint64_t previous)
{
    return fp != 0 && (fp & 7) == 0 && fp > previous && fp >= reinterpret_cast<uint64_t>(__kernel_start)
        && fp < (uint64_t(1) << 40) && (previous == 0 || fp - previous < (uint64_t(16) << 20));
}

size_t collect_backtrace(uint64_t first_pc, uint64_t frame_pointer, uint64_t* pcs, size_t max)
{
    size_t count = 0;
    if (max == 0)
        return 0;
    pcs[count++] = first_pc;
    uint64_t previous = 0;
    uint64_t fp = frame_pointer;
    while (count < max && plausible_frame(fp, previous)) {
        auto* frame = reinterpret_cast<const uint64_t*>(fp);
        uint64_t return_address = frame[1];
        if (return_address == 0)
            break;
        pcs[count++] = return_address;
        previous = fp;
        fp = frame[0];
    }
    return count;
}

} // namespace fluid::arch
