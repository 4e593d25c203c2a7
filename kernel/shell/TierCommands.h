// `profile` and `tier`: what tiering did and the policy it follows.
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

void cmd_profile(const CommandLine&);
void cmd_tier(const CommandLine&);

} // namespace fluid
