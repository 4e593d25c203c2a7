#include "jit/SavedProfile.h"

#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

namespace fluid::jit {

static constexpr const char* format_name = "fluid-profile";
static constexpr int64_t format_version = 1;

std::string serialize_profile(const std::vector<TierFunctionProfile>& profile)
{
    llvm::json::Array functions;
    for (const TierFunctionProfile& p : profile) {
        if (p.tier == OptLevel::O0)
            continue;
        functions.push_back(llvm::json::Object {
            { "module", p.module },
            { "function", p.name },
            { "calls", int64_t(p.calls) },
            { "tier", opt_level_name(p.tier) },
        });
    }
    llvm::json::Object root { { "format", format_name }, { "version", format_version },
                              { "functions", std::move(functions) } };
    std::string text;
    llvm::raw_string_ostream out(text);
    out << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
    return text;
}

ErrorOr<std::vector<SavedFunction>> parse_profile(std::string_view json)
{
    auto parsed = llvm::json::parse(llvm::StringRef(json.data(), json.size()));
    if (!parsed)
        return Error::format(ErrorCode::Invalid, "profile: not JSON: %s", llvm::toString(parsed.takeError()).c_str());
    const llvm::json::Object* root = parsed->getAsObject();
    if (!root || root->getString("format") != llvm::StringRef(format_name))
        return Error::from(ErrorCode::Invalid, "profile: not a fluid profile (no \"format\":\"fluid-profile\")");
    if (root->getInteger("version") != format_version)
        return Error::from(ErrorCode::Unsupported, "profile: unknown version (this kernel reads version 1)");
    const llvm::json::Array* functions = root->getArray("functions");
    if (!functions)
        return Error::from(ErrorCode::Invalid, "profile: no \"functions\" array");
    std::vector<SavedFunction> result;
    for (size_t i = 0; i < functions->size(); ++i) {
        const llvm::json::Object* entry = (*functions)[i].getAsObject();
        auto module = entry ? entry->getString("module") : std::nullopt;
        auto function = entry ? entry->getString("function") : std::nullopt;
        auto calls = entry ? entry->getInteger("calls") : std::nullopt;
        auto tier = entry ? entry->getString("tier") : std::nullopt;
        std::optional<OptLevel> level = tier ? parse_opt_level(std::string_view(tier->data(), tier->size()))
                                             : std::nullopt;
        if (!module || !function || !calls || *calls < 0 || !level)
            return Error::format(ErrorCode::Invalid, "profile: functions[%zu] lacks a valid module, function, calls "
                                 "or tier", i);
        result.push_back({ module->str(), function->str(), uint64_t(*calls), *level });
    }
    return result;
}

} // namespace fluid::jit
