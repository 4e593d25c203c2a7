// Shell commands for the JIT and its module store: modules, load, unload,
// rescan, jit run, jit info.
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

void cmd_modules(const CommandLine&);
void cmd_jit(const CommandLine&);
void cmd_load(const CommandLine&);
void cmd_unload(const CommandLine&);
void cmd_rescan(const CommandLine&);

} // namespace fluid
