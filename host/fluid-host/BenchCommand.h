// `fluid-host bench [names...] [--iterations N] [--n N] [--json] [--modules DIR]`:
// the benchmark suite on Linux (kernel/bench/ does the work).
#pragma once

namespace fluid::host {

// argv starts after "bench". Returns 0 if every workload passed its checks.
int bench_command(int argc, char** argv);

} // namespace fluid::host
