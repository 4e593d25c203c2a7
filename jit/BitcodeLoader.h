// Turns bytes into an llvm::Module that is safe to hand to the JIT: bitcode
// only, readable by this LLVM, verified, for x86-64, importing nothing but
// the export table, and retargeted to the engine's CPU.
#pragma once

#include "jit/ExportTable.h"
#include "jit/OptLevel.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBufferRef.h>
#include <llvm/Target/TargetMachine.h>

#include <memory>

namespace fluid::jit {

class BitcodeLoader {
public:
    BitcodeLoader(const llvm::TargetMachine& target, const ExportTable& exports)
        : m_target(target)
        , m_exports(exports)
    {
    }

    llvm::Expected<std::unique_ptr<llvm::Module>> load(llvm::LLVMContext&, llvm::MemoryBufferRef, OptLevel) const;

private:
    llvm::Expected<std::unique_ptr<llvm::Module>> parse(llvm::LLVMContext&, llvm::MemoryBufferRef) const;
    llvm::Error verify(llvm::Module&) const;
    llvm::Error check_target(llvm::Module&) const;
    llvm::Error check_imports(const llvm::Module&) const;
    void retarget(llvm::Module&, OptLevel) const;

    const llvm::TargetMachine& m_target;
    const ExportTable& m_exports;
};

} // namespace fluid::jit
