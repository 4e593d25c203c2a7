#include "jit/LlvmError.h"

#include <string>

namespace fluid::jit {

Error to_fluid_error(ErrorCode code, std::string_view context, llvm::Error error)
{
    std::string text = llvm::toString(std::move(error));
    // One line: LLVM sometimes ends messages with a newline, which would
    // break the serial console's one-line answers.
    for (char& c : text) {
        if (c == '\n' || c == '\r')
            c = ' ';
    }
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return Error::format(code, "%.*s: %s", static_cast<int>(context.size()), context.data(), text.c_str());
}

llvm::Error make_llvm_error(const llvm::Twine& message)
{
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace fluid::jit
