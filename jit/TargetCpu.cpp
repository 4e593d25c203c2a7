#include "jit/TargetCpu.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/TargetParser/Host.h>

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

} // namespace fluid::jit
