// Shell commands for disks and the boot volume: disks, ls, cat, df, checksum.
#pragma once

#include "kernel/shell/CommandLine.h"

namespace fluid {

void cmd_disks(const CommandLine&);
void cmd_ls(const CommandLine&);
void cmd_cat(const CommandLine&);
void cmd_df(const CommandLine&);
void cmd_checksum(const CommandLine&);

} // namespace fluid
