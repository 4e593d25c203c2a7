// The exception dispatcher's side of recovery points (Recovery.cpp).
#pragma once

#include "kernel/arch/x86_64/InterruptFrame.h"

#include <cstdint>

namespace fluid::x86 {

// True if the exception in `f` hit module code under an armed recovery
// point; `f` then returns into the point instead of the faulting code.
bool recover_from_exception(InterruptFrame& f, uint64_t cr2);

// The watchdog, on every timer tick and watchdog IPI: aborts this CPU's
// call if its deadline passed while it runs module code; with
// `scan_other_cpus` (the boot CPU's tick) it also sends the watchdog IPI
// to every other CPU whose deadline passed.
void recovery_on_tick(InterruptFrame& f, bool scan_other_cpus);

} // namespace fluid::x86
