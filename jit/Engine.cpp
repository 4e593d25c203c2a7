#include "jit/Engine.h"

#include "jit/BitcodeLoader.h"
#include "jit/CodeMap.h"
#include "jit/CodeMapPlugin.h"
#include "jit/LljitSetup.h"
#include "jit/LlvmError.h"
#include "jit/LlvmTarget.h"
#include "jit/Optimizer.h"
#include "jit/TieredCompiler.h"

#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

namespace fluid::jit {

struct Engine::Instance {
    ModuleInfo info;
    llvm::orc::JITDylib* dylib { nullptr };
};

Engine::Engine(EngineConfig config)
    : m_config(std::move(config))
    , m_stats(std::make_unique<CompileStats>())
{
}

Engine::~Engine()
{
    // Tear the session down while the members its error reporter writes to
    // still exist.
    if (m_jit)
        m_jit->getExecutionSession().setErrorReporter([](llvm::Error error) { llvm::consumeError(std::move(error)); });
    for (auto& [id, tracker] : m_versions)
        tracker->Release();
    m_versions.clear();
    m_jit.reset();
}

ErrorOr<std::unique_ptr<Engine>> Engine::create(EngineConfig config)
{
    uint64_t start = config.now_ns ? config.now_ns() : 0;
    initialize_llvm_target();
    std::unique_ptr<Engine> engine(new Engine(std::move(config)));
    TRY(engine->start());
    engine->m_startup_ns = engine->now() - start;
    return engine;
}

ErrorOr<void> Engine::start()
{
    auto optimizer_target = make_target_machine_builder(m_config.cpu).createTargetMachine();
    if (!optimizer_target)
        return to_fluid_error(ErrorCode::Unsupported, "jit: target machine", optimizer_target.takeError());
    m_optimizer_target = std::move(*optimizer_target);

    auto jit = make_lljit(m_config.cpu, m_config.page_size, m_stats.get());
    if (!jit)
        return to_fluid_error(ErrorCode::Unsupported, "jit: LLJIT", jit.takeError());
    m_jit = std::move(*jit);
    // make_lljit created an ObjectLinkingLayer; record where code goes.
    m_code_map = std::make_unique<CodeMap>();
    static_cast<llvm::orc::ObjectLinkingLayer&>(m_jit->getObjLinkingLayer())
        .addPlugin(std::make_shared<CodeMapPlugin>(*m_code_map));

    // Errors found while linking a module (an unresolved symbol) go to the
    // session's reporter, not to the lookup that triggered the link; the
    // default reporter would print them to stderr. Keep them for the caller.
    m_jit->getExecutionSession().setErrorReporter([this](llvm::Error error) {
        llvm::handleAllErrors(
            std::move(error),
            [&](const llvm::orc::SymbolsNotFound& missing) {
                for (const auto& symbol : missing.getSymbols())
                    m_missing_symbols.push_back((*symbol).str());
            },
            [&](const llvm::ErrorInfoBase& other) { m_session_error = other.message(); });
    });

    llvm::orc::SymbolMap symbols;
    for (const auto& [name, address] : m_config.exports.symbols()) {
        symbols[m_jit->mangleAndIntern(name)] = {
            llvm::orc::ExecutorAddr(address),
            llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable,
        };
    }
    m_kernel = &m_jit->getExecutionSession().createBareJITDylib("kernel");
    if (auto error = m_kernel->define(llvm::orc::absoluteSymbols(std::move(symbols))))
        return to_fluid_error(ErrorCode::Invalid, "jit: export table", std::move(error));
    return {};
}

// The module's externally visible definitions: what load_module compiles
// eagerly and what lookup/call can reach.
static std::vector<ExportedFunction> exported_definitions(const llvm::Module& module)
{
    std::vector<ExportedFunction> result;
    for (const llvm::GlobalValue& value : module.global_values()) {
        if (value.isDeclaration() || value.hasLocalLinkage() || !value.hasName()
            || value.getName().starts_with("__fluid."))
            continue;
        ExportedFunction entry;
        entry.name = value.getName().str();
        if (const auto* function = llvm::dyn_cast<llvm::Function>(&value)) {
            llvm::FunctionType* type = function->getFunctionType();
            entry.arity = type->getNumParams();
            entry.callable = type->getReturnType()->isIntegerTy(64) && !type->isVarArg()
                && entry.arity <= Engine::max_call_arguments;
            for (llvm::Type* parameter : type->params())
                entry.callable = entry.callable && parameter->isIntegerTy(64);
        }
        result.push_back(std::move(entry));
    }
    return result;
}

ErrorOr<std::unique_ptr<llvm::Module>> Engine::prepare(const std::string& context_name, llvm::LLVMContext& context,
                                                       std::span<const uint8_t> bitcode, OptLevel level,
                                                       const ModuleTransform& transform, ModuleInfo& timings)
{
    uint64_t start = now();
    llvm::MemoryBufferRef bytes(
        llvm::StringRef(reinterpret_cast<const char*>(bitcode.data()), bitcode.size()), context_name);
    auto module = BitcodeLoader(*m_optimizer_target, m_config.exports).load(context, bytes, level);
    if (!module)
        return to_fluid_error(ErrorCode::Invalid, context_name, module.takeError());
    if (transform) {
        if (auto result = transform(**module); result.is_error())
            return Error::format(result.error().code(), "%s: %s", context_name.c_str(), result.error().message());
    }
    TRY(checkpoint(context_name));
    uint64_t parsed = now();
    timings.parse_ns = parsed - start;
    Optimizer(*m_optimizer_target).run(**module, level);
    timings.optimize_ns = now() - parsed;
    TRY(checkpoint(context_name));
    timings.ir_instructions = Optimizer::count_instructions(**module);
    TieredCompiler::tag(**module, level);
    return std::move(*module);
}

ErrorOr<ModuleHandle> Engine::load_module(std::string_view name, std::span<const uint8_t> bitcode, OptLevel level,
                                          const ModuleTransform& transform)
{
    std::lock_guard guard(m_lock);
    std::string context_name = "module " + std::string(name);
    auto instance = std::make_unique<Instance>();
    instance->info.handle = ModuleHandle { m_next_id++ };
    instance->info.name = std::string(name);
    instance->info.opt = level;

    auto context = std::make_unique<llvm::LLVMContext>();
    auto module = TRY(prepare(context_name, *context, bitcode, level, transform, instance->info));
    instance->info.functions = exported_definitions(*module);

    // JITDylib names must be unique in the session; module names need not.
    std::string dylib_name = std::string(name) + "#" + std::to_string(instance->info.handle.id);
    auto dylib = m_jit->createJITDylib(dylib_name);
    if (!dylib)
        return to_fluid_error(ErrorCode::Invalid, context_name, dylib.takeError());
    instance->dylib = &*dylib;
    instance->dylib->setLinkOrder({ { m_kernel, llvm::orc::JITDylibLookupFlags::MatchExportedSymbolsOnly } });

    if (auto error = m_jit->addIRModule(*instance->dylib, { std::move(module), std::move(context) })) {
        llvm::cantFail(m_jit->getExecutionSession().removeJITDylib(*instance->dylib));
        return to_fluid_error(ErrorCode::Invalid, context_name, std::move(error));
    }

    std::vector<std::string> symbols;
    for (const auto& function : instance->info.functions)
        symbols.push_back(function.name);
    auto materialized = materialize(*instance, symbols);
    if (!materialized.is_error())
        materialized = checkpoint(context_name);
    if (materialized.is_error()) {
        llvm::consumeError(m_jit->getExecutionSession().removeJITDylib(*instance->dylib));
        return materialized.release_error();
    }

    ModuleHandle handle = instance->info.handle;
    m_instances.push_back(std::move(instance));
    return handle;
}

ErrorOr<CodeVersion> Engine::add_version(ModuleHandle into, std::span<const uint8_t> bitcode, OptLevel level,
                                         const ModuleTransform& transform, std::string_view symbol)
{
    std::lock_guard guard(m_lock);
    Instance* instance = find(into);
    if (!instance)
        return Error::format(ErrorCode::NotFound, "jit: no module with handle %u", into.id);
    std::string context_name = "module " + instance->info.name + " (" + std::string(symbol) + ")";
    ModuleInfo timings;
    auto context = std::make_unique<llvm::LLVMContext>();
    auto module = TRY(prepare(context_name, *context, bitcode, level, transform, timings));

    llvm::orc::ResourceTrackerSP tracker = instance->dylib->createResourceTracker();
    if (auto error = m_jit->addIRModule(tracker, { std::move(module), std::move(context) }))
        return to_fluid_error(ErrorCode::Invalid, context_name, std::move(error));
    m_missing_symbols.clear();
    m_session_error.clear();
    uint64_t objects_before = m_stats->object_bytes;
    uint64_t start = now();
    auto found = m_jit->getExecutionSession().lookup({ instance->dylib }, m_jit->mangleAndIntern(symbol));
    CodeVersion version;
    version.codegen_ns = now() - start;
    if (!found) {
        std::string fallback = llvm::toString(found.takeError());
        llvm::consumeError(tracker->remove());
        return link_error(*instance, fallback);
    }
    if (auto stop = checkpoint(context_name); stop.is_error()) {
        llvm::consumeError(tracker->remove());
        return stop.release_error();
    }
    version.id = m_next_version++;
    version.address = found->getAddress().getValue();
    version.parse_ns = timings.parse_ns;
    version.optimize_ns = timings.optimize_ns;
    version.object_bytes = m_stats->object_bytes - objects_before;
    tracker->Retain();
    m_versions[version.id] = tracker.get();
    return version;
}

ErrorOr<void> Engine::remove_version(uint32_t id)
{
    std::lock_guard guard(m_lock);
    auto it = m_versions.find(id);
    if (it == m_versions.end())
        return Error::format(ErrorCode::NotFound, "jit: no code version %u", id);
    llvm::orc::ResourceTracker* tracker = it->second;
    m_versions.erase(it);
    auto error = tracker->remove();
    tracker->Release();
    // ORC interns every symbol name and never drops one by itself: without
    // this, each version's unique name ("f.v17") stays for good.
    m_jit->getExecutionSession().getSymbolStringPool()->clearDeadEntries();
    if (error)
        return to_fluid_error(ErrorCode::Busy, "jit: removing a code version", std::move(error));
    return {};
}

size_t Engine::version_count() const
{
    std::lock_guard guard(m_lock);
    return m_versions.size();
}

ErrorOr<uint64_t> Engine::lookup_any(ModuleHandle handle, std::string_view symbol)
{
    std::lock_guard guard(m_lock);
    Instance* instance = find(handle);
    if (!instance)
        return Error::format(ErrorCode::NotFound, "jit: no module with handle %u", handle.id);
    auto found = m_jit->getExecutionSession().lookup({ instance->dylib }, m_jit->mangleAndIntern(symbol));
    if (!found)
        return to_fluid_error(ErrorCode::NotFound, "module " + instance->info.name, found.takeError());
    return found->getAddress().getValue();
}

// Compiles and links the whole module now by looking up its definitions
// (the IRCompileLayer compiles a module as one unit).
ErrorOr<void> Engine::materialize(Instance& instance, const std::vector<std::string>& names)
{
    if (names.empty())
        return {};
    llvm::orc::SymbolLookupSet lookup_set;
    for (const auto& name : names)
        lookup_set.add(m_jit->mangleAndIntern(name));

    m_missing_symbols.clear();
    m_session_error.clear();
    uint64_t objects_before = m_stats->object_bytes;
    uint64_t start = now();
    auto& session = m_jit->getExecutionSession();
    auto found = session.lookup(llvm::orc::makeJITDylibSearchOrder(instance.dylib), std::move(lookup_set));
    instance.info.codegen_ns = now() - start;
    instance.info.object_bytes = m_stats->object_bytes - objects_before;
    if (!found) {
        std::string fallback = llvm::toString(found.takeError());
        return link_error(instance, fallback);
    }

    for (auto& function : instance.info.functions) {
        auto it = found->find(m_jit->mangleAndIntern(function.name));
        if (it != found->end())
            function.address = it->second.getAddress().getValue();
    }
    return {};
}

Error Engine::link_error(const Instance& instance, std::string_view fallback)
{
    std::string context = "module " + instance.info.name;
    if (!m_missing_symbols.empty()) {
        // Usually a helper the code generator introduced (a libcall) that
        // the export table lacks; the IR-level check caught the rest.
        return Error::format(ErrorCode::NotFound, "%s: undefined symbol '%s' (not in the kernel export table)",
                             context.c_str(), m_missing_symbols.front().c_str());
    }
    std::string text = m_session_error.empty() ? std::string(fallback) : m_session_error;
    return to_fluid_error(ErrorCode::Invalid, context, make_llvm_error(ErrorCode::Invalid, text));
}

ErrorOr<void> Engine::unload(ModuleHandle handle)
{
    std::lock_guard guard(m_lock);
    for (auto it = m_instances.begin(); it != m_instances.end(); ++it) {
        if ((*it)->info.handle != handle)
            continue;
        std::string context = "module " + (*it)->info.name;
        llvm::orc::JITDylib* dylib = (*it)->dylib;
        m_instances.erase(it);
        if (auto error = m_jit->getExecutionSession().removeJITDylib(*dylib))
            return to_fluid_error(ErrorCode::Busy, context, std::move(error));
        m_jit->getExecutionSession().getSymbolStringPool()->clearDeadEntries();
        return {};
    }
    return Error::format(ErrorCode::NotFound, "jit: no module with handle %u", handle.id);
}

Engine::Instance* Engine::find(ModuleHandle handle)
{
    for (auto& instance : m_instances) {
        if (instance->info.handle == handle)
            return instance.get();
    }
    return nullptr;
}

const Engine::Instance* Engine::find(ModuleHandle handle) const
{
    return const_cast<Engine*>(this)->find(handle);
}

const ModuleInfo* Engine::module_info(ModuleHandle handle) const
{
    const Instance* instance = find(handle);
    return instance ? &instance->info : nullptr;
}

std::vector<ModuleHandle> Engine::modules() const
{
    std::vector<ModuleHandle> handles;
    for (const auto& instance : m_instances)
        handles.push_back(instance->info.handle);
    return handles;
}

ErrorOr<uint64_t> Engine::lookup(ModuleHandle handle, std::string_view symbol)
{
    std::lock_guard guard(m_lock);
    Instance* instance = find(handle);
    if (!instance)
        return Error::format(ErrorCode::NotFound, "jit: no module with handle %u", handle.id);
    for (const auto& function : instance->info.functions) {
        if (function.name == symbol && function.address != 0)
            return function.address;
    }
    return Error::format(ErrorCode::NotFound, "module %s: no exported symbol '%.*s'", instance->info.name.c_str(),
                         static_cast<int>(symbol.size()), symbol.data());
}

} // namespace fluid::jit
