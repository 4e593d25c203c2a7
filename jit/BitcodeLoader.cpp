#include "jit/BitcodeLoader.h"

#include "jit/BitcodeIdentification.h"
#include "jit/LlvmError.h"

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Bitcode/LLVMBitCodes.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/IR/DebugInfo.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

#include <cstdio>

namespace fluid::jit {

llvm::Expected<std::unique_ptr<llvm::Module>> BitcodeLoader::load(llvm::LLVMContext& context,
                                                                  llvm::MemoryBufferRef bytes,
                                                                  OptLevel level) const
{
    auto module = parse(context, bytes);
    if (!module)
        return module.takeError();
    if (auto error = verify(**module))
        return std::move(error);
    if (auto error = check_target(**module))
        return std::move(error);
    if (auto error = check_imports(**module))
        return std::move(error);
    retarget(**module, level);
    return module;
}

llvm::Expected<std::unique_ptr<llvm::Module>> BitcodeLoader::parse(llvm::LLVMContext& context,
                                                                   llvm::MemoryBufferRef bytes) const
{
    if (auto problem = bitcode_magic_problem(bytes))
        return make_llvm_error(ErrorCode::Invalid, "not LLVM bitcode (" + *problem + ")");

    auto module = llvm::parseBitcodeFile(bytes, context);
    if (module)
        return module;

    // Say who wrote it when another LLVM did: "from a newer LLVM" is the
    // usual reason valid-looking bitcode does not read. Truncated or corrupt
    // files from our own LLVM are plain invalid input.
    std::string reason = llvm::toString(module.takeError());
    auto identification = read_bitcode_identification(bytes);
    bool ours = !identification
        || (identification->epoch == llvm::bitc::BITCODE_CURRENT_EPOCH
            && identification->producer == "LLVM" LLVM_VERSION_STRING);
    if (ours)
        return make_llvm_error(ErrorCode::Invalid, "unreadable bitcode: " + reason);
    return make_llvm_error(ErrorCode::Unsupported,
                           "bitcode from " + identification->producer + " (epoch "
                               + llvm::Twine(identification->epoch) + "), this is LLVM " LLVM_VERSION_STRING
                               + ": " + reason);
}

llvm::Error BitcodeLoader::verify(llvm::Module& module) const
{
    std::string report;
    llvm::raw_string_ostream stream(report);
    bool broken_debug_info = false;
    if (llvm::verifyModule(module, &stream, &broken_debug_info))
        return make_llvm_error(ErrorCode::Invalid, "invalid IR: " + llvm::StringRef(report).trim());
    // Bad debug info is not worth refusing a module for; the bitcode reader
    // treats it the same way.
    if (broken_debug_info)
        llvm::StripDebugInfo(module);
    return llvm::Error::success();
}

llvm::Error BitcodeLoader::check_target(llvm::Module& module) const
{
    const llvm::Triple& ours = m_target.getTargetTriple();
    if (!module.getTargetTriple().empty()) {
        llvm::Triple theirs(module.getTargetTriple());
        if (theirs.getArch() != ours.getArch())
            return make_llvm_error(ErrorCode::Unsupported, "built for " + module.getTargetTriple() + ", this JIT generates "
                                   + ours.getArchName() + " code");
    }
    const llvm::DataLayout& layout = m_target.createDataLayout();
    if (!module.getDataLayout().isDefault() && module.getDataLayout() != layout)
        return make_llvm_error(ErrorCode::Unsupported, "data layout '" + module.getDataLayoutStr() + "' differs from the target's '"
                               + layout.getStringRepresentation() + "'");
    return llvm::Error::success();
}

llvm::Error BitcodeLoader::check_imports(const llvm::Module& module) const
{
    // Checked on the IR so the message can name the symbol before any code
    // is generated. Helpers the code generator adds later (memcpy,
    // __udivti3) are caught by the engine at link time instead.
    for (const llvm::GlobalValue& value : module.global_values()) {
        if (!value.isDeclaration() || value.hasLocalLinkage())
            continue;
        if (const auto* function = llvm::dyn_cast<llvm::Function>(&value); function && function->isIntrinsic())
            continue;
        // An extern_weak reference may legitimately stay null.
        if (value.hasExternalWeakLinkage())
            continue;
        if (!m_exports.contains(value.getName()))
            return make_llvm_error(ErrorCode::NotFound, "undefined symbol '" + value.getName()
                                   + "' (not in the kernel export table)");
    }
    return llvm::Error::success();
}

void BitcodeLoader::retarget(llvm::Module& module, OptLevel level) const
{
    module.setTargetTriple(m_target.getTargetTriple().str());
    module.setDataLayout(m_target.createDataLayout());

    for (llvm::Function& function : module) {
        // clang records the CPU it compiled for on every function, and those
        // attributes beat the target machine's. The platform, not the
        // module's build, decides which CPU we generate code for.
        function.removeFnAttr("target-cpu");
        function.removeFnAttr("target-features");
        function.removeFnAttr("tune-cpu");

        // clang -O0 marks every function optnone + noinline, which turns O3
        // into a no-op; modules/ are built without them, but a plain
        // `clang -O0 -emit-llvm` file should still get faster.
        if (level != OptLevel::O0 && function.hasFnAttribute(llvm::Attribute::OptimizeNone)) {
            function.removeFnAttr(llvm::Attribute::OptimizeNone);
            function.removeFnAttr(llvm::Attribute::NoInline);
        }
    }

    // Every import resolves outside the module's own object: on the host the
    // kernel API can be more than 2 GiB away from JIT memory, so references
    // must go through the GOT/PLT (JITLink relaxes them to direct ones when
    // the target is in range). clang marks them dso_local for a static build.
    for (llvm::GlobalValue& value : module.global_values()) {
        if (value.isDeclaration() && !value.hasLocalLinkage()) {
            value.setVisibility(llvm::GlobalValue::DefaultVisibility);
            value.setDSOLocal(false);
        }
    }
}

} // namespace fluid::jit
