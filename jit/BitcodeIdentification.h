// Reads a bitcode file's identification block (producer string and bitcode
// epoch) on its own. LLVM's getBitcodeProducerString gives up when the
// epoch is not its own, which is exactly when we want to say who wrote the
// file: "bitcode from LLVM21.1.0 (epoch 1)".
#pragma once

#include <llvm/Support/MemoryBufferRef.h>

#include <cstdint>
#include <optional>
#include <string>

namespace fluid::jit {

struct BitcodeIdentification {
    std::string producer;  // "LLVM19.1.7"
    uint64_t epoch { 0 };
};

// Nothing if the file has no readable identification block.
std::optional<BitcodeIdentification> read_bitcode_identification(llvm::MemoryBufferRef);

// Why these bytes are not bitcode ("no bytes", "expected a .bc file; it
// starts with 7f 45 4c 46"), or nothing if they start with bitcode's magic.
// Checked before any LLVM reader sees the bytes: llvm::isBitcode itself
// reads four bytes without looking at the length (found by fuzzing, see
// tests/fuzz/BitcodeFuzz.cpp).
std::optional<std::string> bitcode_magic_problem(llvm::MemoryBufferRef);

} // namespace fluid::jit
