// Shell commands for the JIT: modules, jit run, jit info.
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

void cmd_modules(const CommandLine&);
void cmd_jit(const CommandLine&);

} // namespace fluid
