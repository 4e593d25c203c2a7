// A link probe for the glibc-ABI layer (issue 3, first step): it calls
// enough of LLVM that the kernel-llvm link pulls in what the JIT will use —
// the bitcode reader, the new-PM O3 pipeline, the X86 back end, and ORC's
// LLJIT over JITLink — so every glibc symbol those need must resolve in
// runtime/. Nothing calls it at boot yet; kernel-llvm keeps it alive with
// -Wl,--undefined=fluid_llvm_probe.
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/ExecutionEngine/Orc/ExecutorProcessControl.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/ExecutionEngine/Orc/TaskDispatch.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/TargetParser/Triple.h>

using namespace llvm;

extern "C" {
void LLVMInitializeX86TargetInfo();
void LLVMInitializeX86Target();
void LLVMInitializeX86TargetMC();
void LLVMInitializeX86AsmPrinter();
}

// Runs module-level O3 on `module`, as the tier-up path will.
static void optimize_o3(Module& module)
{
    LoopAnalysisManager lam;
    FunctionAnalysisManager fam;
    CGSCCAnalysisManager cgam;
    ModuleAnalysisManager mam;
    PassBuilder builder;
    builder.registerModuleAnalyses(mam);
    builder.registerCGSCCAnalyses(cgam);
    builder.registerFunctionAnalyses(fam);
    builder.registerLoopAnalyses(lam);
    builder.crossRegisterProxies(lam, fam, cgam, mam);
    builder.buildPerModuleDefaultPipeline(OptimizationLevel::O3).run(module, mam);
}

// Parses `size` bytes of bitcode, optimises them at O3, JIT-compiles them
// and returns the address of `symbol`, or 0 on any failure.
extern "C" uint64_t fluid_llvm_probe(const char* bitcode, size_t size, const char* symbol)
{
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();

    Triple triple("x86_64-unknown-linux-gnu");
    auto control = std::make_unique<orc::SelfExecutorProcessControl>(
        std::make_shared<orc::SymbolStringPool>(), std::make_unique<orc::InPlaceTaskDispatcher>(),
        triple, 4096, std::make_unique<jitlink::InProcessMemoryManager>(4096));

    auto jit = orc::LLJITBuilder()
                   .setExecutorProcessControl(std::move(control))
                   .setJITTargetMachineBuilder(orc::JITTargetMachineBuilder(triple))
                   .setLinkProcessSymbolsByDefault(false)
                   .setPlatformSetUp(orc::setUpInactivePlatform)
                   .setObjectLinkingLayerCreator([](orc::ExecutionSession& session, const Triple&) {
                       return std::make_unique<orc::ObjectLinkingLayer>(session);
                   })
                   .create();
    if (!jit) {
        consumeError(jit.takeError());
        return 0;
    }

    auto context = std::make_unique<LLVMContext>();
    auto buffer = MemoryBuffer::getMemBuffer(StringRef(bitcode, size), "probe", false);
    auto module = parseBitcodeFile(buffer->getMemBufferRef(), *context);
    if (!module) {
        consumeError(module.takeError());
        return 0;
    }
    optimize_o3(**module);
    if (auto error = (*jit)->addIRModule(orc::ThreadSafeModule(std::move(*module), std::move(context)))) {
        consumeError(std::move(error));
        return 0;
    }
    auto address = (*jit)->lookup(symbol);
    if (!address) {
        consumeError(address.takeError());
        return 0;
    }
    return address->getValue();
}
