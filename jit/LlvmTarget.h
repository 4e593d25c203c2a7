// The one place that initialises LLVM's target support. Only the X86 back
// end is linked, and it is registered explicitly (not through
// InitializeNativeTarget, which depends on how LLVM itself was configured),
// so the kernel and the host run the very same code.
#pragma once

namespace fluid::jit {

// Idempotent; call before the first Engine is created (Engine::create does).
void initialize_llvm_target();

// "19.1.7", from the headers we were built against.
const char* llvm_version();

} // namespace fluid::jit
