#include "jit/TieredCompiler.h"

#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/IR/Constants.h>

namespace fluid::jit {

TieredCompiler::TieredCompiler(llvm::orc::JITTargetMachineBuilder builder, CompileStats* stats)
    : IRCompiler(llvm::orc::irManglingOptionsFromTargetOptions(builder.getOptions()))
    , m_builder(std::move(builder))
    , m_stats(stats)
{
}

void TieredCompiler::tag(llvm::Module& module, OptLevel level)
{
    module.addModuleFlag(llvm::Module::Override, opt_level_flag, static_cast<uint32_t>(level));
}

OptLevel TieredCompiler::level_of(const llvm::Module& module)
{
    auto* value = llvm::mdconst::extract_or_null<llvm::ConstantInt>(module.getModuleFlag(opt_level_flag));
    if (value == nullptr || value->getZExtValue() > 3)
        return OptLevel::O2;
    return static_cast<OptLevel>(value->getZExtValue());
}

static llvm::CodeGenOptLevel codegen_level(OptLevel level)
{
    switch (level) {
    case OptLevel::O0: return llvm::CodeGenOptLevel::None;
    case OptLevel::O1: return llvm::CodeGenOptLevel::Less;
    case OptLevel::O2: return llvm::CodeGenOptLevel::Default;
    case OptLevel::O3: return llvm::CodeGenOptLevel::Aggressive;
    }
    return llvm::CodeGenOptLevel::Default;
}

llvm::Expected<llvm::TargetMachine*> TieredCompiler::machine_for(OptLevel level)
{
    auto& slot = m_machines[static_cast<size_t>(level)];
    if (!slot) {
        auto builder = m_builder;
        builder.setCodeGenOptLevel(codegen_level(level));
        auto machine = builder.createTargetMachine();
        if (!machine)
            return machine.takeError();
        slot = std::move(*machine);
    }
    return slot.get();
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> TieredCompiler::operator()(llvm::Module& module)
{
    auto machine = machine_for(level_of(module));
    if (!machine)
        return machine.takeError();
    llvm::orc::SimpleCompiler compile(**machine);
    auto object = compile(module);
    if (object && m_stats)
        m_stats->object_bytes += (*object)->getBufferSize();
    return object;
}

} // namespace fluid::jit
