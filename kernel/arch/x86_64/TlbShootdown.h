// Keeping other CPUs' TLBs honest [SDM 3A §4.10.5]: after this CPU changes
// a mapping (a JIT page going from RW to RX, a 1 GiB page split for a
// guard page), every other running CPU must drop what it cached before it
// can use the new permissions. We interrupt them and wait until each has
// reloaded CR3 (the kernel uses no global pages, so that flushes all).
#pragma once

#include <cstdint>

namespace fluid::x86 {

// Registers the IPI handler; call once interrupts controllers are up.
void tlb_shootdown_init();

// An AP that has reached the idle loop counts from now on.
void tlb_shootdown_add_cpu();

// Flushes every other running CPU's TLB and waits for all of them (with a
// bounded wait: a CPU halted by a panic cannot answer).
void tlb_shootdown();

} // namespace fluid::x86
