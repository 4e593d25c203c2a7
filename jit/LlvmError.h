// Where llvm::Error becomes fluid::Error: at the edge of the jit/ library.
// Inside, code propagates llvm::Error/Expected as LLVM does; failures found
// by jit/ itself carry a fluid ErrorCode so callers can tell "not bitcode"
// from "undefined symbol" without parsing text.
#pragma once

#include "kernel/lib/Error.h"

#include <llvm/Support/Error.h>

#include <string>
#include <string_view>

namespace fluid::jit {

class CodedError : public llvm::ErrorInfo<CodedError> {
public:
    static char ID;

    CodedError(ErrorCode code, std::string message)
        : m_code(code)
        , m_message(std::move(message))
    {
    }

    ErrorCode code() const { return m_code; }
    void log(llvm::raw_ostream&) const override;
    std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
    ErrorCode m_code;
    std::string m_message;
};

// An llvm::Error carrying our own code and text.
llvm::Error make_llvm_error(ErrorCode, const llvm::Twine& message);

// "<context>: <message>". Consumes the error. A CodedError keeps its code;
// any other LLVM error gets `fallback`.
Error to_fluid_error(ErrorCode fallback, std::string_view context, llvm::Error);

} // namespace fluid::jit
