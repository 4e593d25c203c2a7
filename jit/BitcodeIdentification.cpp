#include "jit/BitcodeIdentification.h"

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Bitcode/LLVMBitCodes.h>
#include <llvm/Bitstream/BitstreamReader.h>

#include <cstdio>

namespace fluid::jit {

std::optional<std::string> bitcode_magic_problem(llvm::MemoryBufferRef bytes)
{
    auto* data = reinterpret_cast<const unsigned char*>(bytes.getBufferStart());
    size_t size = bytes.getBufferSize();
    if (size == 0)
        return std::string("no bytes");
    // Both magics are 4 bytes: 'B' 'C' 0xC0DE, and the wrapper's 0x0B17C0DE.
    if (size >= 4 && llvm::isBitcode(data, data + size))
        return std::nullopt;
    char start[3 * 4 + 1] = "";
    size_t shown = std::min<size_t>(4, size);
    for (size_t i = 0; i < shown; ++i)
        snprintf(start + 3 * i, 4, "%02x ", data[i]);
    std::string text(start);
    text.pop_back();
    return "expected a .bc file; it starts with " + text;
}

std::optional<BitcodeIdentification> read_bitcode_identification(llvm::MemoryBufferRef bytes)
{
    llvm::BitstreamCursor cursor(bytes);
    // 'B' 'C' 0xC0DE; callers have checked it (and rejected the wrapper-less
    // remainder of non-bitcode). Wrapped bitcode is not produced for ELF.
    if (auto magic = cursor.Read(32); !magic) {
        llvm::consumeError(magic.takeError());
        return std::nullopt;
    }
    auto entry = cursor.advance();
    if (!entry || entry->Kind != llvm::BitstreamEntry::SubBlock || entry->ID != llvm::bitc::IDENTIFICATION_BLOCK_ID) {
        if (!entry)
            llvm::consumeError(entry.takeError());
        return std::nullopt;
    }
    if (auto error = cursor.EnterSubBlock(llvm::bitc::IDENTIFICATION_BLOCK_ID)) {
        llvm::consumeError(std::move(error));
        return std::nullopt;
    }

    BitcodeIdentification result;
    llvm::SmallVector<uint64_t, 32> record;
    for (;;) {
        auto next = cursor.advance();
        if (!next) {
            llvm::consumeError(next.takeError());
            return std::nullopt;
        }
        if (next->Kind == llvm::BitstreamEntry::EndBlock)
            return result;
        if (next->Kind != llvm::BitstreamEntry::Record)
            return std::nullopt;
        record.clear();
        auto code = cursor.readRecord(next->ID, record);
        if (!code) {
            llvm::consumeError(code.takeError());
            return std::nullopt;
        }
        if (*code == llvm::bitc::IDENTIFICATION_CODE_STRING) {
            for (uint64_t c : record)
                result.producer += static_cast<char>(c);
        } else if (*code == llvm::bitc::IDENTIFICATION_CODE_EPOCH && !record.empty()) {
            result.epoch = record[0];
        }
    }
}

} // namespace fluid::jit
