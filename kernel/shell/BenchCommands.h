// `bench [names...] [--iterations N] [--n N] [--json]`: the benchmark suite
// (kernel/bench/) on the modules named bench_* that the kernel loaded.
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

void cmd_bench(const CommandLine&);

} // namespace fluid
