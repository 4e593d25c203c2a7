// Runs LLVM's standard new-pass-manager pipeline for O0..O3 over a module,
// tuned for the engine's target machine (so the vectoriser knows the CPU).
#pragma once

#include "jit/OptLevel.h"

#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include <cstdint>

namespace fluid::jit {

class Optimizer {
public:
    explicit Optimizer(llvm::TargetMachine& target)
        : m_target(target)
    {
    }

    void run(llvm::Module&, OptLevel) const;

    static uint64_t count_instructions(const llvm::Module&);

private:
    llvm::TargetMachine& m_target;
};

} // namespace fluid::jit
