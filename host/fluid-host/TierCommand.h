// `fluid-host jit tier`: one function at every tier, pinned and automatic.
#pragma once

namespace fluid::host {

int jit_tier_command(int argc, char** argv);

} // namespace fluid::host
