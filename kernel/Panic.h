// Stopping the machine when an invariant breaks.
//
// A panic prints a report on every console (serial first), with a
// symbolised backtrace, then stops: under QEMU it exits through
// isa-debug-exit with a failing status so tests never hang; on real
// hardware it halts with the report on screen.
#pragma once

#include <cstdint>

namespace fluid {

[[noreturn, gnu::format(printf, 1, 2)]] void panic(const char* fmt, ...);

// For report writers (the exception handler): claims the panic. Returns
// false if another panic is already being reported, in which case the
// caller must stop at once.
bool panic_begin();

// True once any CPU has begun a panic.
bool panic_in_progress();

// Prints "  #n 0x... symbol+0x.." lines from a frame-pointer chain.
void panic_print_backtrace(uint64_t first_pc, uint64_t frame_pointer);

// Ends a panic begun with panic_begin().
[[noreturn]] void panic_end();

} // namespace fluid
