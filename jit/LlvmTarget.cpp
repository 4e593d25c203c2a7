#include "jit/LlvmTarget.h"

#include <llvm/Config/llvm-config.h>

// The X86 entry points, declared here rather than through
// llvm/Support/TargetSelect.h, which would pull in every configured target.
extern "C" {
void LLVMInitializeX86TargetInfo();
void LLVMInitializeX86Target();
void LLVMInitializeX86TargetMC();
void LLVMInitializeX86AsmPrinter();
}

namespace fluid::jit {

void initialize_llvm_target()
{
    // A plain flag, not std::call_once: the kernel has no threads yet when it
    // brings the JIT up, and the host tools call this from one thread.
    static bool initialized = false;
    if (initialized)
        return;
    initialized = true;
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
}

const char* llvm_version()
{
    return LLVM_VERSION_STRING;
}

} // namespace fluid::jit
