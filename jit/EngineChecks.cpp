// Engine's answers to the platform before and during a compile: reading
// untrusted bytes under the platform's containment (check_bitcode), and
// the checkpoints at which the platform may stop a compile (the kernel's
// memory reserve). See EngineConfig in Engine.h.
#include "jit/BitcodeLoader.h"
#include "jit/Engine.h"
#include "jit/LlvmError.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/Support/MemoryBufferRef.h>

#include <string>

namespace fluid::jit {

ErrorOr<void> Engine::checkpoint(const std::string& context_name) const
{
    if (!m_config.checkpoint)
        return {};
    auto result = m_config.checkpoint();
    if (result.is_error())
        return Error::format(result.error().code(), "%s: %s", context_name.c_str(), result.error().message());
    return {};
}

ErrorOr<void> Engine::check_bitcode(std::string_view name, std::span<const uint8_t> bitcode) const
{
    struct Check {
        const Engine& engine;
        std::string context_name;
        std::span<const uint8_t> bitcode;
        std::string problem;
        ErrorCode code { ErrorCode::Invalid };
    } check { *this, "module " + std::string(name), bitcode, {}, ErrorCode::Invalid };
    auto run = [](void* context) {
        auto& c = *static_cast<Check*>(context);
        llvm::LLVMContext scratch;
        llvm::MemoryBufferRef bytes(
            llvm::StringRef(reinterpret_cast<const char*>(c.bitcode.data()), c.bitcode.size()), c.context_name);
        auto module = BitcodeLoader(*c.engine.m_optimizer_target, c.engine.m_config.exports)
                          .load(scratch, bytes, OptLevel::O0);
        if (!module) {
            Error error = to_fluid_error(ErrorCode::Invalid, c.context_name, module.takeError());
            c.code = error.code();
            c.problem = error.message();
        }
    };
    if (!m_config.contain) {
        run(&check);
    } else {
        char what[120];
        if (!m_config.contain(run, &check, what, sizeof(what)))
            return Error::format(ErrorCode::Invalid, "%s: corrupt bitcode, LLVM's reader failed: %s",
                                 check.context_name.c_str(), what);
    }
    if (!check.problem.empty())
        return Error::from(check.code, check.problem.c_str());
    return {};
}

} // namespace fluid::jit
