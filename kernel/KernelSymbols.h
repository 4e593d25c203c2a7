// The kernel's own symbol table, for backtraces. GRUB loads the ELF
// .symtab/.strtab and describes them in the Multiboot2 ELF-sections tag.
#pragma once

#include "kernel/lib/ElfSymbolTable.h"

namespace fluid {

ElfSymbolTable& kernel_symbols();

} // namespace fluid
