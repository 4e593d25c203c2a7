#include "jit/LlvmError.h"

#include <llvm/Support/raw_ostream.h>

namespace fluid::jit {

char CodedError::ID = 0;

void CodedError::log(llvm::raw_ostream& stream) const
{
    stream << m_message;
}

llvm::Error make_llvm_error(ErrorCode code, const llvm::Twine& message)
{
    return llvm::make_error<CodedError>(code, message.str());
}

Error to_fluid_error(ErrorCode fallback, std::string_view context, llvm::Error error)
{
    ErrorCode code = fallback;
    std::string text;
    llvm::handleAllErrors(
        std::move(error),
        [&](const CodedError& coded) {
            code = coded.code();
            text = coded.message();
        },
        [&](const llvm::ErrorInfoBase& other) {
            if (!text.empty())
                text += "; ";
            text += other.message();
        });
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

} // namespace fluid::jit
