#include "jit/CodeMap.h"
#include "jit/CodeMapPlugin.h"

#include <llvm/ExecutionEngine/JITLink/JITLink.h>

#include <algorithm>
#include <unordered_set>

namespace fluid::jit {

bool CodeMap::describe(uint64_t address, Location& out) const
{
    std::lock_guard guard(m_lock);
    for (const Range& r : m_ranges) {
        if (address < r.start || address - r.start >= r.size)
            continue;
        out = { r.dylib, r.function, address - r.start };
        return true;
    }
    return false;
}

size_t CodeMap::size() const
{
    std::lock_guard guard(m_lock);
    return m_ranges.size();
}

void CodeMap::add(uintptr_t key, uint64_t start, uint64_t size, std::string function, std::string dylib)
{
    std::lock_guard guard(m_lock);
    m_ranges.push_back({ key, start, size, std::move(function), std::move(dylib) });
}

void CodeMap::remove(uintptr_t key)
{
    std::lock_guard guard(m_lock);
    std::erase_if(m_ranges, [key](const Range& r) { return r.key == key; });
}

void CodeMap::transfer(uintptr_t destination, uintptr_t source)
{
    std::lock_guard guard(m_lock);
    for (Range& r : m_ranges)
        if (r.key == source)
            r.key = destination;
}

void CodeMapPlugin::modifyPassConfig(llvm::orc::MaterializationResponsibility& responsibility,
                                     llvm::jitlink::LinkGraph&, llvm::jitlink::PassConfiguration& config)
{
    llvm::orc::ResourceKey key = 0;
    if (auto error = responsibility.withResourceKeyDo([&](llvm::orc::ResourceKey k) { key = k; })) {
        llvm::consumeError(std::move(error)); // the link fails on its own
        return;
    }
    std::string dylib = responsibility.getTargetJITDylib().getName();
    // The names must be taken before pruning: a function with internal
    // linkage (tiering's "f.t0" bodies) is reached through a relocation
    // against its section, so its own symbol is dead and pruned, while
    // its code stays. Its block, offset and size are kept here ...
    struct Named {
        llvm::jitlink::Block* block;
        uint64_t offset, size;
        std::string name;
    };
    auto named = std::make_shared<std::vector<Named>>();
    config.PrePrunePasses.push_back([named](llvm::jitlink::LinkGraph& graph) -> llvm::Error {
        for (llvm::jitlink::Symbol* symbol : graph.defined_symbols()) {
            if (symbol->isCallable() && symbol->hasName() && symbol->getSize() != 0)
                named->push_back({ &symbol->getBlock(), symbol->getOffset(), symbol->getSize(), symbol->getName().str() });
        }
        return llvm::Error::success();
    });
    // ... and after fixups, when the blocks that survived have their final
    // addresses, the functions in them are recorded.
    config.PostFixupPasses.push_back([this, key, dylib, named](llvm::jitlink::LinkGraph& graph) -> llvm::Error {
        std::unordered_set<const llvm::jitlink::Block*> live;
        for (llvm::jitlink::Block* block : graph.blocks())
            live.insert(block);
        for (const Named& n : *named) {
            if (live.count(n.block))
                m_map.add(key, n.block->getAddress().getValue() + n.offset, n.size, n.name, dylib);
        }
        return llvm::Error::success();
    });
}

llvm::Error CodeMapPlugin::notifyFailed(llvm::orc::MaterializationResponsibility&) { return llvm::Error::success(); }

llvm::Error CodeMapPlugin::notifyRemovingResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey key)
{
    m_map.remove(key);
    return llvm::Error::success();
}

void CodeMapPlugin::notifyTransferringResources(llvm::orc::JITDylib&, llvm::orc::ResourceKey destination,
                                                llvm::orc::ResourceKey source)
{
    m_map.transfer(destination, source);
}

} // namespace fluid::jit
