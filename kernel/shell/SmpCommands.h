// `cpus`, `smp-test` and `smp-bench`: what the processors are doing, a
// correctness check of the locks and of parallel_for on every core, and
// the parallel speed-up of a compute-bound and a memory-bound loop.
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

void cmd_cpus(const CommandLine&);
void cmd_smp_test(const CommandLine&);
void cmd_smp_bench(const CommandLine&);

} // namespace fluid
