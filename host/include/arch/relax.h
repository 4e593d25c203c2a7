// Host build of the spin-wait hint: portable code spins with it under
// GoogleTest and in fluid-host. Yielding keeps oversubscribed test runs fair.
#pragma once

#include <sched.h>

namespace fluid::arch {

inline void relax() { sched_yield(); }

} // namespace fluid::arch
