// `fs-churn`: rewrites a few files of the boot volume over and over (and
// the tiering profile with them), so a test can cut the power at any moment
// and check that the volume is consistent and each file is either its old
// or its new version (tests/integration/power-cut-test.py).
#pragma once

#include "kernel/shell/CommandLine.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace fluid {

// fs-churn [--files N] [--rounds R] [--first V] [--profile]
void cmd_fs_churn(const CommandLine&);

// The content of file `index` at `version`: a header line naming both, then
// filler derived from them, 200..3199 bytes so the cluster chain changes
// length from one version to the next. The test recomputes it.
std::string churn_content(uint32_t index, uint64_t version);

} // namespace fluid
