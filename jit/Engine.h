// The JIT engine: loads LLVM bitcode modules, compiles them at O0..O3 on
// LLVM 19's LLJIT, and calls their functions.
//
//   EngineConfig config;
//   config.cpu = TargetCpu::detect_host();
//   TRY(config.exports.add_runtime_helpers());
//   TRY(config.exports.add_module_api(api));
//   auto engine = TRY(Engine::create(std::move(config)));
//   auto fib = TRY(engine->load_module("fib", bytes, OptLevel::O3));
//   int64_t n = 30;
//   int64_t result = TRY(engine->call(fib, "fib", { &n, 1 }));
//
// Portable: no threads, files, environment or dynamic loading. The platform
// supplies the CPU description, the export table and a clock.
//
// Each loaded module instance gets its own JITDylib, linked against one
// "kernel" JITDylib that holds the export table as absolute symbols and
// nothing else. Modules are compiled eagerly by load_module, on the calling
// thread, so compile errors (an undefined symbol, say) surface there and
// compile times can be reported.
#pragma once

#include "jit/ExportTable.h"
#include "jit/ModuleInfo.h"
#include "jit/OptLevel.h"
#include "jit/TargetCpu.h"
#include "kernel/lib/ErrorOr.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
namespace orc {
class JITDylib;
class LLJIT;
class ResourceTracker;
}
}

namespace fluid::jit {

class CodeMap;
struct CompileStats;

// Applied to a freshly parsed and verified module before it is optimised
// (tiering rewrites modules this way, jit/TierInstrumenter.h).
using ModuleTransform = std::function<ErrorOr<void>(llvm::Module&)>;

// One extra piece of code added to a loaded module's symbol space, with
// its own lifetime: a tiered function's version (see add_version).
struct CodeVersion {
    uint32_t id { 0 };
    uint64_t address { 0 };
    uint64_t parse_ns { 0 }, optimize_ns { 0 }, codegen_ns { 0 };
    uint64_t object_bytes { 0 };
};

struct EngineConfig {
    TargetCpu cpu;
    ExportTable exports;
    // Monotonic nanoseconds for the compile-time figures; may be null.
    uint64_t (*now_ns)() = nullptr;
    uint32_t page_size = 4096;
    // Asked between the stages of a compile (after parsing, after
    // optimising, after code generation); an error stops the compile there
    // and is returned, prefixed with the module's name. The kernel gives up
    // on a module load that has run the machine into its memory reserve
    // (kernel/mm/MemoryRequest.h). May be null.
    ErrorOr<void> (*checkpoint)() = nullptr;
    // Runs function(context) so that a crash inside it comes back as false,
    // with `what` (a NUL-terminated line of at most what_size bytes) saying
    // what happened, instead of taking the machine down. check_bitcode uses
    // it: LLVM's bitcode reader is not hardened against corrupt input. Null:
    // run plainly.
    bool (*contain)(void (*function)(void*), void* context, char* what, size_t what_size) = nullptr;
};

class Engine {
public:
    static constexpr size_t max_call_arguments = 6;

    static ErrorOr<std::unique_ptr<Engine>> create(EngineConfig);
    ~Engine();

    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Parses, verifies, optimises and compiles a module. `name` is the
    // module's name in messages ("module fib: ..."); loading the same name
    // again (e.g. at another level) creates a second, independent instance.
    // The bytes are only read during the call.
    ErrorOr<ModuleHandle> load_module(std::string_view name, std::span<const uint8_t> bitcode, OptLevel,
                                      const ModuleTransform& transform = {});

    // Reads and verifies `bitcode` into a scratch context and throws the
    // result away, taking no lock, under EngineConfig::contain: what
    // load_module would say about the file's bytes, or a message that the
    // reader crashed on them. Callers that load untrusted files run this
    // first, so that a crash happens where it can be contained.
    ErrorOr<void> check_bitcode(std::string_view name, std::span<const uint8_t> bitcode) const;

    // Compiles another module (e.g. one function, reduced by `transform`)
    // into the symbol space of `into`: its undefined symbols resolve to
    // `into`'s definitions first, then to the kernel. Returns the address
    // of `symbol`. The code lives until remove_version.
    ErrorOr<CodeVersion> add_version(ModuleHandle into, std::span<const uint8_t> bitcode, OptLevel,
                                     const ModuleTransform& transform, std::string_view symbol);
    ErrorOr<void> remove_version(uint32_t id);
    size_t version_count() const;

    // Address of any symbol defined in the module instance (not only the
    // exported functions: tiering's slots and counters too).
    ErrorOr<uint64_t> lookup_any(ModuleHandle, std::string_view symbol);

    // Frees the instance's code. Its function addresses become invalid.
    ErrorOr<void> unload(ModuleHandle);

    // Address of an exported function or global of the module.
    ErrorOr<uint64_t> lookup(ModuleHandle, std::string_view symbol);

    // Calls `int64_t function(int64_t...)` with args.size() <= 6 arguments.
    ErrorOr<int64_t> call(ModuleHandle, std::string_view function, std::span<const int64_t> args);

    const ModuleInfo* module_info(ModuleHandle) const;
    std::vector<ModuleHandle> modules() const;

    const TargetCpu& cpu() const { return m_config.cpu; }
    const ExportTable& exports() const { return m_config.exports; }
    // Time Engine::create took (building LLJIT and the kernel JITDylib).
    uint64_t startup_ns() const { return m_startup_ns; }
    // Every linked function's address range (jit/CodeMap.h).
    const CodeMap& code_map() const { return *m_code_map; }

private:
    struct Instance;

    explicit Engine(EngineConfig);
    ErrorOr<void> start();
    uint64_t now() const { return m_config.now_ns ? m_config.now_ns() : 0; }
    Instance* find(ModuleHandle);
    const Instance* find(ModuleHandle) const;
    ErrorOr<void> materialize(Instance&, std::vector<std::string> const& symbols);
    ErrorOr<std::unique_ptr<llvm::Module>> prepare(const std::string& context_name, llvm::LLVMContext&,
                                                   std::span<const uint8_t> bitcode, OptLevel,
                                                   const ModuleTransform&, ModuleInfo& timings);
    Error link_error(const Instance&, std::string_view fallback);
    ErrorOr<void> checkpoint(const std::string& context_name) const;

    EngineConfig m_config;
    std::unique_ptr<CompileStats> m_stats;
    std::unique_ptr<llvm::TargetMachine> m_optimizer_target;
    // Declared before m_jit: destroyed after it, so the linker's plugin
    // never outlives the map.
    std::unique_ptr<CodeMap> m_code_map;
    std::unique_ptr<llvm::orc::LLJIT> m_jit;
    llvm::orc::JITDylib* m_kernel { nullptr };
    std::vector<std::unique_ptr<Instance>> m_instances;
    std::map<uint32_t, llvm::orc::ResourceTracker*> m_versions;
    uint32_t m_next_version { 1 };
    // Loads, versions and lookups may come from several CPUs at once (the
    // shell and a compiler core); one at a time. Calls into compiled code
    // do not take it.
    mutable std::recursive_mutex m_lock;
    // Symbols JITLink could not resolve, reported through the session's
    // error reporter while a module was being materialised.
    std::vector<std::string> m_missing_symbols;
    std::string m_session_error;
    uint32_t m_next_id { 1 };
    uint64_t m_startup_ns { 0 };
};

} // namespace fluid::jit
