// `fluid-host jit ...`: run a function of a .bc module, or describe the JIT.
#pragma once

namespace fluid::host {

// argv starts after "jit". Returns the process exit status.
int jit_command(int argc, char** argv);

} // namespace fluid::host
