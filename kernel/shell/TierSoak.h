// `tier soak`: hot swaps under load. One CPU swaps a function between tiers
// again and again (each swap a real compile, atomic slot store, retire and
// epoch-based reclaim) while every other CPU calls it without pause and
// checks every result; afterwards the code memory must be back where it was.
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

// tier soak MODULE FUNCTION [ARGS...] [--seconds S] [--levels O0,O1,...] [--json]
void cmd_tier_soak(const CommandLine&);

} // namespace fluid
