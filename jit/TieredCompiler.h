// The IR -> object compiler behind LLJIT's IRCompileLayer. One LLJIT serves
// every optimisation level, so the code generator's level is chosen per
// module from a module flag the engine sets (O0 modules get the fast
// instruction selector, O3 modules the full one). One target machine per
// level, created on first use.
#pragma once

#include "jit/OptLevel.h"

#include <llvm/ExecutionEngine/Orc/IRCompileLayer.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/Target/TargetMachine.h>

#include <array>
#include <memory>

namespace fluid::jit {

// Filled in by the compiler as it runs, read by the engine after a module
// was materialised. Compilation is synchronous (InPlaceTaskDispatcher).
struct CompileStats {
    uint64_t object_bytes { 0 };
};

class TieredCompiler final : public llvm::orc::IRCompileLayer::IRCompiler {
public:
    static constexpr const char* opt_level_flag = "fluid.opt-level";

    TieredCompiler(llvm::orc::JITTargetMachineBuilder, CompileStats*);

    // Records the level the module is to be compiled at.
    static void tag(llvm::Module&, OptLevel);

    llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module&) override;

private:
    static OptLevel level_of(const llvm::Module&);
    llvm::Expected<llvm::TargetMachine*> machine_for(OptLevel);

    llvm::orc::JITTargetMachineBuilder m_builder;
    CompileStats* m_stats;
    std::array<std::unique_ptr<llvm::TargetMachine>, 4> m_machines;
};

} // namespace fluid::jit
