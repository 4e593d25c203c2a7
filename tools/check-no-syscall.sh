#!/bin/bash
# Fails if the kernel image contains a SYSCALL instruction (see kernel/CMakeLists.txt).
set -euo pipefail
elf=$1
hits=$(llvm-objdump-19 -d --no-show-raw-insn "$elf" | grep -E '\bsyscall\b' || true)
if [[ -n "$hits" ]]; then
    echo "error: $elf contains SYSCALL instructions; a runtime symbol is missing:" >&2
    llvm-objdump-19 -d --no-show-raw-insn "$elf" | grep -B30 -E '\bsyscall\b' | grep -E '^[0-9a-f]+ <' | sort -u >&2
    exit 1
fi
