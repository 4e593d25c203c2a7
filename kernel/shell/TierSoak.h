// `tier soak`: hot swaps under load. One CPU swaps a function between tiers
// again and again (each swap a real compile, atomic slot store, retire and
// epoch-based reclaim) while every other CPU calls it without pause and
// checks every result; afterwards the code memory must be back where it was.
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

// tier soak MODULE FUNCTION [ARGS...] [--seconds S] [--levels O0,O1,...] [--json]
void cmd_tier_soak(const CommandLine&);

// tier unload-pending MODULE FUNCTION [ARGS...] [--json]: pins the function
// at O1, O2 and O3 (two versions retired, no reclaim), unloads the module at
// once and reports what is retired and the JIT code memory before, at the
// unload and after it (kernel/shell/TierUnloadCheck.cpp).
void cmd_tier_unload_pending(const CommandLine&);

} // namespace fluid
