// The JITLink plugin that fills a CodeMap (jit/CodeMap.h): after each link
// it records the graph's callable symbols under the resource key of the
// materialization, and it drops them when ORC frees that key's resources.
#pragma once

#include "jit/CodeMap.h"

#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>

namespace fluid::jit {

class CodeMapPlugin final : public llvm::orc::ObjectLinkingLayer::Plugin {
public:
    explicit CodeMapPlugin(CodeMap& map) : m_map(map) { }

    void modifyPassConfig(llvm::orc::MaterializationResponsibility&, llvm::jitlink::LinkGraph&,
                          llvm::jitlink::PassConfiguration&) override;
    llvm::Error notifyFailed(llvm::orc::MaterializationResponsibility&) override;
    llvm::Error notifyRemovingResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey) override;
    void notifyTransferringResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey destination,
                                     llvm::orc::ResourceKey source) override;

private:
    CodeMap& m_map;
};

} // namespace fluid::jit
