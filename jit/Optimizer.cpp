#include "jit/Optimizer.h"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Passes/PassBuilder.h>

namespace fluid::jit {

static llvm::OptimizationLevel pipeline_level(OptLevel level)
{
    switch (level) {
    case OptLevel::O0: return llvm::OptimizationLevel::O0;
    case OptLevel::O1: return llvm::OptimizationLevel::O1;
    case OptLevel::O2: return llvm::OptimizationLevel::O2;
    case OptLevel::O3: return llvm::OptimizationLevel::O3;
    }
    return llvm::OptimizationLevel::O0;
}

// What clang's driver turns on per level (-funroll-loops, -vectorize-loops,
// -vectorize-slp from -O2 up). PassBuilder's own defaults leave the SLP
// vectoriser off, so without this the JIT's O3 is not clang's -O3.
static llvm::PipelineTuningOptions tuning_for(OptLevel level)
{
    bool const aggressive = level == OptLevel::O2 || level == OptLevel::O3;
    llvm::PipelineTuningOptions options;
    options.LoopUnrolling = aggressive;
    options.LoopInterleaving = aggressive;
    options.LoopVectorization = aggressive;
    options.SLPVectorization = aggressive;
    return options;
}

void Optimizer::run(llvm::Module& module, OptLevel level) const
{
    // The analysis managers must outlive the pass manager and be destroyed in
    // this order (loop, function, CGSCC, module): declared in reverse.
    llvm::LoopAnalysisManager loops;
    llvm::FunctionAnalysisManager functions;
    llvm::CGSCCAnalysisManager cgscc;
    llvm::ModuleAnalysisManager modules;

    llvm::PassBuilder builder(&m_target, tuning_for(level));
    builder.registerModuleAnalyses(modules);
    builder.registerCGSCCAnalyses(cgscc);
    builder.registerFunctionAnalyses(functions);
    builder.registerLoopAnalyses(loops);
    builder.crossRegisterProxies(loops, functions, cgscc, modules);

    llvm::ModulePassManager pipeline = level == OptLevel::O0
        ? builder.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
        : builder.buildPerModuleDefaultPipeline(pipeline_level(level));
    pipeline.run(module, modules);
}

uint64_t Optimizer::count_instructions(const llvm::Module& module)
{
    uint64_t count = 0;
    for (const llvm::Function& function : module)
        count += function.getInstructionCount();
    return count;
}

} // namespace fluid::jit
