// libFuzzer target for the part of the bitcode loader that runs before
// LLVM's bitcode reader (jit/BitcodeIdentification): the magic check
// BitcodeLoader::parse makes first, and our reader of the identification
// block, which names the producer of bitcode LLVM refuses. The corpus keeps
// crash-isbitcode-1-byte: llvm::isBitcode read past a 1-byte file.
//
// LLVM's reader itself is not a target here: on damaged metadata records it
// crashes (found by tests/unit/jit JitErrors.DISABLED_CorruptBitcodeNeverCrashes
// and reproduced with fluid-host; every crash is in llvm::MetadataLoader, see
// docs/RELIABILITY.md), so such a target would fail on LLVM, not on us.
#include "jit/BitcodeIdentification.h"

#include <llvm/Support/MemoryBufferRef.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // An exact-size copy, so ASan sees any read past the end.
    std::vector<uint8_t> bytes(data, data + size);
    llvm::MemoryBufferRef buffer(llvm::StringRef(reinterpret_cast<const char*>(bytes.data()), size), "fuzz");
    if (fluid::jit::bitcode_magic_problem(buffer))
        return 0;
    auto identification = fluid::jit::read_bitcode_identification(buffer);
    if (identification && identification->producer.size() > size * 8)
        abort(); // every producer character comes from a record of the input
    return 0;
}
