#include "jit/TargetCpu.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/X86TargetParser.h>

#include <algorithm>
#include <vector>

namespace fluid::jit {

TargetCpu::TargetCpu()
    : m_triple(default_triple)
    , m_name("x86-64")
{
}

TargetCpu::TargetCpu(std::string triple, std::string name, std::string features)
    : m_triple(std::move(triple))
    , m_name(std::move(name))
    , m_features(std::move(features))
{
}

TargetCpu TargetCpu::detect_host()
{
    // Sorted, so the same machine always yields the same string (StringMap
    // order is a hash order) and the string can be compared or logged.
    std::vector<std::string> flags;
    for (const auto& feature : llvm::sys::getHostCPUFeatures())
        flags.push_back((feature.second ? "+" : "-") + feature.first().str());
    std::sort(flags.begin(), flags.end(), [](const std::string& a, const std::string& b) {
        return a.compare(1, std::string::npos, b, 1, std::string::npos) < 0;
    });

    std::string features;
    for (const auto& flag : flags) {
        if (!features.empty())
            features += ',';
        features += flag;
    }
    return TargetCpu(default_triple, llvm::sys::getHostCPUName().str(), std::move(features));
}

// Calls `flag(name, on)` for each "+name"/"-name" of a feature string.
template<typename Visit>
static void for_each_flag(llvm::StringRef features, Visit visit)
{
    llvm::SmallVector<llvm::StringRef, 64> flags;
    features.split(flags, ',', -1, false);
    for (llvm::StringRef flag : flags) {
        if (flag.size() >= 2 && (flag[0] == '+' || flag[0] == '-'))
            visit(flag.drop_front(), flag[0] == '+');
    }
}

// The feature and what it implies (the map entry for the feature itself is
// the caller's to set, as clang's driver does).
static void set_feature(llvm::StringMap<bool>& state, llvm::StringRef name, bool on)
{
    state[name] = on;
    llvm::X86::updateImpliedFeatures(name, on, state);
}

bool TargetCpu::has_feature(std::string_view feature) const
{
    llvm::StringMap<bool> state;
    for_each_flag(m_features, [&](llvm::StringRef name, bool on) { set_feature(state, name, on); });
    auto it = state.find(llvm::StringRef(feature.data(), feature.size()));
    return it != state.end() && it->second;
}

TargetCpu TargetCpu::without_features(std::initializer_list<std::string_view> features) const
{
    llvm::StringMap<bool> off;
    for (std::string_view feature : features)
        set_feature(off, llvm::StringRef(feature.data(), feature.size()), false);
    std::string out;
    auto append = [&](char sign, llvm::StringRef name) {
        if (!out.empty())
            out += ',';
        out += sign;
        out += name.str();
    };
    llvm::StringMap<bool> seen;
    for_each_flag(m_features, [&](llvm::StringRef name, bool on) {
        seen[name] = true;
        append(on && !off.contains(name) ? '+' : '-', name);
    });
    for (std::string_view feature : features) {
        if (!seen.contains(llvm::StringRef(feature.data(), feature.size())))
            append('-', llvm::StringRef(feature.data(), feature.size()));
    }
    return TargetCpu(m_triple, m_name, std::move(out));
}

} // namespace fluid::jit
