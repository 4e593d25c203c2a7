#include "jit/LljitSetup.h"

#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/ExecutionEngine/Orc/ExecutorProcessControl.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/ExecutionEngine/Orc/TaskDispatch.h>
#include <llvm/ADT/StringRef.h>

namespace fluid::jit {

llvm::orc::JITTargetMachineBuilder make_target_machine_builder(const TargetCpu& cpu)
{
    llvm::orc::JITTargetMachineBuilder builder { llvm::Triple(cpu.triple()) };
    builder.setCPU(cpu.name());
    llvm::SmallVector<llvm::StringRef, 64> features;
    llvm::StringRef(cpu.features()).split(features, ',', -1, false);
    builder.addFeatures(std::vector<std::string>(features.begin(), features.end()));
    builder.setCodeModel(llvm::CodeModel::Small);
    builder.setRelocationModel(llvm::Reloc::PIC_);
    // JITTargetMachineBuilder turns emulated TLS on by default; that would
    // call __emutls_get_address, which we do not export.
    builder.getOptions().EmulatedTLS = false;
    return builder;
}

llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> make_lljit(const TargetCpu& cpu, uint32_t page_size,
                                                             CompileStats* stats)
{
    using namespace llvm::orc;
    llvm::Triple triple(cpu.triple());

    // SelfExecutorProcessControl::Create would ask the OS for the page size
    // and the process triple; this constructor takes both. InPlace dispatch
    // compiles on the calling thread: the kernel decides which core compiles.
    auto control = std::make_unique<SelfExecutorProcessControl>(
        std::make_shared<SymbolStringPool>(), std::make_unique<InPlaceTaskDispatcher>(), triple, page_size,
        std::make_unique<llvm::jitlink::InProcessMemoryManager>(page_size));

    return LLJITBuilder()
        .setExecutorProcessControl(std::move(control))
        .setJITTargetMachineBuilder(make_target_machine_builder(cpu))
        // Without these two LLJIT calls dlopen(NULL) to search the process.
        .setLinkProcessSymbolsByDefault(false)
        .setPlatformSetUp(setUpInactivePlatform)
        .setObjectLinkingLayerCreator(
            [](ExecutionSession& session, const llvm::Triple&) -> llvm::Expected<std::unique_ptr<ObjectLayer>> {
                // No EHFrameRegistrationPlugin: it needs the executor's
                // registration functions, and modules do not throw.
                return std::make_unique<ObjectLinkingLayer>(session);
            })
        .setCompileFunctionCreator(
            [stats](JITTargetMachineBuilder builder) -> llvm::Expected<std::unique_ptr<IRCompileLayer::IRCompiler>> {
                return std::make_unique<TieredCompiler>(std::move(builder), stats);
            })
        .create();
}

} // namespace fluid::jit
