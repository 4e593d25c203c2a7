#!/bin/bash
# Fails if the kernel image contains a SYSCALL instruction (see kernel/CMakeLists.txt).
set -euo pipefail
elf=$1
# Match the instruction (an objdump line "  addr:  syscall"), not calls to a
# function named syscall (the runtime defines one for libstdc++'s futex use).
pattern='^[[:space:]]*[0-9a-f]+:[[:space:]]+syscall([[:space:]]|$)'
hits=$(llvm-objdump-19 -d --no-show-raw-insn "$elf" | grep -E "$pattern" || true)
if [[ -n "$hits" ]]; then
    echo "error: $elf contains SYSCALL instructions; a runtime symbol is missing:" >&2
    llvm-objdump-19 -d --no-show-raw-insn "$elf" | grep -B300 -E "$pattern" | grep -E '^[0-9a-f]+ <' | sort -u >&2
    exit 1
fi
