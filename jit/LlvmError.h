// Where llvm::Error becomes fluid::Error: at the edge of the jit/ library.
// Inside, code propagates llvm::Error/Expected as LLVM does.
#pragma once

#include "kernel/lib/Error.h"

#include <llvm/Support/Error.h>

#include <string_view>

namespace fluid::jit {

// "<context>: <LLVM's message>". Consumes the error.
Error to_fluid_error(ErrorCode, std::string_view context, llvm::Error);

// An llvm::Error carrying our own text, for failures found inside jit/.
llvm::Error make_llvm_error(const llvm::Twine& message);

} // namespace fluid::jit
